"""The conversation list (panel, model, delegate) and the open conversation."""
