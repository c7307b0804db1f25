"""Demo data, and patient messages that arrive by themselves (``--simulate-inbound``)."""
