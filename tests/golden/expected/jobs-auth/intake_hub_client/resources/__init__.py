"""The resources of the Intake Hub client; each module loads when first used."""
