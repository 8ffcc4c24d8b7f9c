"""The resources of the Zoo client; each module loads when first used."""
