"""Optimistic actions: the action record and its pure apply, the engine, the durable outbox."""
