"""What a step offers and how stored answers read back: options, labels, the item in hand."""

from __future__ import annotations

from collections.abc import Sequence

from flows import actor_step
from flows.context import WorkshopContext
from flows.messages import Option
from flows.scenario_choice import scenario_options
from flows.script import Script, Step, StepKind
from flows.state import ConversationState
from flows.text import Listing, Literal, Msg, Text

#: Answer key holding the stakeholders named so far in the current scenario.
STAKEHOLDERS_KEY = "_stakeholders"


def item_of(st: ConversationState, step: Step) -> str | None:
    """The item a per-item step is about now (the domain being rated), if any."""
    if not step.item_of:
        return None
    items = st.answers.get(step.item_of) or []
    position = st.cursor.get(step.item_of, 0)
    return str(items[position]) if position < len(items) else None


def options_for(
    step: Step, st: ConversationState, ctx: WorkshopContext, *, marked: bool = True
) -> Sequence[Option]:
    """The options ``step`` offers now (``marked``: scenarios of the chosen domains marked)."""
    if step.options:
        return [Option(o.value, Msg(o.label), tuple(o.synonyms)) for o in step.options]
    source = step.options_from
    if source is None and step.kind != StepKind.STAKEHOLDER_PICK:
        return []
    if source == "domains":
        return ctx.domains
    if source == "scenarios":
        return scenario_options(
            ctx.scenarios, ctx.scenario_domains, st.answers, ctx.domains, marked=marked
        )
    if source == actor_step.SOURCE:
        named = [str(n) for n in st.answers.get(STAKEHOLDERS_KEY, [])]
        return actor_step.actor_options(ctx.actors, named)
    if source == "chosen_domains":
        chosen = st.answers.get("domains") or []
        picked = [o for o in ctx.domains if o.value in chosen]
        return picked or ctx.domains
    names = [str(n) for n in st.answers.get(STAKEHOLDERS_KEY, [])]
    excluded = st.answers.get(step.exclude) if step.exclude else None
    return [Option(name, Literal(name)) for name in names if name != excluded]


def label_of(value: str, source: str, ctx: WorkshopContext) -> Text:
    """The label of a domain or scenario code (the code itself if unknown)."""
    pool = ctx.domains if source == "domains" else ctx.scenarios
    for option in pool:
        if option.value == value:
            return option.label
    return Literal(value)


def display(
    st: ConversationState,
    script: Script,
    source: str,
    item: str | None,
    ctx: WorkshopContext,
) -> Text | str | int:
    """How a stored answer reads back in a confirmation (labels, lists, "none", "skipped")."""
    if source == "$item":
        return label_of(item or "", "domains", ctx)
    value = st.answers.get(source)
    if value == []:
        return Msg("value.none")
    if value is None:
        return Msg("value.skipped")
    asker = next((s for s in script.steps if s.store_as == source), None)
    if source == "scenario":
        return label_of(str(value), "scenarios", ctx)
    if asker is None or asker.kind in (StepKind.TEXT, StepKind.SCALE):
        return Literal(str(value)) if isinstance(value, str) else int(value)
    options = {o.value: o.label for o in options_for(asker, st, ctx)}
    if isinstance(value, list):
        return Listing(tuple(options.get(str(v), Literal(str(v))) for v in value))
    return options.get(str(value), Literal(str(value)))
