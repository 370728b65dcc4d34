"""Right-to-left replies carry their direction marks; left-to-right replies carry none.

Arabic chat text mixes right-to-left words with numbers, codes and Latin names.
Every line starts with RLM (U+200F); every value filled into a message is an
isolate: FSI (U+2068) … PDI (U+2069) for values from outside the catalog, RLI
(U+2067) … PDI for catalog text of the same locale; a Latin run of the template
(a command with its values) is one LRI (U+2066) … PDI isolate; an option reads
``RLM  1) FSI label PDI``. Text copied back from the bot, marks and all, is
understood as if typed without them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel import Locale

from bot.app.staff.parse import is_staff_text, parse_staff
from bot.core import load_core
from flows.catalog import Catalogs, load_catalogs
from flows.context import WorkshopContext
from flows.direction import BIDI_CONTROLS, RTL_LANGUAGES, is_rtl, strip_marks
from flows.library import domain_options, domain_synonyms, scenario_library, scenario_option
from flows.messages import Inbound, Option, Progress, Reply, ReplyKind
from flows.normalize import clean_text, fold
from flows.records import NeedRecord
from flows.render import render_reply
from flows.state import ConversationState
from flows.text import Listing, Literal, Msg, Number

RLM, FSI, LRI, RLI, PDI = "\u200f", "\u2068", "\u2066", "\u2067", "\u2069"

EN = """\
messages:
  list.separator: ", "
  news: "Workshop {title}: {count} new needs ({names})."
  tier.macro: "Macro"
  progress: "{tier} · step {index} of {total}"
  pick: "Pick one:"
  hint.choice: "Type a number from 1 to {count}."
  two_lines: "First line {code}\\nSecond line"
  approve: "Type !approve {kind} {id} to show it."
  policy: "Usage: !policy pre|post [review on|off] [grace MINUTES]"
  title: "CityNeeds digest: {title}"
"""
AR = """\
messages:
  list.separator: "، "
  news: "الورشة {title}: {count} حاجة جديدة ({names})."
  tier.macro: "المستوى العام"
  progress: "{tier} · الخطوة {index} من {total}"
  pick: "اختر واحدًا:"
  hint.choice: "اكتب رقمًا من 1 إلى {count}."
  two_lines: "السطر الأول {code}\\nالسطر الثاني"
  approve: "اكتب !approve {kind} {id} لعرضه."
  policy: "الاستعمال: !policy pre|post [review on|off] [grace MINUTES]"
  title: "ملخص CityNeeds: {title}"
