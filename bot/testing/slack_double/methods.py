"""The Web API methods the double implements (``auth.test``, ``chat.postMessage``…).

A method ``a.b`` is the handler ``_m_a_b(params, call)``; it returns the answer's
fields or raises :class:`~bot.testing.slack_double.records.Invalid` /
:class:`~bot.testing.slack_double.records.RateLimited`.
"""

from __future__ import annotations

import json
import math
import time
from typing import Any

from bot.testing.slack_double.records import ApiCall, Invalid, Message, RateLimited
from bot.testing.slack_double.validators import (
    MESSAGE_CHARS,
    check_blocks,
    check_view,
    parse_blocks,
)
from bot.testing.slack_double.world import SlackWorld


class WebApiMethods(SlackWorld):
    """Slack Web API methods on the double's state."""

    def _m_auth_test(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        return {
            "url": "https://cityneeds-test.slack.com/",
            "team": "CityNeeds Test",
            "user": "cityneeds",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _m_apps_connections_open(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        return {"url": f"ws://{self._host}:{self.port}/socket-mode"}

    def _m_users_info(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        user = self.users.get(str(params.get("user") or ""))
        if user is None:
            raise Invalid("user_not_found")
        data = dict(user)
        if str(params.get("include_locale")).lower() not in ("1", "true"):
            data.pop("locale", None)
        return {"user": data}

    def _m_conversations_open(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        users = [u for u in str(params.get("users") or "").split(",") if u]
        if len(users) != 1:
            raise Invalid("users_list_not_supplied" if not users else "not_supported")
        return {"channel": {"id": self.dm_channel(users[0])}}

    def _m_chat_postMessage(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        channel = str(params.get("channel") or "")
        if not channel:
            raise Invalid("channel_not_found")
        text = str(params.get("text") or "")
        blocks = parse_blocks(params.get("blocks"))
        if not text and not blocks and not params.get("attachments"):
            raise Invalid("no_text")
        if len(text) > MESSAGE_CHARS:
            raise Invalid("msg_too_long")
        if channel in self.not_member:
            raise Invalid("not_in_channel")
        check_blocks(blocks)
        metadata = _metadata(params.get("metadata"))
        now = time.monotonic()
        if self.post_interval is not None:
            last = self._last_post.get(channel)
            if last is not None and now - last < self.post_interval:
                self.limit_violations += 1
                raise RateLimited(max(1, math.ceil(self.post_interval - (now - last))))
            self._last_post[channel] = now
        ts = self._next_ts()
        message = Message(
            channel=channel,
            ts=ts,
            text=text,
            blocks=blocks,
            thread_ts=params.get("thread_ts") or None,
            at=now,
            user=self.bot_user_id,
            mrkdwn=str(params.get("mrkdwn", True)).lower() not in ("false", "0"),
            metadata=metadata,
        )
        self.messages.append(message)
        self._by_channel[channel].append(message)
        self._by_ts[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "message": shown_message(message, self.bot_id)}

    def _m_conversations_history(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        """Top-level messages of a channel, newest first; metadata only if asked for."""
        channel = str(params.get("channel") or "")
        if not channel:
            raise Invalid("channel_not_found")
        try:
            limit = int(params.get("limit") or 100)
        except ValueError as exc:
            raise Invalid("invalid_limit") from exc
        limit = max(1, min(limit, 999))
        with_metadata = str(params.get("include_all_metadata")).lower() in ("1", "true")
        shown = []
        for message in reversed(self._by_channel.get(channel, [])):
            if message.thread_ts and message.thread_ts != message.ts:
                continue  # replies are not in the history, only in conversations.replies
            item = shown_message(message, self.bot_id)
            if with_metadata and message.metadata is not None:
                item["metadata"] = dict(message.metadata)
            shown.append(item)
            if len(shown) == limit:
                break
        return {"messages": shown, "has_more": False, "pin_count": 0}

    def _m_conversations_replies(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        """A thread: its parent, then its replies, oldest first; metadata only if asked for."""
        channel = str(params.get("channel") or "")
        parent = str(params.get("ts") or "")
        if not channel or not parent:
            raise Invalid("channel_not_found" if not channel else "thread_not_found")
        try:
            limit = max(1, min(int(params.get("limit") or 100), 999))
        except ValueError as exc:
            raise Invalid("invalid_limit") from exc
        with_metadata = str(params.get("include_all_metadata")).lower() in ("1", "true")
        shown = []
        for message in self._by_channel.get(channel, []):
            if message.ts != parent and message.thread_ts != parent:
                continue
            item = shown_message(message, self.bot_id)
            if with_metadata and message.metadata is not None:
                item["metadata"] = dict(message.metadata)
            shown.append(item)
        return {"messages": shown[:limit], "has_more": len(shown) > limit}

    def _m_chat_postEphemeral(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        channel = str(params.get("channel") or "")
        if not channel:
            raise Invalid("channel_not_found")
        if not params.get("user"):
            raise Invalid("user_not_found")
        blocks = parse_blocks(params.get("blocks"))
        if not params.get("text") and not blocks:
            raise Invalid("no_text")
        check_blocks(blocks)
        self.ephemeral.append(dict(params, blocks=blocks))
        return {"message_ts": self._next_ts()}

    def _m_chat_update(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        channel = str(params.get("channel") or "")
        ts = str(params.get("ts") or "")
        message = self._by_ts.get((channel, ts))
        if message is None:
            raise Invalid("message_not_found")
        blocks = parse_blocks(params.get("blocks"))
        check_blocks(blocks)
        if params.get("text") is not None:
            message.text = str(params["text"])
        if params.get("blocks") is not None:
            message.blocks = blocks
        message.updates += 1
        return {"channel": channel, "ts": ts, "text": message.text}

    def _m_views_open(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        if not params.get("trigger_id"):
            raise Invalid("invalid_arguments", "trigger_id is required")
        view = params.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        if not isinstance(view, dict):
            raise Invalid("invalid_arguments", "view is required")
        check_view(view)
        view_id = f"V{next(self._ids):08d}"
        shown = {**view, "id": view_id, "team_id": self.team_id, "hash": f"h{view_id}"}
        self.views.append(shown)
        return {"view": shown}

    def _m_files_getUploadURLExternal(
        self, params: dict[str, Any], call: ApiCall
    ) -> dict[str, Any]:
        filename = params.get("filename")
        length = params.get("length")
        if not filename or length is None or not str(length).isdigit():
            raise Invalid("invalid_arguments", "filename and length are required")
        file_id = f"F{next(self._ids):08d}"
        self.files[file_id] = {
            "id": file_id,
            "name": filename,
            "length": int(length),
            "alt_txt": params.get("alt_txt"),
            "completed": False,
        }
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(
        self, params: dict[str, Any], call: ApiCall
    ) -> dict[str, Any]:
        raw = params.get("files")
        files = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(files, list) or not files:
            raise Invalid("invalid_arguments", "files is required")
        shown = []
        for item in files:
            meta = self.files.get(str(item.get("id")))
            if meta is None or meta["id"] not in self.uploads:
                raise Invalid("file_not_found")
            meta.update(
                completed=True,
                title=item.get("title"),
                channel=params.get("channel_id"),
                thread_ts=params.get("thread_ts"),
            )
            shown.append({"id": meta["id"], "name": meta["name"], "title": item.get("title")})
        return {"files": shown}


def _metadata(raw: Any) -> dict[str, Any] | None:
    """``chat.postMessage`` ``metadata`` (a JSON object or its text), checked as Slack does."""
    if raw is None or raw == "":
        return None
    value = json.loads(raw) if isinstance(raw, str) else raw
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("event_type"), str)
        or not isinstance(value.get("event_payload"), dict)
    ):
        raise Invalid("invalid_metadata_format")
    return {"event_type": value["event_type"], "event_payload": dict(value["event_payload"])}


def shown_message(message: Message, bot_id: str) -> dict[str, Any]:
    """A message as Slack shows it in a ``chat.postMessage`` answer."""
    shown: dict[str, Any] = {
        "type": "message",
        "user": message.user,
        "bot_id": bot_id,
        "text": message.text,
        "ts": message.ts,
        "blocks": message.blocks,
    }
    if message.thread_ts:
        shown["thread_ts"] = message.thread_ts
    return shown
