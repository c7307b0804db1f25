"""The API server: HTTP and WebSocket over a database, a Redis cache and a live hub."""
