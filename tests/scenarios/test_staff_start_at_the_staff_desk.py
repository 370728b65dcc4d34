"""A facilitator opens ``cityneeds chat --admin``: the staff desk greets her, not the consent.

She runs staff commands straight away; a plain line gets a hint, not a citizen's
question. When she also wants to answer the workshop she says ``join`` and the
citizen conversation starts (consent first). A moderator named by her starts at
the desk too, even without ``--admin``; a citizen still starts at the consent.
"""

from __future__ import annotations

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli.app import app as cli
from bot.runtime import Runtime
from storage.models import Conversation, Participant

runner = CliRunner()
CONSENT = "Do you agree"
DESK = "Staff desk of “city”."


def _person(app: Runtime, user: str) -> tuple[Participant, Conversation | None] | None:
    pseudonym = app.router.pseudonym_for("console", user)
    with app.store.session() as s:
        person = s.exec(select(Participant).where(Participant.pseudonym == pseudonym)).first()
        if person is None:
            return None
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).first()
        return person, conv


@pytest.fixture
def cli_env(app: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", app.store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "test-secret")
    return app


def test_a_facilitator_starts_at_the_desk_and_joins_the_workshop_when_she_wants(
    cli_env: Runtime,
) -> None:
    app = cli_env
    result = runner.invoke(
        cli,
        ["chat", "--admin", "--user", "fay", "--workshop", "city"],
        input="!close micro\nwhat now?\n",
    )
    assert result.exit_code == 0, result.output
    first = result.output.split("\n")[0]
    assert first.startswith(DESK) and "type join" in first
    assert CONSENT not in result.output
    assert "Open tiers in city: Macro (city domains), Meso (stakeholders)." in result.output
    assert "This is the staff desk of “city”" in result.output
    found = _person(app, "fay")
    assert found is not None
    person, conv = found
    assert person.role == "facilitator" and person.consent_at is None
    assert conv is None or conv.script == ""  # never shown a citizen's question

    result = runner.invoke(
        cli, ["chat", "--admin", "--user", "fay", "--workshop", "city"], input="join\nyes\n"
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(DESK)
    assert CONSENT in result.output
    found = _person(app, "fay")
    assert found is not None and found[0].consent_at is not None
    assert found[1] is not None and found[1].step == "helix"

    # A moderator she names starts at the desk without --admin; a citizen at the consent.
    runner.invoke(
        cli,
        ["chat", "--admin", "--user", "fay", "--workshop", "city"],
        input="!role mo moderator\n",
    )
    moderator = runner.invoke(cli, ["chat", "--user", "mo", "--workshop", "city"], input="!queue\n")
    assert moderator.output.startswith(DESK) and CONSENT not in moderator.output
    citizen = runner.invoke(cli, ["chat", "--user", "ana", "--workshop", "city"], input="")
    assert CONSENT in citizen.output and DESK not in citizen.output
