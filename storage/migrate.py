"""Run Alembic migrations programmatically (``cityneeds db upgrade`` and first start)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config pointing at the shipped migrations."""
    config = Config()
    config.set_main_option(
        "script_location", str(Path(str(resources.files("storage") / "migrations")))
    )
    if engine is not None:
        url = engine.url.render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision``."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
