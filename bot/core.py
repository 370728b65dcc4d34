"""The loaded core: scripts, catalogs and the engine, built once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flows.catalog import Catalogs, load_catalogs
from flows.engine import Engine
from flows.loader import shipped_scripts_dir
from flows.scriptset import load_scripts


@dataclass(frozen=True)
class Core:
    """The conversation engine and the catalogs it renders with."""

    engine: Engine
    catalogs: Catalogs


@cache
def load_core() -> Core:
    """Load the shipped scripts and catalogs (cached; they are immutable)."""
    catalogs = load_catalogs()
    engine = Engine(load_scripts(shipped_scripts_dir()), catalogs)
    return Core(engine=engine, catalogs=catalogs)
