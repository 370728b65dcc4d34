"""A library volunteer prints the paper form, a resident fills it in, the answers are typed in.

The form is read back with a PDF text tool (pdfium, Chrome's PDF engine), as anyone
checking it would: every question and option of the chat's scripts must be on it, in
its language, and the numbers next to the tick boxes must be the ones the importer takes.

The Arabic form is read back the same way; what pdfium's own right-to-left reordering
does not keep is left out of the comparison, on both sides: the presentation forms of
shaped letters are folded back (NFKC), direction marks and the optional vowel marks
(which the form does not print) are dropped, and so is punctuation, which pdfium's
reordering moves around the numbers next to it ("من 3:" comes back as "من :3").
The letters and digits of every text must come back, in their order, and the
brackets the right way round.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable
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


def _letters(text: str) -> str:
    """Letters, digits and symbols of ``text``, in order (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if unicodedata.category(c)[0] in "LNS")


#: How the text of a form in each language is compared.
_SEEN = {"ar": _letters}


def _fixed_parts(template: str, seen: Callable[[str], str] = _squash) -> list[str]:
    """The literal text of a template between its placeholders (long enough to be telling)."""
    parts = [literal for literal, _, _, _ in string.Formatter().parse(template)]
    return [seen(p) for p in parts if len(seen(p)) >= 3]


@pytest.mark.parametrize("lang", ["en", "zh", "es", "fr", "ar"])
def test_the_form_carries_every_question_and_option_of_the_chat(
    volunteer: Runtime, tmp_path: Path, lang: str
) -> None:
    seen = _SEEN.get(lang, _squash)
    raw = _print(tmp_path, lang)
    text = seen(raw)
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
            for part in _fixed_parts(catalogs.template(step.prompt, lang), seen):
                if part not in text:
                    missing.append(f"{step.id} prompt: {part}")
            if seen(catalogs.render(Msg(step.help), lang)) not in text:
                missing.append(f"{step.id} help")
            labels = [catalogs.render(Msg(o.label), lang) for o in step.options]
            if step.options_from in ("domains", "chosen_domains"):
                labels = domain_titles
            elif step.options_from == "scenarios":
                labels = scenario_titles
            missing.extend(f"{step.id} option: {x}" for x in labels if seen(x) not in text)
    assert missing == []
    if lang == "ar":  # brackets read back the way round they are printed
        reference = _bare(catalogs.render(Msg("onboarding.consent.prompt"), lang))
        bracketed = re.search(r"\([^()]+\)", reference)
        assert bracketed is not None and bracketed.group() in _bare(raw)
    if lang == "zh":  # the resident's part is in Chinese: no chat-internal codes
        assert "mobility_older" not in text and "civil_society" not in text.split("·")[0]


def _domain_codes() -> list[str]:
    from flows.library import default_domains

    return [d.code for d in default_domains()]


def _number_of(raw: str, label: str) -> str:
    """The number printed next to ``label``'s tick box."""
    found = re.search(rf"(\d+)\s+{re.escape(_bare(label))}", _bare(raw))
    assert found is not None, label
    return found.group(1)


def _bare(text: str) -> str:
    """``text`` without direction marks and the vowel marks an Arabic form leaves out."""
    return "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Mn"))


#: Two residents' answers typed from a form: (need, how might we) in the form's language.
TYPED = {
    "zh": (
        ("公交车站离家太远，腿脚不便走不到", ""),
        ("诊所只能网上预约，我不会用手机", "我们如何才能让老人电话预约？"),
    ),
    "ar": (
        ("موقف الحافلة بعيد عن بيتي ولا أستطيع المشي إليه", ""),
        ("العيادة تقبل الحجز عبر الإنترنت فقط", "كيف يمكننا أن نسمح لكبار السن بالحجز بالهاتف؟"),
    ),
}


@pytest.mark.parametrize("lang", sorted(TYPED))
def test_a_csv_typed_from_the_paper_form_imports(
    volunteer: Runtime, tmp_path: Path, lang: str
) -> None:
    raw = _print(tmp_path, lang)
    catalogs = load_core().catalogs
    group = _number_of(raw, catalogs.render(Msg("helix.civil_society"), lang))
    mobility = _number_of(raw, catalogs.render(Msg("domain.mobility"), lang))
    health = _number_of(raw, catalogs.render(Msg("domain.health"), lang))
    (bus, _), (clinic, hmw) = TYPED[lang]
    typed = tmp_path / "typed.csv"
    typed.write_text(
        "group,language,domain,importance,satisfaction,need,how_might_we\n"
        f"{group},{lang},{mobility},5,2,{bus},\n"
        f"{group},{lang},{health},4,3,{clinic},{hmw}\n",
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
    assert {n.text for n in needs} == {bus, clinic}
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
