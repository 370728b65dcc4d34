"""Core replies as Slack Block Kit messages and the requirement modal.

Every text a participant could have typed is escaped with :func:`bot.escape.slack_text`
and shown in ``plain_text`` objects, so ``<!channel>`` or ``*bold*`` is shown as
typed and never pings anyone or formats anything. Messages are sent with
``mrkdwn: false`` for the same reason.

Choices: up to five options are buttons, more are a ``static_select``; a
multi-choice step is a ``multi_static_select`` plus a "Send" button (Slack sends
an action for every item picked, so the button reads the whole selection from the
message ``state``). Action values carry the step, so a press on a stale button is
caught by the router. The message text always lists the options by number, so
typing works as well as pressing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.adapters.slack.digest_blocks import SlackMessage
from bot.digest.split import split_lines, truncate
from bot.escape import slack_text
from flows.catalog import Catalogs
from flows.direction import mark_lines, numbered
from flows.forms import FieldSpec, FormSpec
from flows.messages import ReplyKind
from flows.render import Button, RenderedReply
from flows.text import Msg

#: Slack's limits (Block Kit reference).
MAX_BLOCKS = 50
SECTION_CHARS = 3000
BUTTON_CHARS = 75
OPTION_CHARS = 75
OPTION_VALUE_CHARS = 150
MAX_SELECT_OPTIONS = 100
MAX_BUTTONS = 5
FALLBACK_CHARS = 3000
MODAL_TITLE_CHARS = 24

#: Action ids (``cn_pick_N`` for the N-th button; Slack wants them unique within a block).
PICK = "cn_pick_"
SELECT = "cn_select"
MULTI = "cn_multi"
MULTI_SEND = "cn_multi_send"
FORM = "cn_form"
#: The modal's callback id.
FORM_CALLBACK = "cn_requirement_form"
#: The modal's input element action id (one per input block).
FORM_INPUT = "value"
#: Fields whose help is not shown in the modal (it says "type skip", which a form does not need).
NO_HINT = frozenset({"so_that"})

_SEP = "|"


def encode_choice(step: str | None, value: str) -> str:
    """An action value carrying the step: ``step|value``."""
    return f"{step or ''}{_SEP}{value}"


def decode_choice(raw: str) -> tuple[str | None, str]:
    """``step|value`` → ``(step, value)``; a value without a step gives ``(None, raw)``."""
    step, sep, value = raw.partition(_SEP)
    if not sep:
        return None, raw
    return (step or None), value


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": False}


def _cut(text: str, limit: int) -> str:
    return truncate(text, limit)


def text_sections(text: str) -> list[dict[str, Any]]:
    """Escaped ``plain_text`` section blocks holding ``text``, each within 3,000 characters."""
    escaped = slack_text(text)
    chunks = split_lines(escaped.split("\n"), SECTION_CHARS) or [" "]
    return [{"type": "section", "text": _plain(chunk or " ")} for chunk in chunks]


def _fallback(escaped: str) -> str:
    """The notification text of a message whose sections are already escaped."""
    return _cut(escaped, FALLBACK_CHARS) or " "


def text_messages(text: str) -> list[SlackMessage]:
    """Any text (staff replies, my data, drafts) as messages of plain, escaped sections."""
    sections = text_sections(text)
    pages = [sections[i : i + MAX_BLOCKS] for i in range(0, len(sections), MAX_BLOCKS)]
    return [
        SlackMessage(text=_fallback("\n".join(b["text"]["text"] for b in page)), blocks=page)
        for page in pages
    ]


@dataclass(frozen=True)
class Labels:
    """The Slack-only words a reply needs, already in the participant's locale.

    ``form_at`` is the step whose prompt offers the form (``None``: no form).
    """

    locale: str
    send: str
    choose: str
    choose_many: str
    form: str
    form_at: str | None = None

    @classmethod
    def of(cls, catalogs: Catalogs, locale: str, form_at: str | None = None) -> Labels:
        """Render the labels from the catalogs."""
        return cls(
            locale=locale,
            send=catalogs.render(Msg("slack.button.send"), locale),
            choose=catalogs.render(Msg("slack.select.placeholder"), locale),
            choose_many=catalogs.render(Msg("slack.multi.placeholder"), locale),
            form=catalogs.render(Msg("slack.form.button"), locale),
            form_at=form_at,
        )


def _option(button: Button, value: str, locale: str) -> dict[str, Any]:
    shown = mark_lines(numbered(button.number, button.label, locale), locale)
    label = _cut(slack_text(shown), OPTION_CHARS)
    return {"text": _plain(label), "value": value}


def _choice_value(step: str | None, button: Button) -> str:
    value = encode_choice(step, button.value)
    # Select option values are capped at 150 characters; the number picks the same option.
    return value if len(value) <= OPTION_VALUE_CHARS else encode_choice(step, str(button.number))


def _multi_value(button: Button) -> str:
    value = button.value
    return value if len(value) <= OPTION_VALUE_CHARS and "," not in value else str(button.number)


def choice_blocks(reply: RenderedReply, labels: Labels) -> list[dict[str, Any]]:
    """The interactive blocks for a reply's options (empty when it has none)."""
    step = reply.step
    buttons = reply.buttons[:MAX_SELECT_OPTIONS]
    blocks: list[dict[str, Any]] = []
    tag = step or "x"
    if buttons and reply.multi:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"cn_multi_{tag}",
                "elements": [
                    {
                        "type": "multi_static_select",
                        "action_id": MULTI,
                        "placeholder": _plain(_cut(labels.choose_many, 150)),
                        "options": [_option(b, _multi_value(b), labels.locale) for b in buttons],
                    },
                    {
                        "type": "button",
                        "action_id": MULTI_SEND,
                        "text": _plain(_cut(labels.send, BUTTON_CHARS)),
                        "value": encode_choice(step, ""),
                        "style": "primary",
                    },
                ],
            }
        )
    elif buttons and len(buttons) <= MAX_BUTTONS:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"cn_pick_{tag}",
                "elements": [
                    {
                        "type": "button",
                        "action_id": f"{PICK}{b.number}",
                        "text": _plain(_cut(slack_text(b.label), BUTTON_CHARS)),
                        "value": encode_choice(step, b.value)[:2000],
                    }
                    for b in buttons
                ],
            }
        )
    elif buttons:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"cn_select_{tag}",
                "elements": [
                    {
                        "type": "static_select",
                        "action_id": SELECT,
                        "placeholder": _plain(_cut(labels.choose, 150)),
                        "options": [
                            _option(b, _choice_value(step, b), labels.locale) for b in buttons
                        ],
                    }
                ],
            }
        )
    if step is not None and step == labels.form_at and reply.step_kind == "text":
        blocks.append(
            {
                "type": "actions",
                "block_id": f"cn_form_{tag}",
                "elements": [
                    {
                        "type": "button",
                        "action_id": FORM,
                        "text": _plain(_cut(labels.form, BUTTON_CHARS)),
                        # The form opens in the participant's language.
                        "value": encode_choice(step, labels.locale),
                    }
                ],
            }
        )
    return blocks


