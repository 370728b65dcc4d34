"""The sans-I/O engine on its own: no database, no platform, no clock."""

from __future__ import annotations

import pytest

from bot.core import load_core
from flows.context import WorkshopContext
from flows.engine import Engine
from flows.library import domain_options, domain_synonyms, scenario_library, scenario_option
from flows.messages import Inbound, InboundKind, Outcome, RecordKind, ReplyKind
from flows.render import render_reply
from flows.state import ConversationState


@pytest.fixture(scope="module")
def engine() -> Engine:
    return load_core().engine


def _ctx(open_tiers: frozenset[str] = frozenset({"macro", "meso", "micro"})) -> WorkshopContext:
    return WorkshopContext(
        domains=domain_options(),
        scenarios=[scenario_option(s.code, s.title) for s in scenario_library()],
        open_tiers=open_tiers,
        synonyms=domain_synonyms(),
    )


class Talk:
    """A participant talking to the bare engine."""

    def __init__(self, engine: Engine, ctx: WorkshopContext | None = None) -> None:
        self.engine = engine
        self.ctx = ctx or _ctx()
        self.state = ConversationState()
        self.out: Outcome = engine.start(self.state, self.ctx)
        self.state = self.out.state

    def say(self, text: str, *, button_step: str | None = None) -> Outcome:
        kind = InboundKind.BUTTON if button_step else InboundKind.TEXT
        self.out = self.engine.handle(self.state, Inbound(text, kind, button_step), self.ctx)
        self.state = self.out.state
        return self.out

    def text(self) -> str:
        catalogs = load_core().catalogs
        locale = self.state.locale
        return "\n".join(render_reply(r, locale, catalogs).text for r in self.out.replies)


def test_handle_does_not_mutate_the_given_state(engine: Engine) -> None:
    talk = Talk(engine)
    before = talk.state.model_dump()
    engine.handle(talk.state, Inbound("yes"), talk.ctx)
    assert talk.state.model_dump() == before


def test_consent_declined_stores_nothing_and_pauses(engine: Engine) -> None:
    talk = Talk(engine)
    assert talk.say("no").records == []
    assert talk.state.step == "consent_declined"
    talk.say("no")
    assert talk.state.paused and talk.out.records == []
    talk.say("anything")
    assert talk.state.step == "consent_declined"  # resumes where it paused
    talk.say("yes")
    assert talk.state.step == "consent"
    assert talk.say("yes").records[0].kind == RecordKind.CONSENT


def test_three_failures_offer_a_way_out_instead_of_looping(engine: Engine) -> None:
    talk = Talk(engine)
    talk.say("yes")
    talk.say("4")
    talk.say("mobility")
    for attempt in range(1, 4):
        talk.say("banana")
        assert ("type skip to leave it out" in talk.text()) is (attempt == 3)
    talk.say("skip")
    assert talk.state.step == "satisfaction"
    assert talk.state.failures == 0


def test_back_restores_the_previous_answer_and_reopens_a_saved_record(engine: Engine) -> None:
    talk = Talk(engine)
    for line in ("yes", "4", "mobility", "5"):
        talk.say(line)
    assert talk.state.answers["importance"] == 5
    talk.say("back")
    assert talk.state.step == "importance" and "importance" not in talk.state.answers
    talk.say("3")
    for line in ("2", "Too few buses at night", "skip", "yes"):
        talk.say(line)
    assert talk.state.step == "scenario"
    talk.say("back")
    assert talk.state.step == "need_confirm" and talk.state.editing == 2
    for step in ("hmw", "need_text", "satisfaction", "importance"):
        talk.say("back")
        assert talk.state.step == step
    talk.say("back")  # the first question of the item: it stays open for editing
    assert talk.state.step == "importance" and "first question" in talk.text()
    for line in ("4", "2", "Too few buses at night", "skip"):
        talk.say(line)
    out = talk.say("yes")
    assert out.records == [] and [r.seq for r in out.revisions] == [2]
    assert getattr(out.revisions[0], "importance", None) == 4
    assert talk.state.step == "scenario" and talk.state.editing is None and talk.state.seq == 3


def test_confirm_no_goes_back_to_edit_and_yes_stores_once(engine: Engine) -> None:
    talk = Talk(engine)
    for line in ("yes", "4", "mobility", "5", "2", "Buses are late", "skip"):
        talk.say(line)
    assert talk.state.step == "need_confirm"
    talk.say("no")
    assert talk.state.step == "importance"
    for line in ("4", "1", "Buses are always late", "skip"):
        talk.say(line)
    records = talk.say("yes").records
    assert [(r.kind, r.importance, r.text) for r in records] == [
        (RecordKind.NEED, 4, "Buses are always late")
    ]


def test_language_switch_renders_the_same_step_in_chinese(engine: Engine) -> None:
    talk = Talk(engine)
    talk.say("lang zh")
    assert talk.state.locale == "zh" and talk.state.step == "consent"
    assert "您同意吗" in talk.text()
    talk.say("是")
    talk.say("公民社会与居民")
    assert talk.state.step == "domains" and talk.state.answers["helix"] == "civil_society"
    talk.say("lang klingon")
    names = [engine.catalogs.template(f"language.{code}", "zh") for code in engine.catalogs.locales]
    assert "klingon" in talk.text() and f"：{'、'.join(names)}" in talk.text()
    assert {"英文", "中文", "西班牙语"} <= set(names)


def test_a_stale_button_gets_the_current_prompt(engine: Engine) -> None:
    talk = Talk(engine)
    talk.say("yes")
    talk.say("government", button_step="consent")
    assert talk.out.replies[0].kind == ReplyKind.ERROR
    assert talk.state.step == "helix"
    talk.say("government", button_step="helix")
    assert talk.state.step == "domains"


def test_closed_tier_waits_and_continues_when_opened(engine: Engine) -> None:
    macro_only = _ctx(frozenset({"macro"}))
    talk = Talk(engine, macro_only)
    for line in ("yes", "4", "mobility", "5", "2", "Buses are late", "skip", "yes"):
        talk.say(line)
    assert talk.state.waiting_tier == "meso"
    talk.say("hello?")
    assert "is not open yet" in talk.text()
    talk.ctx = _ctx()
    talk.say("hello?")
    assert talk.state.waiting_tier is None and talk.state.step == "scenario"


def test_forget_me_asks_first_and_can_be_cancelled(engine: Engine) -> None:
    talk = Talk(engine)
    talk.say("yes")
    talk.say("forget me")
    assert talk.state.pending_forget and "cannot be undone" in talk.text()
    talk.say("no")
    assert not talk.state.pending_forget and talk.state.step == "helix"
    talk.say("forget me")
    out = talk.say("yes")
    assert [e.kind.value for e in out.effects] == ["forget_me"]
    assert talk.state.script == "" and talk.state.seq == 0


def test_record_sequence_numbers_are_unique_and_increasing(engine: Engine) -> None:
    from tests.citizen import LINES

    talk = Talk(engine)
    seqs = []
    for line in LINES:
        seqs.extend(r.seq for r in talk.say(line).records)
    # consent, profile, 2 needs, 2 stakeholders, a link and a requirement
    assert seqs == list(range(len(seqs))) and len(seqs) == 8
    assert talk.state.finished
