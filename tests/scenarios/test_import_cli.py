"""A facilitator brings paper forms and an earlier survey in with `cityneeds import`."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli.app import app as cli
from bot.runtime import Runtime
from flows.catalog import load_catalogs
from storage.audit import audit_rows
from storage.imports import ImportedNeed
from storage.models import Need, Participant
from storage.store import Store

runner = CliRunner()
HEADER = "group,language,domain,importance,satisfaction,need,how_might_we"
GROUPS = ("government", "industry", "academia", "civil_society")
DOMAINS = ("mobility", "health", "housing", "water", "digital")


@pytest.fixture
def facilitator(app: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", app.store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "test-secret")
    return app


def _write(folder: Path, name: str, lines: list[str], *, bom: bool = False) -> Path:
    path = folder / name
    text = "\n".join(lines) + "\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def _survey(rows: int) -> list[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for i in range(rows):
        writer.writerow(
            [
                GROUPS[i % 4],
                "zh" if i % 3 == 0 else "en",
                DOMAINS[i % 5],
                1 + i % 5,
                1 + (i // 5) % 5,
                f"Need number {i}, written on paper",
                "" if i % 2 else f"How might we answer need {i}?",
            ]
        )
    return [HEADER, *out.getvalue().splitlines()]


def _imported(rt: Runtime) -> tuple[list[Participant], list[Need]]:
    ws = rt.store.find_workshop("city")
    assert ws is not None
    with rt.store.session() as s:
        people = list(s.exec(select(Participant).where(Participant.workshop_id == ws.id)))
        needs = list(s.exec(select(Need).where(Need.workshop_id == ws.id)))
    return people, needs


def test_a_thousand_row_survey_imports_and_shows_up_in_exports_and_the_digest(
    facilitator: Runtime, tmp_path: Path
) -> None:
    survey = _write(tmp_path, "survey.csv", _survey(1000))
    result = runner.invoke(cli, ["import", "city", str(survey)])
    assert result.exit_code == 0, result.output
    assert "survey.csv: 1000 needs added to city as 1000 offline participants" in result.output
    people, needs = _imported(facilitator)
    assert len(people) == 1000 and {p.platform for p in people} == {"import"}
    assert Counter(p.helix for p in people) == {g: 250 for g in GROUPS}
    assert Counter(p.locale for p in people) == {"zh": 334, "en": 666}
    assert len(needs) == 1000 and {n.origin for n in needs} == {"import"}
    assert Counter(n.domain_code for n in needs) == {d: 200 for d in DOMAINS}
    assert {n.status for n in needs} == {"approved"}
    by_text = {n.text: n for n in needs}
    seventh = by_text["Need number 7, written on paper"]
    assert (seventh.importance, seventh.satisfaction, seventh.hmw) == (3, 2, None)
    assert by_text["Need number 8, written on paper"].hmw == "How might we answer need 8?"
    assert len({p.pseudonym for p in people}) == 1000

    out = tmp_path / "export"
    result = runner.invoke(cli, ["export", "city", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with (out / "needs.csv").open(encoding="utf-8") as f:
        exported = list(csv.DictReader(f))
    assert len(exported) == 1000
    assert Counter(r["domain"] for r in exported) == {d: 200 for d in DOMAINS}
    assert {r["origin"] for r in exported} == {"import"}
    with (out / "participants.csv").open(encoding="utf-8") as f:
        assert Counter(r["origin"] for r in csv.DictReader(f)) == {"import": 1000}

    result = runner.invoke(cli, ["digest", "city"])
    assert result.exit_code == 0, result.output
    assert "Participants: 1,000" in result.output


def test_one_bad_row_among_good_ones_imports_nothing_and_names_the_line(
    facilitator: Runtime, tmp_path: Path
) -> None:
    lines = _survey(10)
    lines[6] = "academia,en,health,9,2,Clinics open on Sundays,"  # file line 7
    path = _write(tmp_path, "needs.csv", lines)
    result = runner.invoke(cli, ["import", "city", str(path)])
    assert result.exit_code == 1
    assert f'{path}:7: importance "9" is out of range; valid: 1 to 5' in result.output
    assert result.output.count(f"{path}:") == 1
    assert "nothing imported: 1 problem(s)" in result.output
    assert _imported(facilitator) == ([], [])


def test_every_bad_line_is_named_with_what_is_valid(facilitator: Runtime, tmp_path: Path) -> None:
    lines = [
        *_survey(4),
        "farmers,en,mobility,3,3,Safer bike lanes near schools,",  # line 6
        "civil_society,pt,atlantis,four,3,!!!,",  # line 7
        'industry,en,water,3,3,"A need with a comma, and\na second line",',  # lines 8-9
        "government,en,housing,3,,ok,",  # line 10: blank satisfaction is allowed (skippable)
    ]
    path = _write(tmp_path, "paper.csv", lines, bom=True)
    result = runner.invoke(cli, ["import", "city", str(path)])
    assert result.exit_code == 1
    out = result.output
    assert f'{path}:6: group "farmers" is unknown; valid: government, industry, academia, ' in out
    shipped = ", ".join(load_catalogs().locales)  # every language with a catalog
    assert f'{path}:7: language "pt" is unknown; valid: {shipped}' in out
    assert f'{path}:7: domain "atlantis" is unknown; valid: a domain code (governance,' in out
    assert f'{path}:7: importance "four" is not a whole number; valid: 1 to 5' in out
    assert f'{path}:7: need "!!!" has no letters or digits; valid: text of 3 to 2000' in out
    assert f'{path}:10: need "ok" is too short; valid: text of 3 to 2000 characters' in out
    assert f"{path}:8" not in out and f"{path}:9" not in out
    assert {line.split(":")[1] for line in out.splitlines() if line.startswith(str(path))} == {
        "6",
        "7",
        "10",
    }
    assert _imported(facilitator) == ([], [])


def test_a_missing_or_unknown_column_is_named(facilitator: Runtime, tmp_path: Path) -> None:
    path = _write(
        tmp_path, "odd.csv", ["group,lang,domain,importance,satisfaction,need", "x,y,z,1,1,abc"]
    )
    result = runner.invoke(cli, ["import", "city", str(path)])
    assert result.exit_code == 1
    assert f'{path}:1: unknown column "lang"; valid: group,language,domain,' in result.output
    assert f'{path}:1: missing column "language"; valid:' in result.output
    assert _imported(facilitator) == ([], [])


def test_importing_the_same_file_again_adds_nothing(facilitator: Runtime, tmp_path: Path) -> None:
    path = _write(tmp_path, "forms.csv", _survey(20))
    assert runner.invoke(cli, ["import", "city", str(path)]).exit_code == 0
    again = runner.invoke(cli, ["import", "city", str(path)])
    assert again.exit_code == 0, again.output
    assert "forms.csv: already imported on " in again.output and ": 0 added" in again.output
    copy = tmp_path / "forms-copy.csv"
    copy.write_bytes(path.read_bytes())  # same content under another name
    assert ": 0 added" in runner.invoke(cli, ["import", "city", str(copy)]).output
    people, needs = _imported(facilitator)
    assert (len(people), len(needs)) == (20, 20)


def test_a_chinese_domain_name_and_a_zh_row_import(facilitator: Runtime, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "zh.csv",
        [
            HEADER,
            "civil_society,zh,出行与交通,5,1,夜班公交太少，下班回家很难。,我们如何让夜班车更多？",
        ],
    )
    result = runner.invoke(cli, ["import", "city", str(path)])
    assert result.exit_code == 0, result.output
    people, needs = _imported(facilitator)
    assert [(p.locale, p.helix) for p in people] == [("zh", "civil_society")]
    assert [(n.domain_code, n.text, n.hmw, n.importance, n.satisfaction) for n in needs] == [
        ("mobility", "夜班公交太少，下班回家很难。", "我们如何让夜班车更多？", 5, 1)
    ]


def test_a_pre_moderated_workshop_gets_pending_needs(facilitator: Runtime, tmp_path: Path) -> None:
    facilitator.store.create_workshop("reviewed", "Reviewed", moderation="pre")
    path = _write(tmp_path, "forms.csv", _survey(3))
    result = runner.invoke(cli, ["import", "reviewed", str(path)])
    assert result.exit_code == 0, result.output
    assert "(status pending)" in result.output
    ws = facilitator.store.find_workshop("reviewed")
    assert ws is not None
    assert facilitator.store.snapshot(ws.id).needs == ()
    hidden = facilitator.store.snapshot(ws.id, approved_only=False).needs
    assert [n.status for n in hidden] == ["pending"] * 3


def test_the_audit_log_names_who_imported(facilitator: Runtime, tmp_path: Path) -> None:
    path = _write(tmp_path, "forms.csv", _survey(5))
    result = runner.invoke(cli, ["import", "city", str(path), "--by", "Mia Chen (facilitator)"])
    assert result.exit_code == 0, result.output
    ws = facilitator.store.find_workshop("city")
    assert ws is not None
    with facilitator.store.session() as s:
        rows = [r for r in audit_rows(s, ws.id) if r["action"] == "needs.import"]
    assert [(r["actor"], r["detail"]["file"], r["detail"]["needs"]) for r in rows] == [
        ("Mia Chen (facilitator)", "forms.csv", 5)
    ]
    again = runner.invoke(cli, ["import", "city", str(path), "--by", "someone else"])
    assert "by Mia Chen (facilitator): 0 added" in again.output


def test_a_file_that_is_not_utf8_is_refused_with_how_to_save_it(
    facilitator: Runtime, tmp_path: Path
) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        f"{HEADER}\ncivil_society,en,mobility,5,2,Stra\xdfenbahn nachts,\n".encode("latin-1")
    )
    result = runner.invoke(cli, ["import", "city", str(path)])
    assert result.exit_code == 1
    assert f"{path}:2: is not UTF-8 text (byte 99 of the file); valid: save it as “CSV UTF-8”" in (
        result.output
    )
    assert _imported(facilitator) == ([], [])


def test_a_large_import_reports_its_progress_batch_by_batch(store: Store) -> None:
    ws = store.create_workshop("paper", "Paper forms")
    rows = [
        ImportedNeed(
            pseudonym=f"paper-{i}",
            helix=GROUPS[i % 4],
            locale="en",
            domain="water",
            importance=4,
            satisfaction=2,
            text=f"Clean water at stop {i}",
            hmw=None,
        )
        for i in range(1000)
    ]
    seen: list[int] = []
    outcome = store.import_needs(
        ws.id,
        file_name="paper.csv",
        content_hash="ab" * 32,
        rows=rows,
        actor="me",
        progress=seen.append,
    )
    assert (outcome.added, outcome.repeated, outcome.status) == (1000, False, "approved")
    assert seen == [250, 500, 750, 1000]
    assert len(store.snapshot(ws.id).needs) == 1000
