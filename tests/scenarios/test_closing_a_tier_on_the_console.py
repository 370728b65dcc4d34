"""On the console: the facilitator closes macro from the shell while Ana is answering.

Ana (``cityneeds chat``) finishes the need in hand, is told macro closed, and waits;
the facilitator's ``workshop open-tier city Macro`` says one person waits; Ana's next
session goes on at her question. The console has no private channel, so the notice
itself goes out on Slack and Discord (see the e2e tests), never twice.
"""

from __future__ import annotations

import io

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.adapters.console import run_console
from bot.cli.app import app as cli
from bot.runtime import Runtime
from storage.models import Conversation, Need
from tests.citizen import LINES

runner = CliRunner()


def _console(app: Runtime, lines: list[str]) -> str:
    out = io.StringIO()
    run_console(
        app.router,
        user="ana",
        workshop="city",
        stdin=io.StringIO("\n".join(lines) + "\n"),
        stdout=out,
    )
    return out.getvalue()


def test_ana_on_the_console_finishes_her_need_then_waits_until_macro_opens(
    app: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", app.store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "test-secret")
    _console(app, LINES[:7])  # up to the confirmation of her first need

    closed = runner.invoke(cli, ["workshop", "close-tier", "city", "macro"])
    assert closed.exit_code == 0, closed.output
    shown = _console(app, ["yes", "4"])
    assert "closed the part “Macro (city domains)”" in shown
    assert "is not open yet" in shown  # her "4" is held, not taken as an answer
    assert "how important is it to you" not in shown.split("closed the part")[1]
    with app.store.session() as s:
        assert len(s.exec(select(Need)).all()) == 1
        [conv] = s.exec(select(Conversation)).all()
        assert (conv.waiting_tier, conv.wait_no) == ("macro", 1)

    opened = runner.invoke(cli, ["workshop", "open-tier", "city", "Macro"])
    assert opened.exit_code == 0, opened.output
    assert "waiting for macro: 1" in opened.output
    shown = _console(app, ["4"])
    assert "Welcome back" in shown
    assert "Health and care (2 of 2): how important is it to you?" in shown
    with app.store.session() as s:
        [conv] = s.exec(select(Conversation)).all()
        assert (conv.waiting_tier, conv.step) == (None, "satisfaction")
