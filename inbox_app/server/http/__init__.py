"""The HTTP surface: the ASGI app, routes, the cache-hit fast path, limits, error answers."""
