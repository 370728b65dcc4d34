"""A facilitator tunes a workshop and reads back names, not codes, and every setting in full.

``!schedule digest 17:30`` keeps the mon–fri she set and says so (the CLI too);
``workshop schedule`` shows review and grace; ``!scenario list`` and
``cityneeds scenario list`` give titles with their codes; ``open-tier city Meso``
works in any case; ``workshop progress`` names the groups and tiers; ``workshop
list`` shows a long slug whole.
"""

from __future__ import annotations

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli.app import app as cli
from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from storage.models import Schedule
from tests.citizen import LINES

runner = CliRunner()
LONG_SLUG = "riverside-2026-participatory-budget-older-residents-and-mobility"


@pytest.fixture
def cli_env(app: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", app.store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "test-secret")
    return app


def _days(app: Runtime, kind: str) -> str:
    with app.store.session() as s:
        return s.exec(select(Schedule.days).where(Schedule.kind == kind)).one()


def test_changing_the_digest_time_keeps_the_weekdays_in_chat_and_on_the_cli(
    cli_env: Runtime,
) -> None:
    app = cli_env
    fac = ChatHarness(app.router, user="fac", workshop="city", is_platform_admin=True)
    fac.say("!schedule digest 18:00 mon-fri")
    reply = fac.say("!schedule digest 17:30")[-1].text
    assert reply.startswith("The digest is now at 17:30 (UTC); the days are unchanged: mon-fri.")
    assert _days(app, "digest") == "mon-fri"
    fac.say("!schedule digest 17:45 *")
    assert _days(app, "digest") == "*"  # given days still replace them
    fac.say("!schedule digest 17:45 sat,sun")

    result = runner.invoke(
        cli, ["workshop", "schedule", "city", "--digest", "07:15", "--review", "--grace", "30"]
    )
    assert result.exit_code == 0, result.output
    assert "digest: the days are unchanged (sat,sun)" in result.output
    assert "  digest: 07:15, sat,sun" in result.output
    assert "  reminder: off" in result.output
    assert "digest review: on (moderators approve each draft before it is posted)" in result.output
    assert "auto-post of drafts: after 30 minutes without a moderator" in result.output
    assert _days(app, "digest") == "sat,sun"
    shown = runner.invoke(cli, ["workshop", "schedule", "city", "--no-review"]).output
    assert "digest review: off" in shown and "posted without review" in shown


def test_titles_with_codes_tiers_in_any_case_names_in_progress_and_whole_slugs(
    cli_env: Runtime,
) -> None:
    app = cli_env
    fac = ChatHarness(app.router, user="fac", workshop="city", is_platform_admin=True)
    listed = fac.say("!scenario list")[-1].text
    assert listed.startswith("Scenarios: Older residents reaching telehealth (telehealth_older), ")
    assert "Mobility for older residents (mobility_older)" in listed

    library = runner.invoke(cli, ["scenario", "list"])
    assert library.exit_code == 0, library.output
    assert "telehealth_older" in library.output
    assert "Older residents reaching telehealth" in library.output
    zh = runner.invoke(cli, ["scenario", "list", "--lang", "zh"]).output
    assert "telehealth_older" in zh and "Older residents" not in zh

    closed = runner.invoke(cli, ["workshop", "close-tier", "city", "MESO"])
    assert closed.exit_code == 0 and "open tiers now macro, micro" in closed.output
    opened = runner.invoke(cli, ["workshop", "open-tier", "city", "Meso"])
    assert opened.exit_code == 0 and "open tiers now macro, meso, micro" in opened.output
    wrong = runner.invoke(cli, ["workshop", "open-tier", "city", "mezzo"])
    assert wrong.exit_code == 2 and "choose one of macro, meso, micro" in wrong.output

    ana = ChatHarness(app.router, user="ana", workshop="city")
    ana.start()
    for line in LINES:
        ana.say(line)
    progress = runner.invoke(cli, ["workshop", "progress", "city"])
    assert progress.exit_code == 0, progress.output
    assert "group: Civil society and residents" in progress.output
    assert "reached Meso (stakeholders)" in progress.output
    assert "civil_society" not in progress.output
    assert "not heard yet: Government, Industry" in progress.output.replace("\n", " ")

    made = runner.invoke(cli, ["workshop", "create", LONG_SLUG, "--title", "A long one " * 6])
    assert made.exit_code == 0, made.output
    table = runner.invoke(cli, ["workshop", "list"], terminal_width=60)
    assert LONG_SLUG in table.output
