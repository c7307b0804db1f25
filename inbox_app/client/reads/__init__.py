"""Reads: the local cache (memory over disk) and the repository that reads through it."""
