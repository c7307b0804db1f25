"""The window's other parts: login dialog, status bar, toasts and banner, metrics window."""