def reply_messages(reply: RenderedReply, labels: Labels) -> list[SlackMessage]:
    """One core reply as Slack messages (one, unless its text is very long).

    Prompts and errors of the current step get their buttons or menus on the
    last message.
    """
    messages = text_messages(reply.text)
    if reply.kind in (ReplyKind.PROMPT, ReplyKind.ERROR):
        extra = choice_blocks(reply, labels)
        last = messages[-1]
        if len(last.blocks) + len(extra) > MAX_BLOCKS:
            messages.append(SlackMessage(text=last.text, blocks=extra))
        else:
            messages[-1] = SlackMessage(text=last.text, blocks=[*last.blocks, *extra])
    return messages


def answered_blocks(blocks: list[dict[str, Any]], note: str) -> list[dict[str, Any]]:
    """A message's blocks with its buttons and menus replaced by a note of the answer."""
    kept = [b for b in blocks if b.get("type") != "actions"]
    kept.append(
        {"type": "context", "elements": [_plain(_cut(slack_text(note), SECTION_CHARS) or " ")]}
    )
    return kept[:MAX_BLOCKS]


def requirement_modal(
    catalogs: Catalogs, locale: str, metadata: dict[str, Any], form: FormSpec
) -> dict[str, Any]:
    """The "fill in as a form" modal for one micro requirement.

    Args:
        catalogs: Message catalogs (labels and hints are the steps' prompts and help).
        locale: The participant's locale.
        metadata: Where to post the replies (kept in ``private_metadata``).
        form: The form: its fields, what they require and their lengths (from the script).
    """

    def t(key: str) -> str:
        return catalogs.render(Msg(key), locale)

    def element(field: FieldSpec) -> dict[str, Any]:
        if field.choices:
            return {
                "type": "static_select",
                "action_id": FORM_INPUT,
                "placeholder": _plain(_cut(t("slack.select.placeholder"), 150)),
                "options": [
                    {"text": _plain(_cut(t(c.label), OPTION_CHARS)), "value": c.value}
                    for c in field.choices
                ],
            }
        text_input: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": FORM_INPUT,
            "multiline": field.multiline,
        }
        if field.min_length is not None:
            text_input["min_length"] = field.min_length
        if field.max_length is not None:
            text_input["max_length"] = field.max_length
        return text_input

    def block(field: FieldSpec) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "type": "input",
            "block_id": field.step,
            "optional": not field.required,
            "label": _plain(_cut(t(field.prompt), 2000)),
            "element": element(field),
        }
        if field.step not in NO_HINT:
            shown["hint"] = _plain(_cut(t(field.help), 2000))
        return shown

    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "title": _plain(_cut(t("slack.form.title"), MODAL_TITLE_CHARS)),
        "submit": _plain(_cut(t("slack.form.submit"), MODAL_TITLE_CHARS)),
        "close": _plain(_cut(t("slack.form.cancel"), MODAL_TITLE_CHARS)),
        "private_metadata": json.dumps(metadata, separators=(",", ":")),
        "blocks": [block(field) for field in form.fields],
    }


def form_answers(state_values: dict[str, Any], form: FormSpec) -> list[tuple[str, str]]:
    """``(step, value)`` pairs from a submitted modal's ``view.state.values``, in script order."""
    answers: list[tuple[str, str]] = []
    for step in form.steps:
        element = state_values.get(step, {}).get(FORM_INPUT, {})
        if element.get("type") == "static_select":
            selected = element.get("selected_option") or {}
            value = str(selected.get("value") or "")
        else:
            value = str(element.get("value") or "")
        answers.append((step, value))
    return answers
