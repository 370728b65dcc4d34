"""Chat adapters, the router, the CLI, digests and the scheduler around the core."""
