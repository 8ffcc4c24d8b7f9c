"""The resources of the CAQH ProView and DirectAssure Roster client; each module loads when first used."""