"""


@pytest.fixture
def catalogs(tmp_path: Path) -> Catalogs:
    (tmp_path / "en.yaml").write_text(EN, encoding="utf-8")
    (tmp_path / "ar.yaml").write_text(AR, encoding="utf-8")
    return load_catalogs(tmp_path)


NEWS = Msg(
    "news",
    {
        "title": Literal("Riverside 2026"),
        "count": Number(1234),
        "names": Listing((Literal("City Hall"), Msg("tier.macro"))),
    },
)


def test_right_to_left_locales_are_listed_once_and_cldr_agrees() -> None:
    assert sorted(RTL_LANGUAGES) == ["ar", "fa", "he", "ur"]
    assert all(Locale.parse(code).character_order == "right-to-left" for code in RTL_LANGUAGES)
    for code in load_catalogs().locales:  # every shipped catalog: our list and CLDR agree
        assert is_rtl(code) == (Locale.parse(code).character_order == "right-to-left")
    assert [is_rtl(code) for code in ("ar", "ar-SA", "he_IL", "fa", "ur")] == [True] * 5
    assert [is_rtl(code) for code in ("en", "zh", "zh-CN", "es", "fr")] == [False] * 5


def test_an_arabic_message_isolates_its_latin_title_its_number_and_its_list(
    catalogs: Catalogs,
) -> None:
    assert catalogs.render(NEWS, "ar") == (
        f"{RLM}الورشة {FSI}Riverside 2026{PDI}: {FSI}1,234{PDI} حاجة جديدة "
        f"({RLI}{FSI}City Hall{PDI}، {RLI}المستوى العام{PDI}{PDI})."
    )


def test_an_english_message_has_no_marks(catalogs: Catalogs) -> None:
    shown = catalogs.render(NEWS, "en")
    assert shown == "Workshop Riverside 2026: 1,234 new needs (City Hall, Macro)."
    assert not BIDI_CONTROLS.search(shown)


def test_every_line_but_a_blank_one_starts_with_rlm_even_inside_a_typed_value(
    catalogs: Catalogs,
) -> None:
    shown = catalogs.render(Msg("two_lines", {"code": Literal("X-7\nB")}), "ar")
    assert shown == (f"{RLM}السطر الأول {FSI}X-7{PDI}\n{RLM}{FSI}B{PDI}\n{RLM}السطر الثاني")
    blank = catalogs.render(Msg("two_lines", {"code": Literal("A\n\nB")}), "ar")
    assert blank == f"{RLM}السطر الأول {FSI}A{PDI}\n\n{RLM}{FSI}B{PDI}\n{RLM}السطر الثاني"
    assert catalogs.render(Msg("two_lines", {"code": Literal("X-7")}), "en") == (
        "First line X-7\nSecond line"
    )


def test_a_command_in_an_arabic_sentence_reads_left_to_right_as_one_piece(
    catalogs: Catalogs,
) -> None:
    approve = Msg("approve", {"kind": Literal("need"), "id": 12})
    assert catalogs.render(approve, "ar") == (
        f"{RLM}اكتب {LRI}!approve {FSI}need{PDI} {FSI}12{PDI}{PDI} لعرضه."
    )
    assert catalogs.render(Msg("policy"), "ar") == (
        f"{RLM}الاستعمال: {LRI}!policy pre|post [review on|off] [grace MINUTES]{PDI}"
    )
    # A value after a colon is not part of the Latin run: it keeps its place in the sentence.
    assert catalogs.render(Msg("title", {"title": Literal("الرياض")}), "ar") == (
        f"{RLM}ملخص {LRI}CityNeeds{PDI}: {FSI}الرياض{PDI}"
    )
    assert catalogs.render(approve, "en") == "Type !approve need 12 to show it."


def _prompt() -> Reply:
    return Reply(
        Msg("pick"),
        ReplyKind.PROMPT,
        options=(Option("macro", Msg("tier.macro")), Option("bus", Literal("Bus 42"))),
        progress=Progress("macro", 2, 6),
        step="pick",
        step_kind="choice",
    )


def test_an_arabic_prompt_numbers_its_options_right_to_left(catalogs: Catalogs) -> None:
    shown = render_reply(_prompt(), "ar", catalogs)
    assert shown.text.split("\n") == [
        f"{RLM}[{RLM}{RLI}المستوى العام{PDI} · الخطوة {FSI}2{PDI} من {FSI}6{PDI}]",
        f"{RLM}اختر واحدًا:",
        f"{RLM}  1) {FSI}{RLM}المستوى العام{PDI}",
        f"{RLM}  2) {FSI}Bus 42{PDI}",
        f"{RLM}اكتب رقمًا من 1 إلى {FSI}2{PDI}.",
    ]
    # Buttons show the label alone: the catalog's text starts with RLM, a typed name has none.
    assert [b.label for b in shown.buttons] == [f"{RLM}المستوى العام", "Bus 42"]


def test_an_english_prompt_is_unchanged(catalogs: Catalogs) -> None:
    shown = render_reply(_prompt(), "en", catalogs)
    assert shown.text == (
        "[Macro · step 2 of 6]\nPick one:\n  1) Macro\n  2) Bus 42\nType a number from 1 to 2."
    )
    assert [b.label for b in shown.buttons] == ["Macro", "Bus 42"]


def test_marks_copied_back_from_the_bot_are_removed_from_what_is_stored() -> None:
    assert clean_text(f"{RLM}{FSI}Bus 42{PDI} ") == "Bus 42"
    assert clean_text(f"{RLM}{RLI}\u202e{PDI}") == ""
    assert strip_marks(f"{RLM}  3) {FSI}{RLM}الصحة{PDI}") == "  3) الصحة"
    # A zero-width non-joiner is spelling (Persian), not a direction mark: it stays.
    assert clean_text("می\u200cخواهم") == "می\u200cخواهم"
    assert fold(f"{RLM}{FSI}Yes{PDI}") == "yes"


def test_a_staff_command_copied_from_an_arabic_reply_is_still_a_command() -> None:
    typed = f"{RLM}!approve need {FSI}12{PDI}"
    assert is_staff_text(typed)
    command = parse_staff(typed)
    assert (command.name, command.args) == ("approve", ("need", "12"))


def _context() -> WorkshopContext:
    return WorkshopContext(
        domains=domain_options(),
        scenarios=[scenario_option(s.code, s.title) for s in scenario_library()],
        open_tiers=frozenset({"macro", "meso", "micro"}),
        synonyms=domain_synonyms(),
    )


def test_a_citizen_who_pastes_marked_answers_is_understood_and_stored_plain() -> None:
    engine = load_core().engine
    ctx = _context()
    state = engine.start(ConversationState(), ctx).state
    records = []
    typed = [
        f"{RLM}{FSI}1{PDI}",  # consent: yes
        f"{FSI}{RLM}Civil society and residents{PDI}",  # helix: a pasted option label
        f"{RLI}{FSI}13{PDI}, {FSI}6{PDI}{PDI}",  # domains: two numbers in a list
        f"{FSI}5{PDI}",
        f"{FSI}2{PDI}",
        f"{RLM}The bus stop is too far from the {FSI}clinic{PDI}",
        "skip",
        "yes",
    ]
    for line in typed:
        out = engine.handle(state, Inbound(line), ctx)
        state = out.state
        records.extend(out.records)
    assert state.answers["helix"] == "civil_society"
    assert state.answers["domains"] == ["mobility", "health"]
    needs = [r for r in records if isinstance(r, NeedRecord)]
    assert [(n.domain, n.importance, n.satisfaction, n.text) for n in needs] == [
        ("mobility", 5, 2, "The bus stop is too far from the clinic")
    ]


def test_a_right_to_left_locale_without_a_catalog_shows_plain_base_text(
    catalogs: Catalogs,
) -> None:
    assert catalogs.text_locale("he") == "en"
    assert catalogs.render(NEWS, "he") == (
        "Workshop Riverside 2026: 1,234 new needs (City Hall, Macro)."
    )
    assert render_reply(_prompt(), "he", catalogs).text.split("\n")[2] == "  1) Macro"
