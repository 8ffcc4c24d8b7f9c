"""The resources of the Casebook Providers client; each module loads when first used."""
