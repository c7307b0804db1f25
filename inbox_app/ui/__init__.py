"""The Qt layer: windows and widgets that adapt the client core's state (no business rules)."""
