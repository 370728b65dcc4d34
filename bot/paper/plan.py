"""What a paper form asks, built from the same scripts and catalogs as the chat.

The plan is plain data: sections (one per script), each a run of questions and of
boxes that repeat (one box per domain rated, per stakeholder named, per link, per
requirement). Every question keeps its chat prompt, help text and numbered options,
so a volunteer can type the answers into the chat for the resident (assisted entry)
or, for the macro part, into the needs CSV that ``cityneeds import`` reads: the
questions that feed that file name their column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from flows.catalog import Catalogs
from flows.messages import Option
from flows.records import RecordKind
from flows.script import Script, Step, StepKind
from flows.survey_columns import COLUMN_OF_NEED_FIELD, GROUP_COLUMN
from flows.text import Literal, Msg, Param

#: How many boxes a repeating part gets when the script sets no number, by the record
#: it saves: three stakeholders make a small map; more need another sheet.
COPIES_OF_RECORD = {"stakeholder": 3, "link": 2, "requirement": 2}
DEFAULT_COPIES = 3
#: In a prompt of a repeated box, where the box's position goes (filled per copy).
POSITION = "{position}"
#: Ruled lines for free text, by the longest answer the step accepts.
_LINES_FOR = ((120, 1), (200, 2), (500, 3), (1000, 4))
_MOST_LINES = 5


class QuestionKind(StrEnum):
    """How a question is answered on paper."""

    ONE = "one"  # tick one box
    SOME = "some"  # tick up to ``most`` boxes
    SCALE = "scale"  # tick one number of a scale
    TEXT = "text"  # write on the lines
    YES_NO = "yes_no"  # tick yes or no
    LETTER = "letter"  # write the letter of a box named earlier on the page


@dataclass(frozen=True)
class PaperOption:
    """One box to tick, numbered as in the chat."""

    number: int
    label: str


@dataclass(frozen=True)
class PaperQuestion:
    """One question.

    Attributes:
        number: Its number on the form (one series across the whole form).
        step: The script step it comes from.
        kind: How it is answered.
        prompt: The chat prompt, rendered for paper.
        help: The chat help text.
        options: Boxes to tick (ONE, SOME, YES_NO).
        least: Lowest number (SCALE) or fewest boxes (SOME).
        most: Highest number (SCALE) or most boxes (SOME).
        lines: Ruled lines to write on (TEXT).
        column: The needs-CSV column this answer is typed into, if any.
        required: Whether the chat requires an answer.
    """

    number: int
    step: str
    kind: QuestionKind
    prompt: str
    help: str
    options: tuple[PaperOption, ...] = ()
    least: int = 0
    most: int = 0
    lines: int = 0
    column: str | None = None
    required: bool = False


@dataclass(frozen=True)
class PaperBox:
    """Questions answered together; ``copies`` > 1 prints the box that many times.

    Attributes:
        questions: The questions, in chat order.
        copies: How many times the box is printed (1: a plain run of questions).
        title: What each copy is about, with ``{letter}`` for its letter (A, B, …).
        about: A question every copy starts with (which domain this box rates), if any.
    """

    questions: tuple[PaperQuestion, ...]
    copies: int = 1
    title: str = ""
    about: PaperQuestion | None = None


@dataclass(frozen=True)
class PaperSection:
    """One script: its title, introduction and boxes."""

    script: str
    title: str
    intro: str
    boxes: tuple[PaperBox, ...]


@dataclass(frozen=True)
class PaperForm:
    """A whole form in one language.

    Attributes:
        locale: Language of every text on it.
        workshop: Workshop title.
        slug: Workshop slug (printed small, for the volunteer).
        heading: What the form is and how to fill it in.
        sections: One per script, in the order the chat asks them.
        office: Lines for the volunteer: reference code, who assisted, how consent was given.
        csv_note: How the macro answers are typed into the needs CSV.
        reference: This copy's reference code (``K7QM-2XDR``), printed on every page.
        slip: The resident's slip to keep: its title, then its lines (the code, what it is for).
    """

    locale: str
    workshop: str
    slug: str
    heading: tuple[str, ...]
    sections: tuple[PaperSection, ...]
    office: tuple[str, ...]
    csv_note: str
    reference: str
    slip: tuple[str, ...]


def _letters(count: int) -> str:
    return "".join(chr(ord("A") + i) for i in range(count))


def _lines(step: Step) -> int:
    longest = step.max or 1000
    return next((n for limit, n in _LINES_FOR if longest <= limit), _MOST_LINES)


class _Builder:
    def __init__(
        self,
        catalogs: Catalogs,
        locale: str,
        domains: Sequence[Option],
        scenarios: Sequence[Option],
        helix: Sequence[Option],
    ) -> None:
        self.catalogs = catalogs
        self.locale = locale
        self.numbers: dict[str, int] = {}
        self.sources: dict[str, Sequence[Option]] = {
            "domains": domains,
            "chosen_domains": domains,
            "scenarios": scenarios,
            "helix": helix,
        }

    def t(self, msg_id: str, **params: Param) -> str:
        return self.catalogs.render(Msg(msg_id, dict(params)), self.locale)

    def prompt(self, step: Step, copies: int) -> str:
        params: dict[str, Param] = {
            "item": Msg("paper.item"),
            "scenario": Msg("paper.scenario"),
            "position": Literal(POSITION if copies > 1 else "1"),
            "count": Literal(str(max(copies, 1))),
            "min": Literal(str(step.min if step.min is not None else 0)),
            "max": Literal(str(step.max if step.max is not None else 0)),
        }
        return self.catalogs.render(Msg(step.prompt, params), self.locale)

    def options(self, step: Step) -> tuple[PaperOption, ...]:
        if step.kind in (StepKind.YES_NO, StepKind.LOOP):
            labels = [self.t("word.yes"), self.t("word.no")]
        elif step.options:
            labels = [self.t(o.label) for o in step.options]
        elif step.options_from in self.sources:
            source = self.sources[step.options_from or ""]
            labels = [self.catalogs.render(o.label, self.locale) for o in source]
        else:
            labels = []
        return tuple(PaperOption(i, label) for i, label in enumerate(labels, 1))

    def question(self, step: Step, copies: int, column: str | None = None) -> PaperQuestion:
        kind = {
            StepKind.CHOICE: QuestionKind.ONE,
            StepKind.MULTI_CHOICE: QuestionKind.SOME,
            StepKind.SCALE: QuestionKind.SCALE,
            StepKind.TEXT: QuestionKind.TEXT,
            StepKind.YES_NO: QuestionKind.YES_NO,
            StepKind.LOOP: QuestionKind.YES_NO,
            StepKind.STAKEHOLDER_PICK: QuestionKind.LETTER,
        }[step.kind]
        self.numbers[step.id] = number = len(self.numbers) + 1
        return PaperQuestion(
            number=number,
            step=step.id,
            kind=kind,
            prompt=self.prompt(step, copies),
            help=self.t(step.help),
            options=() if kind in (QuestionKind.SCALE, QuestionKind.TEXT) else self.options(step),
            least=step.min or 0,
            most=step.max or 0,
            lines=_lines(step) if kind is QuestionKind.TEXT else 0,
            column=column,
            required=step.required,
        )


def _columns(script: Script) -> dict[str, str]:
    """Step id → needs-CSV column, from the fields of the script's ``need`` record."""
    columns: dict[str, str] = {}
    for step in script.steps:
        if step.record is RecordKind.NEED:
            for field, answer in step.fields.items():
                column = COLUMN_OF_NEED_FIELD.get(field)
                if column is not None and not answer.startswith("$"):
                    source = next((s for s in script.steps if s.store_as == answer), None)
                    if source is not None:
                        columns[source.id] = column
        if step.record is RecordKind.PROFILE and "helix" in step.fields:
            columns[step.id] = GROUP_COLUMN
    return columns


