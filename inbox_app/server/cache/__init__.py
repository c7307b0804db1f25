"""Redis cache-aside (ARCHITECTURE.md section 5): reads, invalidation, patching, warming."""
