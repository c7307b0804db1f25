"""Live events: the WebSocket hub, the per-clinic event log, the cross-instance bus."""
