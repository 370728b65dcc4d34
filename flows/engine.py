"""The conversation engine: ``(state, inbound, context) -> Outcome``. Pure; no I/O."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flows import actor_step
from flows.answers import (
    DEFAULT_TEXT_MAX,
    Accepted,
    OptionMatcher,
    Rejected,
    Verdict,
    parse_choice,
    parse_multi,
    parse_scale,
    parse_text,
    parse_yes_no,
)
from flows.catalog import Catalogs
from flows.commands import Command, ParsedCommand, parse_command, resolve_locale
from flows.context import WorkshopContext
from flows.greetings import Greetings
from flows.messages import (
    Effect,
    EffectKind,
    Inbound,
    InboundKind,
    Option,
    Outcome,
    Progress,
    Reply,
    ReplyKind,
)
from flows.normalize import clean_text
from flows.records import Record, RecordKind, StakeholderRecord, build_record
from flows.reopen import remember_saved, reopen
from flows.scenario_choice import SCENARIOS_DONE_KEY, any_scenario_left
from flows.script import YES_NO_KINDS, Script, Step, StepKind
from flows.state import ConversationState, Snapshot
from flows.step_options import STAKEHOLDERS_KEY, display, item_of, label_of, options_for
from flows.text import Listing, Literal, Msg, Param
from flows.transitions import next_step

#: The first script every participant starts with.
FIRST_SCRIPT = "onboarding"
#: After this many invalid answers in a row the engine offers a way out.
STUCK_AFTER = 3
#: Answer key holding the stakeholders named so far (for stakeholder_pick).
SCRIPT_END = "@script_end"
PAUSE = "@pause"

_YES_NO_OPTIONS = (Option("yes", Msg("word.yes")), Option("no", Msg("word.no")))
#: Commands that work the same wherever the participant is.
_ANYTIME = frozenset(
    {
        Command.MY_DATA,
        Command.FORGET_ME,
        Command.GLOSSARY,
        Command.REMINDERS_OFF,
        Command.REMINDERS_ON,
    }
)


class _Turn:
    """Accumulates one turn's output."""

    def __init__(self, state: ConversationState) -> None:
        self.state = state
        self.replies: list[Reply] = []
        self.records: list[Record] = []
        self.revisions: list[Record] = []
        self.effects: list[Effect] = []

    def say(self, msg_id: str, kind: ReplyKind = ReplyKind.INFO, **params: Param) -> None:
        self.replies.append(Reply(Msg(msg_id, dict(params)), kind))

    def outcome(self) -> Outcome:
        return Outcome(self.state, self.replies, self.records, self.effects, self.revisions)


