"""The resources of the Legacy Records client; each module loads when first used."""
