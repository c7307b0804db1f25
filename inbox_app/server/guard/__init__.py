"""Guards against abuse: connection limits, sign-in throttling and log redaction (issue 16)."""
