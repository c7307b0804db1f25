"""Reads: the local cache (memory over disk), the repository that reads through it, and
the conversation list's rules (tabs, search, order)."""