def _closes_a_run(step: Step) -> bool:
    """Whether ``step`` ends a part that repeats: "add another?" or "next domain"."""
    if step.kind is StepKind.LOOP:
        # A loop that pauses (consent declined) leads back, it does not repeat.
        return step.loop_to is not None and step.next != "@pause"
    return step.kind is StepKind.CONFIRM and step.repeat_for is not None


def _repeating(script: Script) -> list[tuple[int, int, Step]]:
    """The innermost repeating runs: ``(first, last, closing step)`` by step index.

    A run starts at the step an "add another?" loop (or a per-item confirmation) goes
    back to, and ends before that step.
    """
    index = {s.id: i for i, s in enumerate(script.steps)}
    runs: list[tuple[int, int, Step]] = []
    for i, step in enumerate(script.steps):
        target = step.loop_to if _closes_a_run(step) else None
        if target is None or target not in index or index[target] >= i:
            continue
        runs.append((index[target], i - 1, step))
    inner = [r for r in runs if not any(o != r and r[0] <= o[0] and o[1] <= r[1] for o in runs)]
    return sorted(inner, key=lambda r: r[0])


def _copies(script: Script, run: Sequence[Step], closing: Step) -> int:
    source = closing.repeat_for or next((s.item_of for s in run if s.item_of), None)
    chooser = next((s for s in script.steps if s.store_as == source), None)
    if chooser is not None and chooser.max:
        return chooser.max
    return COPIES_OF_RECORD.get(_record_of(run), DEFAULT_COPIES)


