"""The resources of the CareHQ client; each module loads when first used."""
