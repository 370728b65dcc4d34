"""Fuzz the engine with 10,000 generated messages and button presses across every step."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import load_core
from flows.context import WorkshopContext
from flows.library import domain_options, domain_synonyms, scenario_library, scenario_option
from flows.messages import EffectKind, Inbound, InboundKind, RecordKind
from flows.render import render_reply
from flows.state import ConversationState
from tests.citizen import LINES
from tests.fuzz_inputs import STEPS, WORDS

CORE = load_core()
CTX = WorkshopContext(
    domains=domain_options(),
    scenarios=[scenario_option(s.code, s.title) for s in scenario_library()],
    synonyms=domain_synonyms(),
)
#: The smaller of the platforms' message limits (Discord 2,000; a Slack section holds 3,000).
DISCORD_MESSAGE = 2000

typed = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(LINES),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=25_000),
    st.integers(-1000, 1000).map(str),
).map(lambda t: Inbound(t))
pressed = st.builds(
    lambda value, step: Inbound(value, InboundKind.BUTTON, step),
    st.one_of(st.sampled_from(WORDS), st.text(max_size=30)),
    st.sampled_from(STEPS),
)
messages = st.lists(st.one_of(typed, typed, pressed), min_size=100, max_size=100)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(messages)
def test_no_exception_escapes_and_replies_fit_every_platform(batch: list[Inbound]) -> None:
    state = CORE.engine.start(ConversationState(), CTX).state
    seqs: list[int] = []
    saved: dict[int, RecordKind] = {}
    for inbound in batch:
        outcome = CORE.engine.handle(state, inbound, CTX)
        state = outcome.state
        # Every message gets an answer: replies, or an effect the router answers
        # (``my data`` is rendered from the database by the router).
        assert outcome.replies or outcome.effects, inbound
        for reply in outcome.replies:
            text = render_reply(reply, state.locale, CORE.catalogs).text
            assert 0 < len(text) <= DISCORD_MESSAGE, (inbound, len(text))
        if any(e.kind == EffectKind.FORGET_ME for e in outcome.effects):
            saved.clear()
        # An edit (``back`` after a save) replaces a record given earlier, never a new one.
        for revision in outcome.revisions:
            assert saved.get(revision.seq) == revision.kind, revision
        saved.update({r.seq: r.kind for r in outcome.records})
        seqs.extend(r.seq for r in outcome.records)
        for record in outcome.records:
            for key in ("importance", "satisfaction", "power", "interest"):
                value = getattr(record, key, None)
                assert value is None or 1 <= value <= 5, record
        ConversationState.model_validate(state.model_dump(mode="json"))  # survives a restart
    if not any(i.text == "forget me" for i in batch):
        assert seqs == sorted(set(seqs))
