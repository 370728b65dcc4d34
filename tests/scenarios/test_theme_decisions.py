"""A moderator renames a theme and moves a need to another theme; both survive re-clustering.

Needs come in from a paper survey (``cityneeds import``); the moderator works on the
console with ``!theme``; the themes are found again as a digest would find them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli.app import app as cli
from bot.runtime import Runtime
from bot.scheduler.findings import workshop_findings
from bot.testing.harness import ChatHarness
from bot.testing.network import network_unreachable
from storage.models import AuditLog, Need

SURVEY = """group,language,domain,importance,satisfaction,need
civil_society,en,mobility,5,1,The last bus leaves before my night shift ends.
government,en,mobility,5,2,There is no bus home after the late shift.
industry,zh,mobility,5,1,夜班公交太少，下班后没有车回家。
civil_society,en,environment,4,2,The air near the ring road is full of exhaust fumes.
academia,zh,environment,4,1,环路附近的空气里全是汽车尾气。
government,en,environment,5,2,Traffic fumes from the ring road make our yard unbearable.
"""


@pytest.fixture(autouse=True)
def offline() -> Iterator[None]:
    with network_unreachable():
        yield


@pytest.fixture
def workshop(app: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", app.store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "test-secret")
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", "city", str(path)])
    assert result.exit_code == 0, result.output
    return app


def _need_id(rt: Runtime, text: str) -> int:
    with rt.store.session() as session:
        need = session.exec(select(Need).where(Need.text == text)).one()
    assert need.id is not None
    return need.id


def test_a_renamed_theme_and_a_pinned_need_survive_the_next_digest(workshop: Runtime) -> None:
    rt = workshop
    ws = rt.store.find_workshop("city")
    assert ws is not None
    first = workshop_findings(rt.store, rt.store.snapshot(ws.id), locales=("en", "zh"))
    fumes = _need_id(rt, "Traffic fumes from the ring road make our yard unbearable.")
    bus = first.theme_of_need(_need_id(rt, "The last bus leaves before my night shift ends."))
    air = first.theme_of_need(fumes)
    assert bus is not None and air is not None and bus != air

    mo = ChatHarness(rt.router, "mo", "city", is_platform_admin=True)
    mo.say(f"!theme rename {bus} Night buses for shift workers")
    assert f"Theme {bus} is now called “Night buses for shift workers”" in mo.text
    mo.say(f"!theme move need {fumes} {bus}")
    assert f"need {fumes} now belongs to theme {bus}" in mo.text

    again = workshop_findings(rt.store, rt.store.snapshot(ws.id), locales=("en", "zh"))
    theme = again.run.by_id()[bus]
    assert theme.label("en") == theme.label("zh") == "Night buses for shift workers"
    assert theme.renamed
    assert again.theme_of_need(fumes) == bus  # pinned, whatever the clustering says
    with rt.store.session() as session:
        actions = [a.action for a in session.exec(select(AuditLog).order_by(AuditLog.id))]
    assert actions[-2:] == ["theme.rename", "theme.move"]


def test_a_wrong_theme_command_names_the_valid_input_and_changes_nothing(
    workshop: Runtime,
) -> None:
    mo = ChatHarness(workshop.router, "mo", "city", is_platform_admin=True)
    mo.say("!theme rename mobility Buses")
    assert "a theme id as the digest shows it, such as t-mobility-1" in mo.text
    mo.say("!theme move need 9999 t-mobility-1")
    assert "9999" in mo.text
    mo.say("!theme shuffle")
    assert "rename, move" in mo.text
    ws = workshop.store.find_workshop("city")
    assert ws is not None
    again = workshop_findings(workshop.store, workshop.store.snapshot(ws.id))
    assert not any(t.renamed for t in again.themes)


def test_progress_tells_the_facilitator_how_saturated_macro_is(workshop: Runtime) -> None:
    fac = ChatHarness(workshop.router, "fac", "city", is_platform_admin=True)
    fac.say("!progress")
    assert (
        "• Macro (city domains): the last 6 texts brought 2 new themes (6 texts, 2 themes in all)."
        in fac.text
    )


def test_the_posted_digest_shows_no_theme_ids_while_the_moderators_draft_does(
    workshop: Runtime,
) -> None:
    ws = workshop.store.find_workshop("city")
    assert ws is not None
    themes = workshop_findings(workshop.store, workshop.store.snapshot(ws.id)).themes
    body = workshop.digests.build_body(ws, "check")
    posted, draft = str(body["text"]), str(body["staff_text"])
    assert themes and "What people asked for, by theme" in posted
    for theme in themes:
        assert f"[{theme.id}]" not in posted  # citizens read labels, not ids
        assert f"• {theme.id}: " in draft  # moderators need them for !theme rename
        assert f"“{theme.label('en')}”" in posted
