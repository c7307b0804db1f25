"""The Redis connection settings and the circuit breaker in front of Redis."""
