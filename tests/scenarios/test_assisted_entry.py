"""Mrs L. has no smartphone: at the library desk a volunteer types her answers in for her.

She answers all three tiers through ``cityneeds chat --on-behalf-of``; her consent
(spoken) and the volunteer are stored; her answers count as assisted; a week later
the volunteer opens them again with the reference code from the paper form to show
her ``my data`` and, when she asks, ``forget me``.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli.app import app as cli
from bot.runtime import Runtime
from flows.kinds import Origin
from storage.models import Assistance, Need, Participant
from tests.citizen import LINES

runner = CliRunner()
LABEL = "Library desk, Mrs L."


@pytest.fixture
def desk(app: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", app.store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "test-secret")
    monkeypatch.setenv("CITYNEEDS_WORKSHOP", "city")
    return app


def _code(output: str) -> str:
    found = re.search(r"Reference code: ([A-Z0-9]{4}-[A-Z0-9]{4})", output)
    assert found is not None, output
    return found.group(1)


def test_a_volunteer_types_in_all_three_tiers_for_a_resident(desk: Runtime) -> None:
    typed = "\n".join(LINES) + "\n"
    result = runner.invoke(
        cli, ["chat", "--on-behalf-of", LABEL, "--by", "volunteer:ana"], input=typed
    )
    assert result.exit_code == 0, result.output
    assert "finished all three parts" in result.output
    code = _code(result.output)
    assert result.output.count(code) >= 2  # printed at the start and again at the end
    ws = desk.store.find_workshop("city")
    assert ws is not None
    with desk.store.session() as s:
        person = s.exec(select(Participant).where(Participant.platform == "assisted")).one()
        helped = s.exec(select(Assistance)).one()
        needs = s.exec(select(Need).where(Need.participant_id == person.id)).all()
    assert person.consent_at is not None and person.helix == "civil_society"
    assert (helped.label, helped.volunteer, helped.consent_mode) == (
        LABEL,
        "volunteer:ana",
        "spoken",
    )
    assert helped.pseudonym == person.pseudonym and code.replace("-", "") not in helped.pseudonym
    assert len(needs) == 2
    snap = desk.store.snapshot(ws.id)
    assert [p.origin for p in snap.participants] == [Origin.ASSISTED]
    assert {n.origin for n in snap.needs} == {Origin.ASSISTED}
    # A plain chat participant, then the digest counts the two ways apart.
    chat = runner.invoke(cli, ["chat", "--user", "ben"], input="\n".join(LINES[:8]) + "\n")
    assert chat.exit_code == 0, chat.output
    digest = runner.invoke(cli, ["digest", "city"])
    assert digest.exit_code == 0, digest.output
    assert "Participants: 2 (macro 2 · meso 1 · micro 1)" in digest.output
    assert (
        "Of them: 1 person in chat, 1 person typed in by a volunteer, "
        "0 people from paper forms or surveys."
    ) in digest.output


def test_the_reference_code_opens_her_answers_for_my_data_and_forget_me(desk: Runtime) -> None:
    first = runner.invoke(
        cli,
        ["chat", "--on-behalf-of", LABEL, "--consent", "paper"],
        input="\n".join(LINES[:8]) + "\n",
    )
    code = _code(first.output)
    shown = runner.invoke(cli, ["chat", "--reference", code.lower()], input="my data\n")
    assert shown.exit_code == 0, shown.output
    assert "The bus stop is too far from the clinic" in shown.output
    assert f"Typed in for you by a volunteer ({LABEL}). Consent: given on the paper form." in (
        shown.output
    )
    gone = runner.invoke(cli, ["chat", "--reference", code], input="forget me\nyes\n")
    assert "deleted your data" in gone.output
    with desk.store.session() as s:
        assert s.exec(select(Need)).all() == []
        assert s.exec(select(Assistance)).all() == []  # the label naming her goes too


def test_a_wrong_code_or_consent_is_refused_and_nothing_is_stored(desk: Runtime) -> None:
    wrong = runner.invoke(cli, ["chat", "--reference", "ABCD-EFGH"], input="my data\n")
    assert wrong.exit_code == 1
    assert "No resident has the reference code ABCD-EFGH" in wrong.output
    bad = runner.invoke(cli, ["chat", "--on-behalf-of", LABEL, "--consent", "nodded"], input="")
    assert bad.exit_code == 2 and "spoken, paper" in bad.output
    typo = runner.invoke(cli, ["chat", "--on-behalf-of", LABEL, "--workshop", "cty"], input="yes\n")
    assert typo.exit_code == 1 and "city" in typo.output
    assert desk.store.find_workshop("cty") is None
    with desk.store.session() as s:
        assert s.exec(select(Participant)).all() == []
        assert s.exec(select(Assistance)).all() == []
