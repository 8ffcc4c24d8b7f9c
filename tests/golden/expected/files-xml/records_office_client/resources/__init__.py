"""The resources of the Records Office client; each module loads when first used."""
