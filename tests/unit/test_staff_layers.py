"""The staff desk depends inward only: it never imports the router or an adapter."""

from __future__ import annotations

import ast
from pathlib import Path

import bot.app.staff

FORBIDDEN = ("bot.app.router", "bot.adapters")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_staff_module_imports_the_router_or_an_adapter() -> None:
    folder = Path(bot.app.staff.__file__).parent
    found = {
        (path.name, name)
        for path in sorted(folder.glob("*.py"))
        for name in _imports(path)
        if name.startswith(FORBIDDEN)
    }
    assert found == set()
    assert len(list(folder.glob("*.py"))) >= 10  # the registry, converters and command areas


def test_no_staff_module_is_over_600_lines() -> None:
    folder = Path(bot.app.staff.__file__).parent
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in folder.glob("*.py")}
    assert max(sizes.values()) <= 600, sizes
