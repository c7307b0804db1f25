"""The network: the HTTP API client and the live (WebSocket) listener."""
