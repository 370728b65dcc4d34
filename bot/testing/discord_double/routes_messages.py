"""REST routes for channel messages and threads (threads are announced on the gateway)."""

from __future__ import annotations

import time
from typing import Any

from bot.testing import discord_payloads as p
from bot.testing.discord_double.gateway import Gateway
from bot.testing.discord_double.records import Call, SentMessage
from bot.testing.discord_double.validators import (
    THREAD_NAME_CHARS,
    err,
    form_error,
    validate_message,
)
from bot.testing.discord_double.world import numbered

#: Discord's bounds on ``GET /channels/{id}/messages?limit=``.
HISTORY_LIMIT_MAX = 100
NONCE_CHARS = 25


class MessageRoutes(Gateway):
    """``/channels/{id}/messages``, message edits, threads and thread members."""

    async def _create_message(self, call: Call) -> tuple[int, Any]:
        cid = call.params["channel_id"]
        channel = self.channels.get(cid)
        if channel is None:
            return 404, {"message": "Unknown Channel", "code": 10003}
        if channel["type"] == p.DM:
            recipient = channel["recipients"][0]["id"]
            if recipient in self.blocked_dms:
                return 403, {"message": "Cannot send messages to this user", "code": 50007}
        body = call.record.json or {}
        problem = validate_message(body, call.record.files)
        if problem is not None:
            return 400, problem
        nonce = body.get("nonce")
        if nonce is not None and len(str(nonce)) > NONCE_CHARS:
            return 400, {"message": "Invalid Form Body", "code": 50035}
        seen = self._nonce_seen(cid, nonce) if body.get("enforce_nonce") else None
        if seen is not None:  # Discord answers a repeat with the first message
            return 200, {**self.messages[seen], "nonce": str(nonce)}
        msg = self.store_bot_message(cid, body, call.record.files)
        if nonce is not None:
            self.nonces[(cid, str(nonce))] = (msg["id"], time.monotonic())
        self.sent.append(SentMessage(msg["id"], cid, "channel", msg, call.record))
        return 200, {**msg, "nonce": str(nonce)} if nonce is not None else msg

    def _nonce_seen(self, channel_id: str, nonce: Any) -> str | None:
        """The message sent with ``nonce`` in the channel within the window, if any."""
        if nonce is None:
            return None
        entry = self.nonces.get((channel_id, str(nonce)))
        if entry is None or time.monotonic() - entry[1] > self.nonce_window:
            return None
        return entry[0] if entry[0] in self.messages else None

    async def _list_messages(self, call: Call) -> tuple[int, Any]:
        """``GET /channels/{id}/messages``: newest first, ``limit`` 1–100, ``before``/``after``."""
        cid = call.params["channel_id"]
        if cid not in self.channels:
            return 404, {"message": "Unknown Channel", "code": 10003}
        query = call.record.query
        try:
            limit = int(query.get("limit", 50))
        except ValueError:
            limit = 0
        if not 1 <= limit <= HISTORY_LIMIT_MAX:
            return 400, {"message": "Invalid Form Body", "code": 50035}
        ids = [i for i in self.history.get(cid, []) if i in self.messages]
        if "before" in query:
            ids = [i for i in ids if int(i) < int(query["before"])]
        if "after" in query:
            ids = [i for i in ids if int(i) > int(query["after"])]
            return 200, [self.messages[i] for i in reversed(ids[:limit])]
        return 200, [self.messages[i] for i in reversed(ids[-limit:])]

    async def _get_message(self, call: Call) -> tuple[int, Any]:
        msg = self.messages.get(call.params["message_id"])
        if msg is None or msg["channel_id"] != call.params["channel_id"]:
            return 404, {"message": "Unknown Message", "code": 10008}
        return 200, msg

    async def _edit_message(self, call: Call) -> tuple[int, Any]:
        msg = self.messages.get(call.params["message_id"])
        if msg is None:
            return 404, {"message": "Unknown Message", "code": 10008}
        body = call.record.json or {}
        problem = validate_message({**msg, **body}, call.record.files)
        if problem is not None:
            return 400, problem
        for key in ("content", "embeds", "components", "flags"):
            if key in body:
                msg[key] = numbered(body[key]) if key == "components" else body[key]
        msg["edited_timestamp"] = p.iso_now()
        return 200, msg

    async def _create_thread(self, call: Call) -> tuple[int, Any]:
        parent = self.channels.get(call.params["channel_id"])
        if parent is None or parent["type"] != p.GUILD_TEXT:
            return 404, {"message": "Unknown Channel", "code": 10003}
        body = call.record.json or {}
        name = str(body.get("name", ""))
        if not 1 <= len(name) <= THREAD_NAME_CHARS:
            return 400, form_error(
                {"name": {"_errors": [err("BASE_TYPE_BAD_LENGTH", "Must be 1 to 100 long")]}}
            )
        private = body.get("type", p.PUBLIC_THREAD) == p.PRIVATE_THREAD
        tid = self.ids.next()
        thread = p.thread_channel(
            tid,
            parent["guild_id"],
            parent["id"],
            self.bot_user["id"],
            name,
            private=private and "message_id" not in call.params,
            auto_archive_duration=int(body.get("auto_archive_duration", 10080)),
            invitable=bool(body.get("invitable", True)),
        )
        self.channels[tid] = thread
        self.history[tid] = []
        self.guilds[parent["guild_id"]].threads.append(tid)
        event = {
            **thread,
            "newly_created": True,
            "member": {
                "id": tid,
                "user_id": self.bot_user["id"],
                "join_timestamp": p.iso_now(),
                "flags": 0,
            },
        }
        await self.dispatch("THREAD_CREATE", event)
        return 201, thread

    async def archive_thread(self, thread_id: str) -> None:
        """Archive a thread, as Discord does after its auto-archive duration (THREAD_UPDATE)."""
        thread = self.channels[thread_id]
        thread["thread_metadata"]["archived"] = True
        await self.dispatch("THREAD_UPDATE", thread)

    async def _edit_thread(self, call: Call) -> tuple[int, Any]:
        """``PATCH /channels/{id}`` for threads: only ``archived`` (unarchiving, as we use it)."""
        thread = self.channels.get(call.params["channel_id"])
        if thread is None or thread["type"] not in p.THREAD_TYPES:
            return 404, {"message": "Unknown Channel", "code": 10003}
        body = call.record.json or {}
        if "archived" in body:
            thread["thread_metadata"]["archived"] = bool(body["archived"])
        await self.dispatch("THREAD_UPDATE", thread)
        return 200, thread

    async def _joined_archived_threads(self, call: Call) -> tuple[int, Any]:
        """Archived private threads of a channel that the bot is in (it created them)."""
        archived = [
            t
            for t in self.threads_of(call.params["channel_id"])
            if t["type"] == p.PRIVATE_THREAD and t["thread_metadata"]["archived"]
        ]
        return 200, {"threads": archived, "members": [], "has_more": False}

    async def _add_thread_member(self, call: Call) -> tuple[int, Any]:
        thread = self.channels.get(call.params["channel_id"])
        if thread is None or thread["type"] not in p.THREAD_TYPES:
            return 404, {"message": "Unknown Channel", "code": 10003}
        thread.setdefault("_members", [])
        if call.params["user_id"] not in thread["_members"]:
            thread["_members"].append(call.params["user_id"])
            thread["member_count"] = len(thread["_members"]) + 1
        return 204, None
