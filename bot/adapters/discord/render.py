"""The router's replies as Discord messages: escaped text split at 2,000, plus components."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.adapters.discord.views import FormButton, StepButton, StepSelect
from bot.digest.split import split_text, truncate
from bot.escape import discord_text
from flows.catalog import Catalogs
from flows.forms import FormSpec
from flows.render import RenderedReply
from flows.script import StepKind
from flows.text import Msg

#: Discord's limit on message content.
CONTENT_CHARS = 2000
#: Buttons fit in one row; more options (or several answers) get a select menu.
MAX_BUTTONS = 5
#: Options a select menu can hold.
MAX_SELECT = 25
#: Discord's limits on labels and values.
BUTTON_LABEL_CHARS = 80
OPTION_CHARS = 100
CUSTOM_ID_CHARS = 100
#: Every message the bot sends: nobody is pinged, whatever the text says.
NO_MENTIONS = discord.AllowedMentions.none()


def split_message(text: str, limit: int = CONTENT_CHARS, *, links: Iterable[str] = ()) -> list[str]:
    """Escape ``text`` for Discord and split it into messages of at most ``limit`` characters.

    The whole text is escaped first (see :func:`bot.escape.discord_text`: every
    markup character is escaped wherever it stands, so no cut can start a
    heading, quote or list), then split by :func:`bot.digest.split.split_text`.
    ``links`` are channel links the bot wrote itself, kept clickable.
    """
    return [c for c in split_text(discord_text(text, links=links), limit) if c.strip()]


def encode_choice(value: str, number: int, room: int) -> str:
    """How a choice travels in a custom id or select value: the option value, or ``#N``.

    The number is used when the value would not fit or is itself all digits (the
    engine reads digits as an option number).
    """
    if value and not value.strip().isdigit() and len(value) <= room and "\n" not in value:
        return value
    return f"#{number}"


def decode_choice(token: str) -> str:
    """The text a pressed button or a chosen option sends to the router."""
    return token[1:] if token.startswith("#") and token[1:].isdigit() else token


@dataclass
class Outgoing:
    """One Discord message to send."""

    content: str
    view: discord.ui.View | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    files: list[discord.File] = field(default_factory=list)


class ReplyRenderer:
    """Builds messages and persistent views for rendered replies.

    Args:
        catalogs: For button and select labels (the ``discord.*`` messages).
        form: The requirement form; its button is offered at its first step.
    """

    def __init__(self, catalogs: Catalogs, form: FormSpec | None) -> None:
        self.catalogs = catalogs
        self.form = form

    def messages(self, replies: Sequence[RenderedReply], locale: str) -> list[Outgoing]:
        """One turn's replies as few messages as possible, each at most 2,000 characters.

        Replies are joined with a blank line while they fit (Discord allows five
        messages per five seconds in a channel, so one message per turn keeps a
        conversation clear of the limit); a reply with buttons or a select ends
        its message, which carries the view.
        """
        out: list[Outgoing] = []
        pending: list[str] = []
        for reply in replies:
            pending.extend(split_message(reply.text))
            view = self.view(reply, locale)
            if view is not None and pending:
                packed = _pack(pending, CONTENT_CHARS)
                out.extend(Outgoing(chunk) for chunk in packed)
                out[-1].view = view
                pending = []
        out.extend(Outgoing(chunk) for chunk in _pack(pending, CONTENT_CHARS))
        return out

    def view(self, reply: RenderedReply, locale: str) -> discord.ui.View | None:
        """Buttons or a select for the reply's options, and the form button where it is offered.

        The view is persistent (no timeout, custom ids carry the step and the
        choice) and stopped before sending: clicks are dispatched from their
        custom ids (:class:`bot.adapters.discord.components.DiscordComponents`),
        so they work after a restart and nothing piles up in discord.py's view store.
        """
        step = reply.step
        if not step:
            return None
        items: list[discord.ui.Item[Any]] = []
        choices = [(b.value, b.label, b.number) for b in reply.buttons]
        multi = reply.multi
        if not choices and reply.step_kind == StepKind.SCALE.value:
            low, high = reply.low, reply.high
            if low is not None and high is not None and 0 < high - low + 1 <= MAX_SELECT:
                choices = [(str(n), str(n), n) for n in range(low, high + 1)]
        if choices and not multi and len(choices) <= MAX_BUTTONS:
            room = CUSTOM_ID_CHARS - len(StepButton.custom_id_for(step, ""))
            for value, label, number in choices:
                token = encode_choice(value, number, room)
                items.append(StepButton(step, token, label=_short(label, BUTTON_LABEL_CHARS)))
        elif choices and len(choices) <= MAX_SELECT:
            count = len(choices)
            low = 1
            high = 1
            if multi:
                low = min(reply.low or 0, count)
                high = max(min(reply.high or count, count), 1)
            placeholder = text(
                self.catalogs, "discord.select_many" if multi else "discord.select_one", locale
            )
            options = [
                discord.SelectOption(
                    label=_short(label, OPTION_CHARS),
                    value=encode_choice(value, number, OPTION_CHARS),
                )
                for value, label, number in choices
            ]
            items.append(
                StepSelect(step, options=options, low=low, high=high, placeholder=placeholder)
            )
        if self.form is not None and step == self.form.offered_at:
            label = text(self.catalogs, "discord.form_button", locale)
            items.append(FormButton(step, label=_short(label, BUTTON_LABEL_CHARS)))
        if not items:
            return None
        view = discord.ui.View(timeout=None)
        for item in items:
            view.add_item(item)
        view.stop()
        return view


def text(catalogs: Catalogs, key: str, locale: str, **params: str) -> str:
    """A catalog message (``discord.*`` and friends) in ``locale``."""
    return catalogs.render(Msg(key, dict(params)), locale)


def _pack(chunks: Sequence[str], limit: int) -> list[str]:
    """Join chunks with a blank line while the result stays within ``limit``."""
    packed: list[str] = []
    for chunk in chunks:
        if packed and len(packed[-1]) + 2 + len(chunk) <= limit:
            packed[-1] = f"{packed[-1]}\n\n{chunk}"
        else:
            packed.append(chunk)
    return packed


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return truncate(text, limit)
