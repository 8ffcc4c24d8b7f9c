"""The resources of the CommCare HQ client; each module loads when first used."""
