"""What users do: post messages, run slash commands, press buttons, pick options, submit modals.

Each call builds the raw payload Discord would send (see
:mod:`bot.testing.discord_payloads`) and dispatches it on the gateway.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from typing import Any

from bot.testing import discord_payloads as p
from bot.testing.discord_double.gateway import Gateway
from bot.testing.discord_double.records import FakeDiscordError, InteractionRecord, SentMessage


class Driver(Gateway):
    """Drives the bot as its users would."""

    def _channel_context(
        self, user_id: str, channel_id: str
    ) -> tuple[dict[str, Any], str | None, dict[str, Any] | None]:
        channel = self.channels.get(channel_id)
        if channel is None:
            raise FakeDiscordError(f"unknown channel {channel_id}")
        gid = channel.get("guild_id")
        if gid is None:
            return channel, None, None
        g = self.guilds[gid]
        if user_id not in g.members:
            raise FakeDiscordError(f"user {user_id} is not a member of guild {gid}")
        return channel, gid, g.members[user_id]

    async def user_message(self, user_id: str, channel_id: str, content: str) -> dict[str, Any]:
        """A user posts ``content`` in a channel, thread or DM; the bot gets MESSAGE_CREATE.

        ``<@BOT_ID>`` in the content mentions the bot (and lets the content through
        without the message content intent).

        Returns:
            The dispatched message payload.
        """
        channel, gid, mem = self._channel_context(user_id, channel_id)
        author = self.users[user_id]
        mentions = [
            self.users[uid] for uid in re.findall(r"<@!?(\d+)>", content) if uid in self.users
        ]
        msg = p.message(
            self.ids.next(),
            channel_id,
            author,
            content,
            guild_id=gid,
            author_member=mem,
            mentions=mentions,
        )
        self.messages[msg["id"]] = msg
        self.history.setdefault(channel_id, []).append(msg["id"])
        if channel["type"] in p.THREAD_TYPES:
            channel["message_count"] = int(channel.get("message_count", 0)) + 1
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    def _interaction_channel(self, channel: Mapping[str, Any], user_id: str) -> dict[str, Any]:
        body = {k: v for k, v in channel.items() if not k.startswith("_")}
        gid = channel.get("guild_id")
        if gid is not None:
            body["permissions"] = str(self.permissions(gid, user_id))
        return body

    async def _push_interaction(self, payload: dict[str, Any]) -> InteractionRecord:
        record = InteractionRecord(
            id=str(payload["id"]),
            token=str(payload["token"]),
            payload=payload,
            dispatched_at=time.monotonic(),
        )
        self.interactions[record.id] = record
        await self.dispatch("INTERACTION_CREATE", payload)
        record.dispatched_at = time.monotonic()
        return record

    def _invoker_fields(
        self, user_id: str, channel_id: str
    ) -> tuple[dict[str, Any], str | None, dict[str, Any] | None, dict[str, Any]]:
        channel, gid, mem = self._channel_context(user_id, channel_id)
        invoker_member = None
        if gid is not None and mem is not None:
            invoker_member = {**mem, "permissions": str(self.permissions(gid, user_id))}
        return channel, gid, invoker_member, self._interaction_channel(channel, user_id)

    async def slash(
        self,
        user_id: str,
        channel_id: str,
        command: str,
        subcommand: str,
        options: Mapping[str, str | int] | None = None,
        *,
        locale: str = "en-US",
        users: Mapping[str, str] | None = None,
    ) -> InteractionRecord:
        """A user runs ``/command subcommand name:value …`` in a channel, thread or DM.

        Args:
            user_id: Who runs it.
            channel_id: Where.
            command: The top-level (group) command name, as synced by the bot.
            subcommand: The subcommand.
            options: String and integer options.
            locale: The user's client locale.
            users: User options (option name → user id); resolved data is included.
        """
        cmd = self.command(command)
        _, gid, invoker_member, channel = self._invoker_fields(user_id, channel_id)
        opts = p.subcommand_options(subcommand, options)
        resolved: dict[str, Any] = {}
        for name, uid in (users or {}).items():
            opts[0]["options"].append({"type": p.USER, "name": name, "value": uid})
            resolved.setdefault("users", {})[uid] = self.users[uid]
            if gid is not None and uid in self.guilds[gid].members:
                body = dict(self.guilds[gid].members[uid])
                body.pop("user", None)
                resolved.setdefault("members", {})[uid] = body
        payload = p.application_command(
            interaction_id=self.ids.next(),
            application_id=self.application_id,
            token=p.new_token(),
            command=cmd,
            options=opts,
            channel=channel,
            invoker=self.users[user_id],
            invoker_member=invoker_member,
            guild_id=gid,
            locale=locale,
            resolved=resolved or None,
        )
        return await self._push_interaction(payload)

    def _source(self, message: SentMessage | Mapping[str, Any]) -> dict[str, Any]:
        mid = message.id if isinstance(message, SentMessage) else str(message["id"])
        found = self.messages.get(mid)
        if found is None:
            raise FakeDiscordError(f"unknown message {mid}")
        return found

    async def click(
        self,
        user_id: str,
        message: SentMessage | Mapping[str, Any],
        custom_id: str,
        *,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """A user presses the button ``custom_id`` on one of the bot's messages."""
        return await self._component(user_id, message, custom_id, p.BUTTON, None, locale)

    async def choose(
        self,
        user_id: str,
        message: SentMessage | Mapping[str, Any],
        custom_id: str,
        values: Sequence[str],
        *,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """A user picks ``values`` in the select ``custom_id`` on one of the bot's messages."""
        return await self._component(user_id, message, custom_id, p.STRING_SELECT, values, locale)

    async def forged_component(
        self,
        user_id: str,
        message: SentMessage | Mapping[str, Any],
        custom_id: str,
        *,
        component_type: int = p.BUTTON,
        values: Sequence[str] | None = None,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """A component interaction on one of the bot's messages that the bot never offered.

        What an altered client could send: ``custom_id`` need not be on the
        message (nor be 100 characters or fewer), and a select's ``values`` need
        not be among its options.
        """
        return await self._component(
            user_id, message, custom_id, component_type, values, locale, checked=False
        )

    async def _component(
        self,
        user_id: str,
        message: SentMessage | Mapping[str, Any],
        custom_id: str,
        component_type: int,
        values: Sequence[str] | None,
        locale: str,
        *,
        checked: bool = True,
    ) -> InteractionRecord:
        source = self._source(message)
        if not checked:
            return await self._push_component(
                user_id, source, custom_id, component_type, values, locale
            )
        comp = next(
            (
                c
                for c in p.walk_components(source.get("components", []))
                if c.get("custom_id") == custom_id
            ),
            None,
        )
        if comp is None or comp.get("type") != component_type:
            raise FakeDiscordError(f"message {source['id']} has no such component {custom_id!r}")
        if component_type == p.STRING_SELECT:
            allowed = {o["value"] for o in comp.get("options", [])}
            if not set(values or []) <= allowed:
                raise FakeDiscordError(f"{values} are not options of {custom_id!r}")
        return await self._push_component(
            user_id, source, custom_id, component_type, values, locale
        )

    async def _push_component(
        self,
        user_id: str,
        source: Mapping[str, Any],
        custom_id: str,
        component_type: int,
        values: Sequence[str] | None,
        locale: str,
    ) -> InteractionRecord:
        _, gid, invoker_member, channel = self._invoker_fields(user_id, str(source["channel_id"]))
        payload = p.component_interaction(
            interaction_id=self.ids.next(),
            application_id=self.application_id,
            token=p.new_token(),
            source=source,
            custom_id=custom_id,
            component_type=component_type,
            values=values,
            channel=channel,
            invoker=self.users[user_id],
            invoker_member=invoker_member,
            guild_id=gid,
            locale=locale,
        )
        return await self._push_interaction(payload)

    async def submit_modal(
        self,
        user_id: str,
        opened_by: InteractionRecord,
        values: Mapping[str, str],
        *,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """A user fills in and submits the modal the bot opened in answer to ``opened_by``.

        Raises:
            FakeDiscordError: The bot did not answer ``opened_by`` with a modal.
        """
        modal = opened_by.modal
        if modal is None:
            raise FakeDiscordError(f"interaction {opened_by.id} was not answered with a modal")
        channel_id = str(opened_by.payload["channel_id"])
        _, gid, invoker_member, channel = self._invoker_fields(user_id, channel_id)
        source = opened_by.payload.get("message")
        payload = p.modal_submit_interaction(
            interaction_id=self.ids.next(),
            application_id=self.application_id,
            token=p.new_token(),
            custom_id=str(modal["custom_id"]),
            components=p.modal_answers(modal, values),
            channel=channel,
            invoker=self.users[user_id],
            invoker_member=invoker_member,
            guild_id=gid,
            source=source,
            locale=locale,
        )
        return await self._push_interaction(payload)
