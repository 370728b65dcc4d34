"""Residents who filled in a paper form keep the right to see and delete what they wrote.

The form carries a reference code; the volunteer types it into the needs file's
``reference`` column. After ``cityneeds import`` the resident's rows are theirs: with
``cityneeds chat --reference CODE`` the volunteer shows them ``my data`` and, when
they ask, ``forget me`` deletes them. In the digest they still count as paper forms.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select
from typer.testing import CliRunner

from bot.cli.app import app as cli
from bot.cli.common import cli_actor
from bot.digest.metrics import compute_metrics
from bot.runtime import Runtime
from flows.kinds import Origin
from storage.models import Assistance, Need, Participant
from tests.citizen import LINES

runner = CliRunner()
HEADER = "group,language,domain,importance,satisfaction,need,reference"
MRS_L = "The bus stop is too far from the clinic"
MR_K = "Rents rise faster than pensions"
ANONYMOUS = "Clinics should open on Sundays"
FORMS = [
    HEADER,
    f"civil_society,en,mobility,4,2,{MRS_L},k7qm 2xdr",  # typed as written: lower case, a space
    f"civil_society,en,housing,5,1,{MR_K},HJKM-NPQR",
    f"academia,en,health,3,3,{ANONYMOUS},",  # a survey row, no code
]


@pytest.fixture
def volunteer(app: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", app.store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "test-secret")
    monkeypatch.setenv("CITYNEEDS_WORKSHOP", "city")
    return app


def _write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _by_origin(rt: Runtime) -> dict[Origin, int]:
    ws = rt.store.find_workshop("city")
    assert ws is not None
    return compute_metrics(rt.store.snapshot(ws.id)).by_origin


def _needs(rt: Runtime) -> list[str]:
    with rt.store.session() as s:
        return sorted(n.text for n in s.exec(select(Need)))


def test_a_paper_form_resident_sees_and_deletes_their_needs_with_the_code(
    volunteer: Runtime, tmp_path: Path
) -> None:
    forms = _write(tmp_path, "library-forms.csv", FORMS)
    result = runner.invoke(cli, ["import", "city", str(forms)])
    assert result.exit_code == 0, result.output
    assert (
        "library-forms.csv: 3 needs added to city as 3 offline participants (status approved); "
        "2 with a reference code for my data and forget me"
    ) in result.output
    with volunteer.store.session() as s:
        helped = s.exec(select(Assistance).order_by(col(Assistance.id))).all()
        people = s.exec(select(Participant)).all()
    assert [(a.label, a.volunteer, a.consent_mode) for a in helped] == [
        ("paper form, library-forms.csv", cli_actor(), "paper"),
        ("paper form, library-forms.csv", cli_actor(), "paper"),
    ]
    assert {p.platform for p in people} == {"import"}
    assert all("K7QM2XDR" not in a.pseudonym for a in helped)  # the code itself is not kept
    assert _by_origin(volunteer) == {Origin.IMPORT: 3}
    digest = runner.invoke(cli, ["digest", "city"])
    assert (
        "Of them: 0 people in chat, 0 people typed in by a volunteer, "
        "3 people from paper forms or surveys."
    ) in digest.output

    shown = runner.invoke(cli, ["chat", "--reference", "K7QM-2XDR"], input="my data\n")
    assert shown.exit_code == 0, shown.output
    assert "Answers of the resident with reference code K7QM-2XDR (paper form, " in shown.output
    assert f"• Need (Mobility and transport): “{MRS_L}” (importance 4, satisfaction 2)" in (
        shown.output
    )
    assert MR_K not in shown.output and ANONYMOUS not in shown.output
    assert (
        "• Typed in for you by a volunteer (paper form, library-forms.csv). "
        "Consent: given on the paper form."
    ) in shown.output

    gone = runner.invoke(cli, ["chat", "--reference", "k7qm2xdr"], input="forget me\nyes\n")
    assert gone.exit_code == 0, gone.output
    assert "We deleted your data" in gone.output
    assert _needs(volunteer) == sorted([MR_K, ANONYMOUS])
    with volunteer.store.session() as s:
        left = s.exec(select(Assistance)).all()
    assert len(left) == 1  # Mr K's; the row naming Mrs L's form went with her needs
    assert _by_origin(volunteer) == {Origin.IMPORT: 2}
    assert "2 people from paper forms or surveys." in runner.invoke(cli, ["digest", "city"]).output

    again = runner.invoke(cli, ["import", "city", str(forms)])
    assert again.exit_code == 0, again.output
    assert "library-forms.csv: already imported on " in again.output
    assert ": 0 added" in again.output
    assert _needs(volunteer) == sorted([MR_K, ANONYMOUS])  # her needs do not come back
    assert _by_origin(volunteer) == {Origin.IMPORT: 2}


def test_one_form_with_several_need_boxes_is_one_resident(
    volunteer: Runtime, tmp_path: Path
) -> None:
    forms = _write(
        tmp_path,
        "forms.csv",
        [
            HEADER,
            f"civil_society,en,mobility,4,2,{MRS_L},K7QM-2XDR",
            f"academia,en,health,3,3,{ANONYMOUS},",
            "civil_society,en,health,5,1,I cannot book a doctor without a smartphone,K7QM2XDR",
        ],
    )
    result = runner.invoke(cli, ["import", "city", str(forms)])
    assert result.exit_code == 0, result.output
    assert "3 needs added to city as 2 offline participants" in result.output
    assert "; 1 with a reference code" in result.output
    assert _by_origin(volunteer) == {Origin.IMPORT: 2}
    shown = runner.invoke(cli, ["chat", "--reference", "K7QM-2XDR"], input="my data\n")
    assert f"“{MRS_L}”" in shown.output
    assert "“I cannot book a doctor without a smartphone”" in shown.output
    # The volunteer goes on with her in chat: her chat need joins the paper ones.
    more = runner.invoke(
        cli, ["chat", "--reference", "K7QM-2XDR"], input="\n".join(LINES[:8]) + "\nmy data\n"
    )
    assert more.exit_code == 0, more.output
    with volunteer.store.session() as s:
        hers = s.exec(select(Participant).where(Participant.helix == "civil_society")).one()
        needs = s.exec(select(Need).where(Need.participant_id == hers.id)).all()
    assert sorted((n.origin, n.text) for n in needs) == [
        ("chat", MRS_L),
        ("import", "I cannot book a doctor without a smartphone"),
        ("import", MRS_L),
    ]
    gone = runner.invoke(cli, ["chat", "--reference", "K7QM-2XDR"], input="forget me\nyes\n")
    assert "We deleted your data" in gone.output
    assert _needs(volunteer) == [ANONYMOUS]


def test_a_wrong_code_or_a_second_group_for_one_code_fails_its_row(
    volunteer: Runtime, tmp_path: Path
) -> None:
    forms = _write(
        tmp_path,
        "forms.csv",
        [
            HEADER,
            f"civil_society,en,mobility,4,2,{MRS_L},K7QM-2XD",  # line 2: one character short
            f"civil_society,en,housing,5,1,{MR_K},HJKM-NPQR",
            f"government,en,health,3,3,{ANONYMOUS},hjkm npqr",  # line 4: Mr K in another group
            "academia,en,water,2,2,Tap water tastes of chlorine,IOU1-0LVX",  # line 5
        ],
    )
    result = runner.invoke(cli, ["import", "city", str(forms)])
    assert result.exit_code == 1
    valid = "valid: 8 letters and digits such as K7QM-2XDR (no I, L, O, U, V, 0 or 1; "
    assert f'{forms}:2: reference "K7QM-2XD" is not a reference code; {valid}' in result.output
    assert f'{forms}:5: reference "IOU1-0LVX" is not a reference code; {valid}' in result.output
    assert (
        f'{forms}:4: group "government" differs from line 3 ("civil_society") with the same '
        "reference HJKM-NPQR; valid: one group for all rows of one resident"
    ) in result.output
    assert "nothing imported: 3 problem(s)" in result.output
    assert _needs(volunteer) == []


def test_a_code_already_given_to_a_resident_is_refused(volunteer: Runtime, tmp_path: Path) -> None:
    desk = runner.invoke(
        cli, ["chat", "--on-behalf-of", "Library desk, Mrs L."], input="\n".join(LINES[:8]) + "\n"
    )
    assert desk.exit_code == 0, desk.output
    code = desk.output.rsplit("Reference code: ", 1)[1][:9]
    forms = _write(
        tmp_path,
        "forms.csv",
        [HEADER, f"academia,en,health,3,3,{ANONYMOUS},", f"academia,en,water,2,2,{MR_K},{code}"],
    )
    result = runner.invoke(cli, ["import", "city", str(forms)])
    assert result.exit_code == 1
    assert (
        f"{forms}:3: reference {code} already belongs to a resident of city (typed in before, "
        "or imported from another file); valid: the code printed on this resident's own form; "
        f"to see or delete their answers: cityneeds chat --workshop city --reference {code}"
    ) in result.output
    assert _needs(volunteer) == [MRS_L]
    assert _by_origin(volunteer) == {Origin.ASSISTED: 1}
    fixed = _write(tmp_path, "forms.csv", [HEADER, f"academia,en,health,3,3,{ANONYMOUS},"])
    assert runner.invoke(cli, ["import", "city", str(fixed)]).exit_code == 0
    assert _by_origin(volunteer) == {Origin.ASSISTED: 1, Origin.IMPORT: 1}


def test_a_resident_whose_rows_are_far_apart_in_a_large_file_is_still_one(
    volunteer: Runtime, tmp_path: Path
) -> None:
    survey = [f"academia,en,health,3,3,Survey need number {i},," for i in range(300)]
    rows = [HEADER.replace(",reference", ",how_might_we,reference")]
    rows += [f"civil_society,en,mobility,4,2,{MRS_L},,K7QM-2XDR", *survey]
    rows += [f"civil_society,en,housing,5,1,{MR_K},How might we cap rents?,k7qm-2xdr"]
    forms = _write(tmp_path, "survey-and-forms.csv", rows)
    result = runner.invoke(cli, ["import", "city", str(forms)])
    assert result.exit_code == 0, result.output
    assert "302 needs added to city as 301 offline participants" in result.output
    shown = runner.invoke(cli, ["chat", "--reference", "K7QM-2XDR"], input="my data\n")
    assert f"“{MRS_L}”" in shown.output and f"“{MR_K}”" in shown.output
    assert _by_origin(volunteer) == {Origin.IMPORT: 301}
