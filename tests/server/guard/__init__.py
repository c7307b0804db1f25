"""Tests of inbox_app/server/guard: connections, sign-in throttle, log redaction, limits."""
