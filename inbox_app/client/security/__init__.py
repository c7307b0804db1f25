"""Patient data sealed at rest: codecs, AES-GCM, the key store, the pickle-free disk."""
