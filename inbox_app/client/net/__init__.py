"""The network: the HTTP API client, the live (WebSocket) listener, and which live events
say that a patient wrote."""
