"""`careforge diff`: what changed between two specs, for the people who call the generated client."""
