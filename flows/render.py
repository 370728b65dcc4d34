"""Render core replies into plain text plus button data, in the participant's locale."""

from __future__ import annotations

from dataclasses import dataclass

from flows.catalog import Catalogs
from flows.direction import mark_lines, numbered
from flows.messages import Reply, ReplyKind
from flows.text import Msg


@dataclass(frozen=True)
class Button:
    """A button or select entry; pressing it sends ``value`` for ``step``."""

    value: str
    label: str
    number: int


@dataclass(frozen=True)
class RenderedReply:
    """A reply as text any surface can show, with optional buttons.

    ``text`` always lists the options by number, so buttons are never the only way.
    ``bounds`` are the step's limits, so a surface can draw its controls from the
    reply alone: a scale's lowest and highest value, how many options a
    multi-choice takes at least and at most, a text's shortest and longest length.
    """

    text: str
    kind: ReplyKind
    buttons: tuple[Button, ...] = ()
    multi: bool = False
    step: str | None = None
    step_kind: str | None = None
    progress: str | None = None
    header: str | None = None
    body: str = ""
    bounds: tuple[int, int] | None = None

    @property
    def low(self) -> int | None:
        """The step's lower bound (scale value, options picked, characters), if any."""
        return self.bounds[0] if self.bounds is not None else None

    @property
    def high(self) -> int | None:
        """The step's upper bound (scale value, options picked, characters), if any."""
        return self.bounds[1] if self.bounds is not None else None


def render_reply(reply: Reply, locale: str, catalogs: Catalogs) -> RenderedReply:
    """Render ``reply`` in ``locale``: progress line, body, numbered options and a hint.

    In a right-to-left locale every line of ``text`` starts with RLM and each
    option's label is isolated (see :mod:`flows.direction`); buttons keep the
    label as the catalog renders it.
    """
    body = catalogs.render(reply.body, locale)
    buttons = tuple(
        Button(opt.value, catalogs.render(opt.label, locale), number)
        for number, opt in enumerate(reply.options, start=1)
    )
    lines: list[str] = []
    progress = None
    if reply.progress is not None:
        progress = catalogs.render(
            Msg(
                "progress",
                {
                    "tier": Msg(f"tier.{reply.progress.tier}"),
                    "index": reply.progress.index,
                    "total": reply.progress.total,
                },
            ),
            locale,
        )
        lines.append(f"[{progress}]")
    lines.append(body)
    marks = catalogs.text_locale(locale)
    lines.extend(f"  {numbered(b.number, b.label, marks)}" for b in buttons)
    hint = _hint(reply, len(buttons))
    if hint is not None and reply.kind == ReplyKind.PROMPT:
        lines.append(catalogs.render(hint, locale))
    return RenderedReply(
        text=mark_lines("\n".join(lines), marks),
        kind=reply.kind,
        buttons=buttons,
        multi=reply.multi,
        step=reply.step,
        step_kind=reply.step_kind,
        progress=progress,
        header=progress,
        body=body,
        bounds=reply.bounds,
    )


def _hint(reply: Reply, count: int) -> Msg | None:
    kind = reply.step_kind
    if kind is None:
        return None
    low, high = reply.bounds or (0, 0)
    if kind == "multi_choice":
        if low == 0:
            return Msg("hint.multi_choice_optional", {"max": high or count})
        return Msg("hint.multi_choice", {"min": low or 1, "max": high or count})
    if kind in ("choice", "stakeholder_pick"):
        if count == 1:
            return Msg(f"hint.{kind}_single")
        return Msg(f"hint.{kind}", {"count": count})
    if kind == "scale":
        return Msg("hint.scale", {"min": low, "max": high})
    if kind == "text":
        return Msg("hint.text", {"max": high})
    return Msg("hint.yes_no")
