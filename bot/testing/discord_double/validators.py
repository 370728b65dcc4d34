"""Discord's size limits and form checks (400, code 50035 "Invalid Form Body").

:func:`validate_message` and :func:`validate_modal` return the answer Discord would
give for a body that breaks a limit (``None`` if it is fine); use them directly to
check a payload a renderer builds without starting the fake.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.testing import discord_payloads as p
from bot.testing.discord_double.records import UploadedFile

#: Discord's limits (documentation: "Create Message", "Embed Limits", "Component Reference").
CONTENT_CHARS = 2000
MAX_EMBEDS = 10
EMBED_TOTAL_CHARS = 6000
EMBED_TITLE_CHARS = 256
EMBED_DESCRIPTION_CHARS = 4096
EMBED_FOOTER_CHARS = 2048
EMBED_FIELDS = 25
MAX_ROWS = 5
MAX_ROW_BUTTONS = 5
BUTTON_LABEL_CHARS = 80
CUSTOM_ID_CHARS = 100
SELECT_OPTIONS = 25
SELECT_OPTION_CHARS = 100
SELECT_PLACEHOLDER_CHARS = 150
MODAL_TITLE_CHARS = 45
MODAL_LABEL_CHARS = 45
MAX_ATTACHMENTS = 10
THREAD_NAME_CHARS = 100


def err(code: str, message: str) -> dict[str, str]:
    """One entry of an ``_errors`` list."""
    return {"code": code, "message": message}


def form_error(errors: dict[str, Any]) -> dict[str, Any]:
    """Discord's "Invalid Form Body" answer around ``errors``."""
    return {"code": 50035, "errors": errors, "message": "Invalid Form Body"}


def embed_chars(embed: Mapping[str, Any]) -> int:
    """Characters Discord counts towards the 6,000 limit for one embed."""
    total = len(str(embed.get("title", ""))) + len(str(embed.get("description", "")))
    total += len(str((embed.get("footer") or {}).get("text", "")))
    total += len(str((embed.get("author") or {}).get("name", "")))
    for f in embed.get("fields", []) or []:
        total += len(str(f.get("name", ""))) + len(str(f.get("value", "")))
    return total