class Engine:
    """Runs the workshop scripts for one participant turn at a time.

    Args:
        scripts: All scripts by id; must include ``onboarding``.
        catalogs: Message catalogs (for matching typed labels and command words).
    """

    def __init__(self, scripts: Mapping[str, Script], catalogs: Catalogs) -> None:
        if FIRST_SCRIPT not in scripts:
            raise ValueError(f"the scripts must include {FIRST_SCRIPT!r}")
        self.scripts = dict(scripts)
        self.catalogs = catalogs
        self._yes = catalogs.all_words("word.yes")
        self._no = catalogs.all_words("word.no")
        self._none = catalogs.all_words("word.none")
        self._number_words = {
            word: number
            for table in catalogs.words.values()
            for number, word in enumerate(table.get("number.words", ()))
        }
        self._greeting = Greetings(catalogs)

    # ----------------------------------------------------------------- entry
    def handle(self, state: ConversationState, inbound: Inbound, ctx: WorkshopContext) -> Outcome:
        """Process one inbound message and return the new state, replies and records.

        ``state`` is not modified; the outcome holds a new state.
        """
        turn = _Turn(_copy(state))
        text = clean_text(inbound.text)
        command = parse_command(text, self.catalogs) if inbound.kind == InboundKind.TEXT else None
        st = turn.state

        if command and command.command == Command.LANG:
            self._lang(turn, command, ctx)
        elif st.pending_forget:
            self._confirm_forget(turn, text, ctx)
        elif command and command.command in _ANYTIME:
            self._anytime(turn, command.command, ctx)
            if command.command != Command.FORGET_ME and self._at_question(st):
                self._prompt(turn, ctx)
        elif not st.script:
            self._start(turn, ctx)
        elif st.finished:
            self._finished(turn, command, ctx)
        elif st.paused:
            st.paused = False
            turn.say("resume.welcome_back")
            self._prompt(turn, ctx)
        elif st.waiting_tier:
            self._check_waiting(turn, ctx, command)
        elif (command and command.command == Command.JOIN) or (
            command is None and inbound.kind == InboundKind.TEXT and self._greeting(text)
        ):
            # A greeting is not an answer: say so, show the question, count no try.
            turn.say("greeting.not_an_answer")
            self._prompt(turn, ctx)
        elif command:
            self._command(turn, command, ctx)
        elif inbound.kind == InboundKind.BUTTON and inbound.step not in (None, st.step):
            turn.say("error.stale_button", ReplyKind.ERROR)
            self._prompt(turn, ctx)
        else:
            self._answer(turn, text, ctx)
        return turn.outcome()

    def start(self, state: ConversationState, ctx: WorkshopContext) -> Outcome:
        """Greet a participant who joined (or resume one who comes back)."""
        turn = _Turn(_copy(state))
        if not turn.state.script:
            self._start(turn, ctx)
        elif turn.state.finished:
            turn.say("done.all", ReplyKind.DONE)
        else:
            turn.state.paused = False
            turn.say("resume.welcome_back")
            if turn.state.waiting_tier:
                self._check_waiting(turn, ctx, None)
            else:
                self._prompt(turn, ctx)
        return turn.outcome()

    @staticmethod
    def _at_question(st: ConversationState) -> bool:
        """Whether the participant has a question in hand (to show again after a command)."""
        return bool(st.script) and not (st.finished or st.paused or st.waiting_tier)

    def current_prompt(self, state: ConversationState, ctx: WorkshopContext) -> Reply | None:
        """The prompt the participant is at, if any (for adapters that redraw it)."""
        if not state.script or state.finished or state.waiting_tier:
            return None
        turn = _Turn(state)
        self._prompt(turn, ctx)
        return turn.replies[-1]

    # ------------------------------------------------------------- commands
    def _start(self, turn: _Turn, ctx: WorkshopContext) -> None:
        turn.say("welcome.intro")
        self._enter_script(turn, FIRST_SCRIPT, ctx)

    def _finished(self, turn: _Turn, command: ParsedCommand | None, ctx: WorkshopContext) -> None:
        if (
            command
            and command.command == Command.BACK
            and reopen(turn.state, ctx.open_tiers, self.scripts)
        ):
            # The last item saved before finishing can still be corrected.
            turn.state.finished = False
            turn.say("back.reopened")
            self._prompt(turn, ctx)
            return
        if command and command.command == Command.HELP:
            turn.say("help.commands")
        elif command and command.command == Command.STATUS:
            turn.effects.append(Effect(EffectKind.SHOW_STATUS))
        turn.say("done.all", ReplyKind.DONE)

    def _lang(self, turn: _Turn, command: ParsedCommand, ctx: WorkshopContext) -> None:
        locale = resolve_locale(command.argument, self.catalogs)
        if locale is None:
            turn.say(
                "error.unknown_lang",
                ReplyKind.ERROR,
                code=Literal(command.argument or ""),
                codes=Listing(
                    tuple(
                        Msg(f"language.{code}")
                        if self.catalogs.has(f"language.{code}")
                        else Literal(code)
                        for code in self.catalogs.locales
                    )
                ),
            )
            return
        turn.state.locale = locale
        turn.effects.append(Effect(EffectKind.SET_LOCALE, locale))
        turn.say("lang.changed")
        if turn.state.script and not turn.state.finished and not turn.state.paused:
            if turn.state.waiting_tier:
                self._check_waiting(turn, ctx, None)
            else:
                self._prompt(turn, ctx)

    def _anytime(self, turn: _Turn, command: Command, ctx: WorkshopContext) -> None:
        if command == Command.MY_DATA:
            turn.effects.append(Effect(EffectKind.SHOW_MY_DATA))
        elif command == Command.GLOSSARY:
            turn.say("glossary.text")
        elif command in (Command.REMINDERS_OFF, Command.REMINDERS_ON):
            enabled = command == Command.REMINDERS_ON
            turn.effects.append(Effect(EffectKind.SET_REMINDERS, "on" if enabled else "off"))
            turn.say("reminders.on" if enabled else "reminders.off")
        else:
            turn.state.pending_forget = True
            turn.replies.append(
                Reply(Msg("forget.confirm"), ReplyKind.PROMPT, options=_YES_NO_OPTIONS)
            )

    def _confirm_forget(self, turn: _Turn, text: str, ctx: WorkshopContext) -> None:
        verdict = parse_yes_no(text, self._yes, self._no)
        if isinstance(verdict, Rejected):
            turn.replies.append(Reply(verdict.reason, ReplyKind.ERROR, options=_YES_NO_OPTIONS))
            return
        if verdict.value:
            locale = turn.state.locale
            turn.state = ConversationState(locale=locale)
            turn.effects.append(Effect(EffectKind.FORGET_ME))
            turn.say("forget.done", ReplyKind.DONE)
            return
        turn.state.pending_forget = False
        turn.say("forget.cancelled")
        if turn.state.script and not turn.state.finished and not turn.state.waiting_tier:
            self._prompt(turn, ctx)

    def _check_waiting(
        self, turn: _Turn, ctx: WorkshopContext, command: ParsedCommand | None
    ) -> None:
        tier = turn.state.waiting_tier or ""
        if tier in ctx.open_tiers:
            turn.state.waiting_tier = None
            script = self._script_for_tier(tier)
            self._enter_script(turn, script.id, ctx)
            return
        if command and command.command == Command.HELP:
            turn.say("help.commands")
        turn.say("tier.closed_wait", tier=Msg(f"tier.{tier}"))

    def _command(self, turn: _Turn, parsed: ParsedCommand, ctx: WorkshopContext) -> None:
        st = turn.state
        step = self._step(st)
        command = parsed.command
        if command == Command.HELP:
            turn.replies.append(Reply(Msg(step.help), ReplyKind.INFO))
            turn.say("help.commands")
            self._prompt(turn, ctx)
        elif command in (Command.REPEAT, Command.JOIN):
            self._prompt(turn, ctx)
        elif command == Command.STATUS:
            turn.effects.append(Effect(EffectKind.SHOW_STATUS))
            self._prompt(turn, ctx)
        elif command == Command.STOP:
            st.paused = True
            turn.say("stop.paused", ReplyKind.DONE)
        elif command == Command.BACK:
            self._back(turn, ctx)
        elif command == Command.SKIP:
            self._skip(turn, step, ctx)

    def _back(self, turn: _Turn, ctx: WorkshopContext) -> None:
        st = turn.state
        if not st.history:
            if reopen(st, ctx.open_tiers, self.scripts):
                turn.say("back.reopened")
                self._prompt(turn, ctx)
                return
            if st.editing is not None:
                msg = "error.back_item_start"
            else:
                msg = "error.back_committed" if st.seq > 0 else "error.back_start"
            turn.say(msg, ReplyKind.ERROR)
            self._prompt(turn, ctx)
            return
        snap = st.history.pop()
        st.script, st.step = snap.script, snap.step
        st.answers, st.cursor = dict(snap.answers), dict(snap.cursor)
        st.failures = 0
        turn.say("back.done")
        self._prompt(turn, ctx)

    def _skip(self, turn: _Turn, step: Step, ctx: WorkshopContext) -> None:
        if step.required or step.kind == StepKind.CONFIRM:
            turn.say("error.skip_required", ReplyKind.ERROR)
            self._prompt(turn, ctx)
            return
        if step.kind in YES_NO_KINDS:
            self._accept(turn, step, False, ctx)
            return
        empty: Any = [] if step.kind == StepKind.MULTI_CHOICE else None
        self._accept(turn, step, empty, ctx)

    # --------------------------------------------------------------- answers
    def _answer(self, turn: _Turn, text: str, ctx: WorkshopContext) -> None:
        step = self._step(turn.state)
        verdict = self._interpret(step, text, turn.state, ctx)
        if isinstance(verdict, Accepted):
            self._accept(turn, step, verdict.value, ctx)
            return
        turn.state.failures += 1
        stuck = turn.state.failures >= STUCK_AFTER
        # A required question is never left by skipping: when stuck, show its menu.
        menu = verdict.show_options or (stuck and step.required)
        options = options_for(step, turn.state, ctx) if menu else ()
        if step.kind in YES_NO_KINDS and menu:
            options = _YES_NO_OPTIONS
        reason = verdict.reason
        if step.required and reason.id == "error.text_empty":
            reason = Msg("error.text_empty_required", reason.params)
        turn.replies.append(
            Reply(
                reason,
                ReplyKind.ERROR,
                options=tuple(options),
                multi=step.kind == StepKind.MULTI_CHOICE,
                step=step.id,
                step_kind=step.kind.value,
                bounds=_bounds(step),
            )
        )
        if stuck:
            if not step.required:
                turn.say("error.stuck", ReplyKind.INFO)
            elif options and step.kind not in YES_NO_KINDS:
                turn.say("error.stuck_required_menu", ReplyKind.INFO)
            else:
                turn.say("error.stuck_required", ReplyKind.INFO)

    def _interpret(
        self, step: Step, text: str, state: ConversationState, ctx: WorkshopContext
    ) -> Verdict:
        if step.kind in YES_NO_KINDS:
            return parse_yes_no(text, self._yes, self._no)
        if step.kind == StepKind.SCALE:
            return parse_scale(text, step.min or 0, step.max or 0, self._number_words)
        if step.kind == StepKind.TEXT and step.options_from == actor_step.SOURCE:
            named = [str(n) for n in state.answers.get(STAKEHOLDERS_KEY, [])]
            options = options_for(step, state, ctx)
            least, most = step.min or 1, step.max or DEFAULT_TEXT_MAX
            return actor_step.interpret_actor(text, options, named, least, most)
        if step.kind == StepKind.TEXT:
            return parse_text(text, step.min or 1, step.max or DEFAULT_TEXT_MAX)
        options = options_for(step, state, ctx, marked=False)
        matcher = OptionMatcher(options, self.catalogs, ctx.synonyms)
        if step.kind == StepKind.MULTI_CHOICE:
            least = step.min if step.min is not None else 1
            most = step.max if step.max is not None else len(matcher.options)
            return parse_multi(text, matcher, least, most, self._none)
        return parse_choice(text, matcher)

    def _accept(self, turn: _Turn, step: Step, value: Any, ctx: WorkshopContext) -> None:
        st = turn.state
        st.history.append(
            Snapshot(
                step=st.step, script=st.script, answers=dict(st.answers), cursor=dict(st.cursor)
            )
        )
        st.failures = 0
        if step.store_as:
            st.answers[step.store_as] = value
        target: str | None
        if step.kind == StepKind.CONFIRM and not value:
            target = step.edit
            turn.say("confirm.edit")
        elif step.kind == StepKind.LOOP and value:
            target = step.loop_to
            for key in step.clear:
                st.answers.pop(key, None)
        else:
            if step.record and (step.kind not in YES_NO_KINDS or value):
                self._emit(turn, step)
            target = self._after_commit(st, step) if step.repeat_for else None
            if target is None:
                target = self._next(st, step)
        self._go(turn, target, ctx)

    def _emit(self, turn: _Turn, step: Step) -> None:
        st = turn.state
        assert step.record is not None
        data: dict[str, Any] = {}
        for name, source in step.fields.items():
            data[name] = item_of(st, step) if source == "$item" else st.answers.get(source)
        seq = st.seq if st.editing is None else st.editing
        record = build_record(step.record, seq, data)
        if st.editing is None:
            turn.records.append(record)
            st.seq += 1
        else:
            turn.revisions.append(record)
            st.editing = None
            turn.say("back.edit_saved")
        if isinstance(record, StakeholderRecord):
            names = list(st.answers.get(STAKEHOLDERS_KEY, []))
            names.append(record.name)
            st.answers[STAKEHOLDERS_KEY] = names
            done = list(st.answers.get(SCENARIOS_DONE_KEY, []))
            if record.scenario not in done:
                st.answers[SCENARIOS_DONE_KEY] = [*done, record.scenario]
        for key in step.clear:
            st.answers.pop(key, None)
        if record.kind == RecordKind.CONSENT:
            # Consent is withdrawn with ``forget me``, not edited.
            st.saved = None
        else:
            remember_saved(st, seq, step, self.scripts)
        st.history.clear()

    def _after_commit(self, st: ConversationState, step: Step) -> str | None:
        assert step.repeat_for is not None
        items = st.answers.get(step.repeat_for) or []
        position = st.cursor.get(step.repeat_for, 0) + 1
        if position < len(items):
            st.cursor[step.repeat_for] = position
            return step.loop_to
        st.cursor.pop(step.repeat_for, None)
        return None

    def _next(self, st: ConversationState, step: Step) -> str:
        known = len(st.answers.get(STAKEHOLDERS_KEY, []))
        return next_step(self.scripts[st.script], step, st.answers, known) or SCRIPT_END

    def _go(self, turn: _Turn, target: str | None, ctx: WorkshopContext) -> None:
        st = turn.state
        if target == PAUSE:
            st.paused = True
            turn.say("stop.paused", ReplyKind.DONE)
            return
        if target in (None, SCRIPT_END):
            following = self.scripts[st.script].next_script
            if following is None:
                st.finished = True
                st.history.clear()
                turn.say("done.all", ReplyKind.DONE)
                return
            self._enter_script(turn, following, ctx)
            return
        step = self.scripts[st.script].step(target)
        if step.kind == StepKind.LOOP and not self._loop_has_room(step, st, ctx):
            self._go(turn, self._next(st, step), ctx)
            return
        st.step = target
        self._prompt(turn, ctx)

    def _loop_has_room(self, step: Step, st: ConversationState, ctx: WorkshopContext) -> bool:
        """Whether looping back still leaves something to pick ("another scenario?")."""
        again = self.scripts[st.script].step(step.loop_to or "")
        if again.options_from == "scenarios":
            return any_scenario_left(ctx.scenarios, st.answers)
        return True

    def _enter_script(self, turn: _Turn, script_id: str, ctx: WorkshopContext) -> None:
        st = turn.state
        script = self.scripts[script_id]
        if script.tier != "onboarding" and script.tier not in ctx.open_tiers:
            st.waiting_tier = script.tier
            st.history.clear()
            turn.say("tier.closed_wait", tier=Msg(f"tier.{script.tier}"))
            return
        st.script, st.step = script.id, script.steps[0].id
        st.history.clear()
        if script.intro:
            turn.say(script.intro)
        self._prompt(turn, ctx)

    def _script_for_tier(self, tier: str) -> Script:
        return next(s for s in self.scripts.values() if s.tier == tier)

    # ---------------------------------------------------------------- prompts
    def _step(self, st: ConversationState) -> Step:
        return self.scripts[st.script].step(st.step)

    def _prompt(self, turn: _Turn, ctx: WorkshopContext) -> None:
        st = turn.state
        script = self.scripts[st.script]
        step = script.step(st.step)
        params: dict[str, Param] = {}
        item = item_of(st, step)
        if item is not None:
            params["item"] = label_of(item, "domains", ctx)
            items = st.answers.get(step.item_of or "", [])
            params["position"] = st.cursor.get(step.item_of or "", 0) + 1
            params["count"] = len(items)
        if "scenario" in st.answers and st.answers["scenario"] is not None:
            params["scenario"] = label_of(st.answers["scenario"], "scenarios", ctx)
        if isinstance(st.answers.get("module"), str):
            params["module"] = Literal(st.answers["module"])
        if step.min is not None:
            params["min"] = step.min
        if step.max is not None:
            params["max"] = step.max
        if step.kind == StepKind.CONFIRM:
            for name, source in step.fields.items():
                params[name] = display(st, script, source, item, ctx)
        counted = script.counted_steps()
        progress = (
            Progress(script.tier, counted.index(step.id) + 1, len(counted))
            if step.id in counted and script.tier != "onboarding"
            else None
        )
        options: Sequence[Option] = options_for(step, st, ctx)
        if step.kind in YES_NO_KINDS:
            options = _YES_NO_OPTIONS
        turn.replies.append(
            Reply(
                Msg(step.prompt, params),
                ReplyKind.PROMPT,
                options=tuple(options),
                multi=step.kind == StepKind.MULTI_CHOICE,
                progress=progress,
                step=step.id,
                step_kind=step.kind.value,
                bounds=_bounds(step),
            )
        )


def _copy(state: ConversationState) -> ConversationState:
    """A deep copy of the state (dump and validate: an order of magnitude faster than deepcopy)."""
    return ConversationState.model_validate(state.model_dump())


def _bounds(step: Step) -> tuple[int, int] | None:
    """A step's ``(min, max)`` for the reply, so surfaces draw controls from the reply alone."""
    return (step.min, step.max) if step.min is not None and step.max is not None else None
