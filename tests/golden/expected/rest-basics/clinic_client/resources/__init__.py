"""The resources of the Clinic client; each module loads when first used."""
