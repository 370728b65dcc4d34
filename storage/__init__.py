"""Persistence: SQLModel tables, the engine factory, Alembic migrations and every query."""
