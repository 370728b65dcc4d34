"""Slack's documented block and view limits (``invalid_blocks``, ``msg_too_long``…).

:func:`check_blocks` and :func:`check_view` raise :class:`~bot.testing.slack_double.records.Invalid`
with Slack's error for blocks or a modal that break a limit; use them directly to
check what a renderer builds without starting the double.
"""

from __future__ import annotations

import json
from typing import Any

from bot.testing.slack_double.records import Invalid

#: Slack's documented limits the double enforces.
MAX_BLOCKS = 50
SECTION_CHARS = 3000
HEADER_CHARS = 150
BUTTON_CHARS = 75
OPTION_CHARS = 75
OPTION_VALUE_CHARS = 150
BUTTON_VALUE_CHARS = 2000
ACTION_ELEMENTS = 25
CONTEXT_ELEMENTS = 10
SELECT_OPTIONS = 100
ID_CHARS = 255
MESSAGE_CHARS = 40_000
MODAL_BLOCKS = 100
MODAL_TITLE_CHARS = 24
PRIVATE_METADATA_CHARS = 3000


def parse_blocks(raw: Any) -> list[dict[str, Any]]:
    """The ``blocks`` argument as a list (slack_sdk may send it as a JSON string)."""
    if raw is None or raw == "":
        return []
    blocks = json.loads(raw) if isinstance(raw, str) else raw
    if not isinstance(blocks, list):
        raise Invalid("invalid_blocks", "blocks must be a list")
    return blocks


def _text_object(obj: Any, limit: int, where: str) -> None:
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        raise Invalid("invalid_blocks", f"{where}: expected a text object")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        raise Invalid("invalid_blocks", f"{where}: text must not be empty")
    if len(text) > limit:
        raise Invalid("invalid_blocks", f"{where}: must be at most {limit} characters")


def _element(element: dict[str, Any], where: str, action_ids: set[str]) -> None:
    kind = element.get("type")
    action_id = element.get("action_id")
    if action_id is not None:
        if len(str(action_id)) > ID_CHARS:
            raise Invalid("invalid_blocks", f"{where}: action_id too long")
        if action_id in action_ids:
            raise Invalid("invalid_blocks", f"{where}: duplicate action_id {action_id}")
        action_ids.add(str(action_id))
    if kind == "button":
        _text_object(element.get("text"), BUTTON_CHARS, f"{where}.text")
        if len(str(element.get("value") or "")) > BUTTON_VALUE_CHARS:
            raise Invalid("invalid_blocks", f"{where}: value too long")
    elif kind in ("static_select", "multi_static_select"):
        options = element.get("options") or []
        if not options or len(options) > SELECT_OPTIONS:
            raise Invalid("invalid_blocks", f"{where}: 1 to {SELECT_OPTIONS} options")
        for n, option in enumerate(options):
            _text_object(option.get("text"), OPTION_CHARS, f"{where}.options[{n}].text")
            if len(str(option.get("value") or "")) > OPTION_VALUE_CHARS:
                raise Invalid("invalid_blocks", f"{where}.options[{n}]: value too long")
    elif kind == "plain_text_input":
        return
    else:
        raise Invalid("invalid_blocks", f"{where}: unsupported element {kind!r}")


def check_blocks(blocks: list[dict[str, Any]], *, max_blocks: int = MAX_BLOCKS) -> None:
    """Raise the double's ``invalid_blocks`` error if ``blocks`` break Slack's limits."""
    if len(blocks) > max_blocks:
        raise Invalid("invalid_blocks", f"no more than {max_blocks} items allowed")
    block_ids: set[str] = set()
    for n, block in enumerate(blocks):
        where = f"[{n}]"
        action_ids: set[str] = set()  # action ids are unique within their block
        block_id = block.get("block_id")
        if block_id is not None:
            if len(str(block_id)) > ID_CHARS or block_id in block_ids:
                raise Invalid("invalid_blocks", f"{where}: bad or duplicate block_id")
            block_ids.add(str(block_id))
        kind = block.get("type")
        if kind == "section":
            _text_object(block.get("text"), SECTION_CHARS, f"{where}.text")
        elif kind == "header":
            _text_object(block.get("text"), HEADER_CHARS, f"{where}.text")
            if block["text"].get("type") != "plain_text":
                raise Invalid("invalid_blocks", f"{where}: header text must be plain_text")
        elif kind == "context":
            elements = block.get("elements") or []
            if not elements or len(elements) > CONTEXT_ELEMENTS:
                raise Invalid("invalid_blocks", f"{where}: 1 to {CONTEXT_ELEMENTS} elements")
            for m, element in enumerate(elements):
                _text_object(element, SECTION_CHARS, f"{where}.elements[{m}]")
        elif kind == "actions":
            elements = block.get("elements") or []
            if not elements or len(elements) > ACTION_ELEMENTS:
                raise Invalid("invalid_blocks", f"{where}: 1 to {ACTION_ELEMENTS} elements")
            for m, element in enumerate(elements):
                _element(element, f"{where}.elements[{m}]", action_ids)
        elif kind == "input":
            _text_object(block.get("label"), 2000, f"{where}.label")
            _element(block.get("element") or {}, f"{where}.element", action_ids)
        elif kind in ("divider", "image"):
            continue
        else:
            raise Invalid("invalid_blocks", f"{where}: unsupported block type {kind!r}")


def check_view(view: dict[str, Any]) -> None:
    """Raise ``invalid_arguments`` if a modal breaks Slack's limits."""
    if view.get("type") != "modal":
        raise Invalid("invalid_arguments", "view.type must be modal")
    try:
        _text_object(view.get("title"), MODAL_TITLE_CHARS, "view.title")
        for key in ("submit", "close"):
            if key in view:
                _text_object(view[key], MODAL_TITLE_CHARS, f"view.{key}")
        check_blocks(list(view.get("blocks") or []), max_blocks=MODAL_BLOCKS)
    except Invalid as exc:
        raise Invalid("invalid_arguments", exc.detail) from exc
    if len(str(view.get("private_metadata") or "")) > PRIVATE_METADATA_CHARS:
        raise Invalid("invalid_arguments", "private_metadata too long")
