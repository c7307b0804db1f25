"""The database: schema, handle, reads into contract models, writes, idempotency."""
