"""REST routes for interactions: the callback (with its deadline), follow-ups, the original."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from bot.testing import discord_payloads as p
from bot.testing.discord_double.records import Call, InteractionRecord, SentMessage
from bot.testing.discord_double.validators import err, form_error, validate_message, validate_modal
from bot.testing.discord_double.world import DiscordWorld, numbered


class InteractionRoutes(DiscordWorld):
    """``/interactions/{id}/{token}/callback`` and ``/webhooks/{application_id}/{token}…``."""

    async def _callback(self, call: Call) -> tuple[int, Any]:
        record = self._interaction(call.params["interaction_id"], call.params["token"])
        now = time.monotonic()
        if record is None or now - record.dispatched_at > self.interaction_deadline:
            return 404, {"message": "Unknown interaction", "code": 10062}
        if record.responded_at is not None:
            return 400, {"message": "Interaction has already been acknowledged.", "code": 40060}
        body = call.record.json or {}
        kind = int(body.get("type", 0))
        data = body.get("data") or {}
        channel_id = str(record.payload["channel_id"])
        answer: dict[str, Any] = {
            "interaction": {"id": record.id, "type": record.payload["type"]},
        }
        if kind == 4:
            problem = validate_message(data, call.record.files)
            if problem is not None:
                return 400, problem
            msg = self.store_bot_message(
                channel_id,
                data,
                call.record.files,
                flags=int(data.get("flags", 0)),
                webhook=True,
                interaction=record,
            )
            record.original_id = msg["id"]
            self.sent.append(
                SentMessage(msg["id"], channel_id, "response", msg, call.record, record.id)
            )
            answer["interaction"].update(
                response_message_id=msg["id"],
                response_message_loading=False,
                response_message_ephemeral=bool(msg["flags"] & p.EPHEMERAL),
            )
            answer["resource"] = {"type": 4, "message": msg}
        elif kind == 5:
            flags = int(data.get("flags", 0)) & p.EPHEMERAL
            msg = self.store_bot_message(
                channel_id,
                {"content": ""},
                [],
                flags=flags | p.LOADING,
                webhook=True,
                interaction=record,
            )
            record.original_id = msg["id"]
            record.original_pending = True
            record.deferred_flags = flags
            answer["interaction"].update(
                response_message_id=msg["id"],
                response_message_loading=True,
                response_message_ephemeral=bool(flags),
            )
            answer["resource"] = {"type": 5, "message": msg}
        elif kind in (6, 7):
            if record.payload["type"] not in (p.MESSAGE_COMPONENT, p.MODAL_SUBMIT):
                return 400, {"message": "Interaction response type invalid", "code": 50035}
            answer["resource"] = {"type": kind}
        elif kind == 9:
            problem = validate_modal(data)
            if problem is not None:
                return 400, problem
            answer["resource"] = {"type": 9}
        else:
            return 400, form_error(
                {"type": {"_errors": [err("BASE_TYPE_CHOICES", "Value must be one of …")]}}
            )
        record.responded_at = now
        record.response_type = kind
        record.response = body
        if self.hold_callbacks:
            # Acknowledged (Discord will not send it again); the bot just does not know yet.
            released = self._callbacks_released
            await self._notify()
            await released.wait()
        return 200, answer

    async def _followup(self, call: Call) -> tuple[int, Any]:
        record = self._by_token(call.params["token"])
        if record is None or record.responded_at is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        body = call.record.json or {}
        problem = validate_message(body, call.record.files)
        if problem is not None:
            return 400, problem
        channel_id = str(record.payload["channel_id"])
        flags = int(body.get("flags", 0))
        if record.original_pending and record.original_id is not None:
            # The first follow-up after a deferred response replaces the "thinking" message.
            record.original_pending = False
            msg = self.messages[record.original_id]
            msg.update(
                content=str(body.get("content") or ""),
                embeds=body.get("embeds", []) or [],
                components=numbered(body.get("components", []) or []),
                flags=record.deferred_flags | (flags & p.EPHEMERAL),
            )
        else:
            msg = self.store_bot_message(
                channel_id,
                body,
                call.record.files,
                flags=flags,
                webhook=True,
                interaction=record,
            )
        sent = SentMessage(msg["id"], channel_id, "followup", msg, call.record, record.id)
        record.followups.append(sent)
        self.sent.append(sent)
        return 200, msg

    def _webhook_message(self, call: Call) -> tuple[InteractionRecord | None, str | None]:
        record = self._by_token(call.params["token"])
        if record is None:
            return None, None
        mid = call.params["message_id"]
        return record, record.original_id if mid == "@original" else mid

    async def _get_webhook_message(self, call: Call) -> tuple[int, Any]:
        record, mid = self._webhook_message(call)
        if record is None or mid is None or mid not in self.messages:
            return 404, {"message": "Unknown Message", "code": 10008}
        return 200, self.messages[mid]

    async def _edit_webhook_message(self, call: Call) -> tuple[int, Any]:
        record, mid = self._webhook_message(call)
        if record is None or mid is None or mid not in self.messages:
            return 404, {"message": "Unknown Message", "code": 10008}
        body = call.record.json or {}
        problem = validate_message(body, call.record.files)
        if problem is not None:
            return 400, problem
        msg = self.messages[mid]
        for key in ("content", "embeds", "components"):
            if key in body:
                msg[key] = numbered(body[key]) if key == "components" else body[key]
        if mid == record.original_id:
            record.original_pending = False
            msg["flags"] = int(msg.get("flags", 0)) & ~p.LOADING
        sent = SentMessage(mid, str(msg["channel_id"]), "edit", msg, call.record, record.id)
        self.sent.append(sent)
        return 200, msg

    async def _delete_webhook_message(self, call: Call) -> tuple[int, Any]:
        record, mid = self._webhook_message(call)
        if record is None or mid is None or mid not in self.messages:
            return 404, {"message": "Unknown Message", "code": 10008}
        msg = self.messages.pop(mid)
        with contextlib.suppress(ValueError):
            self.history[str(msg["channel_id"])].remove(mid)
        if mid == record.original_id:
            record.original_pending = False
            record.deleted_original = True
        return 204, None
