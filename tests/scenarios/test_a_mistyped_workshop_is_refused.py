"""A facilitator mistypes ``riverside-2026``: nothing is created, and the closest name is offered.

Only ``workshop create`` (or a staff ``setup``) creates workshops; ``chat``,
``export``, ``progress``, ``digest``, ``import``, ``schedule`` and ``open-tier``
refuse an unknown name and name the closest existing ones. The configured
default workshop is still created on the very first start.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.app import app as cli
from bot.runtime import Runtime

runner = CliRunner()
TYPO = "riversid-2026"


@pytest.fixture
def cli_env(app: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", app.store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "test-secret")
    monkeypatch.delenv("CITYNEEDS_WORKSHOP", raising=False)
    return app


def _slugs(app: Runtime) -> list[str]:
    return [ws.slug for ws, _ in app.store.list_workshops()]


def test_a_typo_in_every_command_creates_nothing_and_names_the_closest_workshop(
    cli_env: Runtime, tmp_path: Path
) -> None:
    app = cli_env
    created = runner.invoke(cli, ["workshop", "create", "riverside-2026", "--title", "Riverside"])
    assert created.exit_code == 0, created.output
    assert _slugs(app) == ["city", "riverside-2026"]
    csv = tmp_path / "needs.csv"
    csv.write_text("group,language,domain,importance,satisfaction,need\n", encoding="utf-8")
    for args in (
        ["chat", "--user", "fac", "--workshop", TYPO],
        ["export", TYPO, "--format", "md"],
        ["workshop", "progress", TYPO],
        ["workshop", "schedule", TYPO, "--digest", "18:00"],
        ["workshop", "open-tier", TYPO, "meso"],
        ["digest", TYPO],
        ["import", TYPO, str(csv)],
    ):
        result = runner.invoke(cli, args, input="yes\n")
        assert result.exit_code == 1, (args, result.output)
        assert f"no workshop called '{TYPO}'; did you mean riverside-2026?" in result.output, args
    assert _slugs(app) == ["city", "riverside-2026"]

    # A name like nothing at all lists the workshops there are.
    result = runner.invoke(cli, ["chat", "--user", "fac", "--workshop", "zzz"], input="")
    assert result.exit_code == 1
    assert "no workshop called 'zzz' (workshops: city, riverside-2026)" in result.output

    # The right name works, and the configured default still answers.
    result = runner.invoke(cli, ["chat", "--user", "ana", "--workshop", "riverside-2026"], input="")
    assert result.exit_code == 0 and "Welcome" in result.output
    assert _slugs(app) == ["city", "riverside-2026"]


def test_the_default_workshop_is_created_on_the_first_start_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str
) -> None:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", db_url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "test-secret")
    monkeypatch.setenv("CITYNEEDS_WORKSHOP", "harbour")
    result = runner.invoke(cli, ["chat", "--user", "ana"], input="")
    assert result.exit_code == 0 and "Welcome" in result.output
    listed = runner.invoke(cli, ["workshop", "list"])
    assert "harbour" in listed.output
    result = runner.invoke(cli, ["chat", "--user", "bo", "--workshop", "harbor"], input="")
    assert result.exit_code == 1 and "did you mean harbour?" in result.output
