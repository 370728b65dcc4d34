"""A facilitator at the console staff desk takes a phone call: ``!assist`` types Mr K. in.

The desk's plain lines become Mr K.'s answers until his ``stop``; the assisting is
stored, so a second ``cityneeds chat`` (a restart) still answers as him; the code
opens his answers again, and ``!assist end`` gives the desk back.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli.app import app as cli
from bot.runtime import Runtime
from storage.models import Assistance, AssistSession, AuditLog, Participant

runner = CliRunner()
DESK_HINT = "This is the staff desk of “city”"


@pytest.fixture
def desk(app: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", app.store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "test-secret")
    monkeypatch.setenv("CITYNEEDS_WORKSHOP", "city")
    return app


def _desk(*lines: str) -> str:
    result = runner.invoke(cli, ["chat", "--user", "fac", "--admin"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    return result.output


def _code(output: str) -> str:
    found = re.search(r"Reference code: ([A-Z0-9]{4}-[A-Z0-9]{4})", output)
    assert found is not None, output
    return found.group(1)


def test_the_desk_types_a_caller_in_until_his_stop_and_a_restart_keeps_it(desk: Runtime) -> None:
    first = _desk("!assist Phone call, Mr K. paper", "yes")
    code = _code(first)
    assert "Assisted entry for “Phone call, Mr K.”." in first
    assert "Consent: given on the paper form." in first
    assert "Which group do you mainly speak for?" in first  # "yes" was his consent
    with desk.store.session() as s:
        [helped] = s.exec(select(Assistance)).all()
        [session] = s.exec(select(AssistSession)).all()
    assert (helped.label, helped.volunteer, helped.consent_mode) == (
        "Phone call, Mr K.",
        "console:fac",
        "paper",
    )
    assert code.replace("-", "") not in session.code  # kept masked, not as printed

    # A restart: the next session's plain lines are still Mr K.'s, until his stop.
    second = _desk("4", "stop", "what now?")
    assert "Part 1 of 3" in second
    assert "Paused. Your answers so far are saved." in second
    assert f"Assisted entry ended. Reference code: {code}." in second
    assert second.rstrip().endswith("To answer the workshop yourself, type join.")
    with desk.store.session() as s:
        assert s.exec(select(AssistSession)).all() == []
        [person] = s.exec(select(Participant).where(Participant.platform == "assisted")).all()
    assert person.helix == "civil_society"

    # His code (any case, no dash) opens his answers again; !assist end gives the desk back.
    third = _desk(f"!assist {code.replace('-', '').lower()}", "my data", "!assist end", "what now?")
    assert f"Answers of the resident with reference code {code} (Phone call, Mr K.)." in third
    assert "Consent: given on the paper form." in third
    assert f"Assisted entry ended. Reference code: {code}." in third
    assert third.rstrip().endswith("To answer the workshop yourself, type join.")
    with desk.store.session() as s:
        actions = [r.detail.get("action") for r in s.exec(select(AuditLog)) if r.action == "assist"]
    assert actions == ["open", "resume"]


def test_a_second_assist_ends_the_first_and_names_its_code(desk: Runtime) -> None:
    out = _desk('!assist "Home visit, Mrs A."', '!assist "Home visit, Mr B." spoken')
    first, second = re.findall(r"Reference code: ([A-Z0-9]{4}-[A-Z0-9]{4}) \(write", out)
    assert first != second
    assert f"Assisted entry ended. Reference code: {first}." in out
    with desk.store.session() as s:
        [session] = s.exec(select(AssistSession)).all()
        labels = sorted(a.label for a in s.exec(select(Assistance)))
    assert labels == ["Home visit, Mr B.", "Home visit, Mrs A."]
    assert session.resident == desk.router.pseudonym_for("assisted", second.replace("-", ""))


def test_bad_assist_lines_are_refused_with_the_usage_and_store_nothing(desk: Runtime) -> None:
    out = _desk(
        "!assist Mrs L consent: nodded",
        "!assist resume",
        "!assist ABCD-EFGH",
        "!assist end",
    )
    usage = 'Usage: !assist "LABEL" [spoken|paper], !assist resume CODE, !assist end'
    assert "“nodded” is not valid here: valid values: spoken, paper. Nothing was changed." in out
    assert out.count(usage) == 2  # the bad consent and the missing code
    assert "No resident has the reference code ABCD-EFGH in this workshop." in out
    assert "You are not typing in for a resident right now." in out
    with desk.store.session() as s:
        assert s.exec(select(Assistance)).all() == []
        assert s.exec(select(AssistSession)).all() == []
        assert s.exec(select(Participant).where(Participant.platform == "assisted")).all() == []
        refused = [r.detail for r in s.exec(select(AuditLog)) if r.action == "refused"]
    assert refused == [
        {"command": "assist", "argument": "consent", "value": "nodded"},
        {"command": "assist", "argument": "code", "value": ""},
    ]
