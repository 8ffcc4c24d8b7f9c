"""The resources of the CAQH ProView documents, credentialing profile and DirectAssure 2.0 client; each module loads when first used."""
