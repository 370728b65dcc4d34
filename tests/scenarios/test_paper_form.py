"""A library volunteer prints the paper form, a resident fills it in, the answers are typed in.

The form is read back with a PDF text tool (pdfium, Chrome's PDF engine), as anyone
checking it would: every question and option of the chat's scripts must be on it, in
its language, and the numbers next to the tick boxes must be the ones the importer takes.
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pypdfium2
import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli.app import app as cli
from bot.core import load_core
from bot.runtime import Runtime
from flows.script import StepKind
from flows.text import Msg
from storage.models import Need, Participant

runner = CliRunner()


@pytest.fixture
def volunteer(app: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", app.store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "test-secret")
    return app


def _print(tmp_path: Path, lang: str) -> str:
    out = tmp_path / f"form-{lang}.pdf"
    result = runner.invoke(cli, ["form", "city", "--lang", lang, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    document = pypdfium2.PdfDocument(out)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def _squash(text: str) -> str:
    return "".join(text.split())


def _fixed_parts(template: str) -> list[str]:
    """The literal text of a template between its placeholders (long enough to be telling)."""
    parts = [literal for literal, _, _, _ in string.Formatter().parse(template)]
    return [_squash(p) for p in parts if len(_squash(p)) >= 3]


@pytest.mark.parametrize("lang", ["en", "zh", "es", "fr"])
def test_the_form_carries_every_question_and_option_of_the_chat(
    volunteer: Runtime, tmp_path: Path, lang: str
) -> None:
    text = _squash(_print(tmp_path, lang))
    core = load_core()
    catalogs = core.catalogs
    ws = volunteer.store.find_workshop("city")
    assert ws is not None
    scenario_titles = [s.title.get(lang) or s.title["en"] for s in volunteer.store.scenarios(ws.id)]
    domain_titles = [catalogs.render(Msg(f"domain.{d}"), lang) for d in _domain_codes()]
    missing: list[str] = []
    for script in core.engine.scripts.values():
        if script.id not in ("onboarding", "macro", "meso", "micro"):
            continue
        for step in script.steps:
            if step.kind in (StepKind.CONFIRM, StepKind.LOOP):
                continue
            for part in _fixed_parts(catalogs.template(step.prompt, lang)):
                if part not in text:
                    missing.append(f"{step.id} prompt: {part}")
            if _squash(catalogs.render(Msg(step.help), lang)) not in text:
                missing.append(f"{step.id} help")
            labels = [catalogs.render(Msg(o.label), lang) for o in step.options]
            if step.options_from in ("domains", "chosen_domains"):
                labels = domain_titles
            elif step.options_from == "scenarios":
                labels = scenario_titles
            missing.extend(f"{step.id} option: {x}" for x in labels if _squash(x) not in text)
    assert missing == []
    if lang == "zh":  # the resident's part is in Chinese: no chat-internal codes
        assert "mobility_older" not in text and "civil_society" not in text.split("·")[0]


def _domain_codes() -> list[str]:
    from flows.library import default_domains

    return [d.code for d in default_domains()]


def _number_of(raw: str, label: str) -> str:
    """The number printed next to ``label``'s tick box."""
    found = re.search(rf"(\d+)\s+{re.escape(label)}", raw)
    assert found is not None, label
    return found.group(1)


def test_a_csv_typed_from_the_paper_form_imports(volunteer: Runtime, tmp_path: Path) -> None:
    raw = _print(tmp_path, "zh")
    catalogs = load_core().catalogs
    group = _number_of(raw, catalogs.render(Msg("helix.civil_society"), "zh"))
    mobility = _number_of(raw, catalogs.render(Msg("domain.mobility"), "zh"))
    health = _number_of(raw, catalogs.render(Msg("domain.health"), "zh"))
    typed = tmp_path / "typed.csv"
    typed.write_text(
        "group,language,domain,importance,satisfaction,need,how_might_we\n"
        f"{group},zh,{mobility},5,2,公交车站离家太远，腿脚不便走不到,\n"
        f"{group},zh,{health},4,3,诊所只能网上预约，我不会用手机,我们如何才能让老人电话预约？\n",
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["import", "city", str(typed)])
    assert result.exit_code == 0, result.output
    ws = volunteer.store.find_workshop("city")
    assert ws is not None
    with volunteer.store.session() as s:
        needs = s.exec(select(Need).where(Need.workshop_id == ws.id)).all()
        people = s.exec(select(Participant).where(Participant.workshop_id == ws.id)).all()
    assert sorted((n.domain_code, n.importance, n.satisfaction) for n in needs) == [
        ("health", 4, 3),
        ("mobility", 5, 2),
    ]
    assert {p.helix for p in people} == {"civil_society"}


def test_a_wrong_workshop_or_language_names_the_valid_ones(
    volunteer: Runtime, tmp_path: Path
) -> None:
    out = tmp_path / "x.pdf"
    wrong_ws = runner.invoke(cli, ["form", "cty", "--out", str(out)])
    assert wrong_ws.exit_code == 1 and "city" in wrong_ws.output
    wrong_lang = runner.invoke(cli, ["form", "city", "--lang", "xx", "--out", str(out)])
    shipped = ", ".join(load_core().catalogs.locales)  # every language with a catalog
    assert wrong_lang.exit_code == 2 and shipped in wrong_lang.output
    assert not out.exists()
