"""A seeded, simulated workshop run through the real router, engine and storage."""