def check_options(options: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Problems with application-command options (names, descriptions, nesting)."""
    problems: list[dict[str, str]] = []
    if len(options) > 25:
        problems.append(err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
    for opt in options:
        if not 1 <= len(str(opt.get("description", ""))) <= 100:
            problems.append(err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))
        if not re.match(r"^[-_\w]{1,32}$", str(opt.get("name", ""))):
            problems.append(err("APPLICATION_COMMAND_INVALID_NAME", "Invalid option name"))
        problems.extend(check_options(opt.get("options", []) or []))
    return problems


def validate_message(
    body: Mapping[str, Any], files: Sequence[UploadedFile] = ()
) -> dict[str, Any] | None:
    """Discord's checks on a message body; the 400 answer if one fails, else ``None``."""
    errors: dict[str, Any] = {}
    content = body.get("content")
    if content is not None and len(str(content)) > CONTENT_CHARS:
        errors["content"] = {
            "_errors": [err("BASE_TYPE_MAX_LENGTH", f"Must be {CONTENT_CHARS} or fewer in length.")]
        }
    embeds = body.get("embeds") or []
    if len(embeds) > MAX_EMBEDS:
        errors["embeds"] = {
            "_errors": [err("BASE_TYPE_MAX_LENGTH", f"Must be {MAX_EMBEDS} or fewer in length.")]
        }
    embed_errors: dict[str, Any] = {}
    for index, embed in enumerate(embeds):
        problems: dict[str, Any] = {}
        for key, limit in (("title", EMBED_TITLE_CHARS), ("description", EMBED_DESCRIPTION_CHARS)):
            if len(str(embed.get(key, ""))) > limit:
                problems[key] = {
                    "_errors": [err("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")]
                }
        if len(str((embed.get("footer") or {}).get("text", ""))) > EMBED_FOOTER_CHARS:
            problems["footer"] = {"text": {"_errors": [err("BASE_TYPE_MAX_LENGTH", "Too long")]}}
        if len(embed.get("fields", []) or []) > EMBED_FIELDS:
            problems["fields"] = {"_errors": [err("BASE_TYPE_MAX_LENGTH", "Too many fields")]}
        if problems:
            embed_errors[str(index)] = problems
    if embed_errors:
        errors.setdefault("embeds", {}).update(embed_errors)
    if sum(embed_chars(e) for e in embeds) > EMBED_TOTAL_CHARS:
        errors.setdefault("embeds", {}).setdefault("_errors", []).append(
            err(
                "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {EMBED_TOTAL_CHARS}"
            )
        )
    component_errors = _check_components(body.get("components") or [])
    if component_errors:
        errors["components"] = component_errors
    if len(files) > MAX_ATTACHMENTS:
        errors["files"] = {"_errors": [err("BASE_TYPE_MAX_LENGTH", "Too many attachments")]}
    allowed = body.get("allowed_mentions")
    if allowed is not None and not isinstance(allowed.get("parse", []), list):
        errors["allowed_mentions"] = {
            "_errors": [err("BASE_TYPE_BAD_TYPE", "parse must be a list")]
        }
    if errors:
        return form_error(errors)
    if not (content or embeds or files or body.get("components") or body.get("sticker_ids")):
        return {"message": "Cannot send an empty message", "code": 50006}
    return None


def _check_components(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if len(rows) > MAX_ROWS:
        errors["_errors"] = [err("BASE_TYPE_MAX_LENGTH", f"Must be {MAX_ROWS} or fewer in length.")]
    seen: set[str] = set()
    for r_index, row in enumerate(rows):
        problems: list[dict[str, str]] = []
        if row.get("type") != p.ACTION_ROW:
            problems.append(err("COMPONENT_LAYOUT_INVALID", "Top-level components must be rows"))
        children = row.get("components", []) or []
        kinds = {c.get("type") for c in children}
        if p.STRING_SELECT in kinds and len(children) != 1:
            problems.append(err("COMPONENT_LAYOUT_WIDTH_EXCEEDED", "A select fills a row"))
        if len(children) > MAX_ROW_BUTTONS or not children:
            problems.append(err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."))
        for comp in children:
            custom_id = str(comp.get("custom_id", ""))
            if comp.get("style") != 5 and not 1 <= len(custom_id) <= CUSTOM_ID_CHARS:
                problems.append(err("BASE_TYPE_BAD_LENGTH", "custom_id must be 1 to 100 long"))
            if custom_id and custom_id in seen:
                problems.append(err("COMPONENT_CUSTOM_ID_DUPLICATED", "Duplicate custom_id"))
            seen.add(custom_id)
            if comp.get("type") == p.BUTTON:
                if len(str(comp.get("label", ""))) > BUTTON_LABEL_CHARS:
                    problems.append(err("BASE_TYPE_MAX_LENGTH", "Button label too long"))
            elif comp.get("type") == p.STRING_SELECT:
                options = comp.get("options", []) or []
                if not 1 <= len(options) <= SELECT_OPTIONS:
                    problems.append(err("BASE_TYPE_BAD_LENGTH", "Select needs 1 to 25 options"))
                for opt in options:
                    for key in ("label", "value", "description"):
                        if len(str(opt.get(key) or "")) > SELECT_OPTION_CHARS:
                            problems.append(err("BASE_TYPE_MAX_LENGTH", f"Option {key} too long"))
                if len(str(comp.get("placeholder") or "")) > SELECT_PLACEHOLDER_CHARS:
                    problems.append(err("BASE_TYPE_MAX_LENGTH", "Placeholder too long"))
                low, high = int(comp.get("min_values", 1)), int(comp.get("max_values", 1))
                if not (0 <= low <= high <= max(1, len(options)) and high >= 1):
                    problems.append(err("BASE_TYPE_BAD_VALUE", "min/max values out of range"))
            else:
                problems.append(err("UNION_TYPE_CHOICES", "Unknown component type"))
        if problems:
            errors[str(r_index)] = {"_errors": problems}
    return errors


def validate_modal(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """Discord's checks on a modal; the 400 answer if one fails, else ``None``."""
    problems: list[dict[str, str]] = []
    if not 1 <= len(str(data.get("title", ""))) <= MODAL_TITLE_CHARS:
        problems.append(err("BASE_TYPE_BAD_LENGTH", "Title must be 1 to 45 long"))
    if not 1 <= len(str(data.get("custom_id", ""))) <= CUSTOM_ID_CHARS:
        problems.append(err("BASE_TYPE_BAD_LENGTH", "custom_id must be 1 to 100 long"))
    components = data.get("components") or []
    if not 1 <= len(components) <= 5:
        problems.append(err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."))
    for top in components:
        inputs: list[Mapping[str, Any]]
        if top.get("type") == p.LABEL:
            if not 1 <= len(str(top.get("label", ""))) <= MODAL_LABEL_CHARS:
                problems.append(err("BASE_TYPE_BAD_LENGTH", "Label must be 1 to 45 long"))
            inputs = [top.get("component") or {}]
        elif top.get("type") == p.ACTION_ROW:
            inputs = list(top.get("components") or [])
            for comp in inputs:
                if not 1 <= len(str(comp.get("label", ""))) <= MODAL_LABEL_CHARS:
                    problems.append(err("BASE_TYPE_BAD_LENGTH", "Label must be 1 to 45 long"))
        else:
            problems.append(err("UNION_TYPE_CHOICES", "Unknown modal component"))
            continue
        for comp in inputs:
            if comp.get("type") != p.TEXT_INPUT:
                problems.append(err("UNION_TYPE_CHOICES", "Expected a text input"))
                continue
            if not 1 <= len(str(comp.get("custom_id", ""))) <= CUSTOM_ID_CHARS:
                problems.append(err("BASE_TYPE_BAD_LENGTH", "custom_id must be 1 to 100 long"))
            if len(str(comp.get("placeholder") or "")) > 100:
                problems.append(err("BASE_TYPE_MAX_LENGTH", "Placeholder too long"))
            if len(str(comp.get("value") or "")) > 4000:
                problems.append(err("BASE_TYPE_MAX_LENGTH", "Value too long"))
            high = comp.get("max_length")
            if high is not None and not 1 <= int(high) <= 4000:
                problems.append(err("BASE_TYPE_BAD_VALUE", "max_length must be 1 to 4000"))
    return form_error({"data": {"_errors": problems}}) if problems else None
