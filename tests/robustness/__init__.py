"""Robustness tests: hostile specs, random specs, and a generate killed at random moments."""