def _record_of(run: Sequence[Step]) -> str:
    """The record a repeating part saves (``need``, ``stakeholder``, …)."""
    return next((str(s.record) for s in run if s.record is not None), "item")


def _on_paper(step: Step) -> bool:
    # Confirmations and "add another?" loops are what the repeated boxes replace on
    # paper; a loop that only leads back (consent declined) is not a question.
    return step.kind not in (StepKind.CONFIRM, StepKind.LOOP)


def _paper_steps(steps: Sequence[Step]) -> list[Step]:
    return [s for s in steps if _on_paper(s)]


def build_form(
    scripts: Mapping[str, Script],
    catalogs: Catalogs,
    locale: str,
    *,
    workshop: str,
    slug: str,
    domains: Sequence[Option],
    scenarios: Sequence[Option],
    reference: str,
    first: str = "onboarding",
) -> PaperForm:
    """The paper form for a workshop in ``locale``, following the scripts from ``first`` on.

    Args:
        scripts: The loaded scripts by id.
        catalogs: Message catalogs.
        locale: Language of the form.
        workshop: Workshop title.
        slug: Workshop slug.
        domains: The macro domains on offer, in chat order.
        scenarios: The workshop's scenarios, in chat order.
        reference: The reference code printed on this copy (the resident keeps it).
        first: The script the chat starts with.
    """
    onboarding = scripts.get(first)
    helix_step = next(
        (s for s in (onboarding.steps if onboarding else []) if s.store_as == "helix"), None
    )
    helix = [Option(o.value, Msg(o.label)) for o in (helix_step.options if helix_step else [])]
    b = _Builder(catalogs, locale, domains, scenarios, helix)
    sections: list[PaperSection] = []
    seen: set[str] = set()
    script_id: str | None = first
    while script_id is not None and script_id in scripts and script_id not in seen:
        seen.add(script_id)
        script = scripts[script_id]
        sections.append(_section(b, script))
        script_id = script.next_script
    letters = _letters(DEFAULT_COPIES)
    return PaperForm(
        locale=locale,
        workshop=workshop,
        slug=slug,
        heading=(
            b.t("paper.heading"),
            b.t("paper.how_to"),
        ),
        sections=tuple(sections),
        office=(
            b.t("paper.office.reference", code=Literal(reference)),
            b.t("paper.office.assisted_by"),
            b.t("paper.office.consent"),
            b.t("paper.office.date"),
        ),
        csv_note=b.t("paper.csv_note", letters=Literal(letters)),
        reference=reference,
        slip=(b.t("paper.slip_title"), b.t("paper.slip", code=Literal(reference))),
    )


def _section(b: _Builder, script: Script) -> PaperSection:
    columns = _columns(script)
    runs = _repeating(script)
    boxes: list[PaperBox] = []
    plain: list[PaperQuestion] = []
    i = 0
    steps = script.steps
    while i < len(steps):
        run = next((r for r in runs if r[0] == i), None)
        if run is None:
            if _on_paper(steps[i]):
                plain.append(b.question(steps[i], 1, columns.get(steps[i].id)))
            i += 1
            continue
        if plain:
            boxes.append(PaperBox(tuple(plain)))
            plain = []
        first, last, closing = run
        members = _paper_steps(steps[first : last + 1])
        copies = _copies(script, steps[first : last + 2], closing)
        about_of = next((s.item_of for s in members if s.item_of), None)
        about = None
        if about_of is not None:
            chooser = next((s for s in steps if s.store_as == about_of), None)
            if chooser is not None:
                about = PaperQuestion(
                    number=0,
                    step=f"{chooser.id}:item",
                    kind=QuestionKind.TEXT,
                    prompt=b.t("paper.about", question=Literal(str(b.numbers.get(chooser.id, 0)))),
                    help="",
                    lines=0,
                    column=COLUMN_OF_NEED_FIELD.get("domain") if columns else None,
                )
        boxes.append(
            PaperBox(
                questions=tuple(b.question(s, copies, columns.get(s.id)) for s in members),
                copies=copies,
                title=b.t(
                    f"paper.box.{_record_of(steps[first : last + 2])}", letter=Literal("{letter}")
                ),
                about=about,
            )
        )
        i = last + 1
    if plain:
        boxes.append(PaperBox(tuple(plain)))
    return PaperSection(
        script=script.id,
        title=b.t(script.title),
        intro=b.t(script.intro) if script.intro else "",
        boxes=tuple(boxes),
    )
