"""Shared by the Slack end-to-end tests: one test's Slack world and what to read from it.

:func:`open_world` starts the loopback Slack Web API double, the app on a loopback
port and a signed-request client over a store; :class:`SlackWorld` drives it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.adapters.slack.sender import SlackSender
from bot.adapters.slack.server import SlackHttpServer
from bot.adapters.slack.service import SlackStack, build_slack
from bot.config import Settings
from bot.runtime import ensure_workshop
from bot.testing.slack_api import Message, SlackApiDouble
from bot.testing.slack_events import (
    Delivered,
    SlackEventsClient,
    block_actions,
    button_action,
    event_callback,
    find_element,
    message_event,
    multi_state,
    select_action,
    slash_command,
)
from storage.store import Store

SIGNING_SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"
#: Per-channel pace of the app's sender and the double's enforced minimum (fast for tests).
SENDER_INTERVAL = 0.02
DOUBLE_INTERVAL = 0.02


def fast_sender() -> SlackSender:
    """A sender with test-speed pacing and backoff (production: 1 s per channel)."""
    return SlackSender(interval=SENDER_INTERVAL, base_backoff=0.05, max_backoff=0.5)


async def eventually(predicate: Callable[[], Any], timeout: float = 15.0) -> None:
    """Wait until ``predicate()`` is true, polling; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.01)


@dataclass
class SlackWorld:
    """One test's Slack: the double, the running app and a signed-request client."""

    api: SlackApiDouble
    stack: SlackStack
    server: SlackHttpServer
    events: SlackEventsClient
    store: Store
    response_keys: list[str] = field(default_factory=list)

    @property
    def bot(self) -> Any:
        return self.stack.bot

    def pseudonym(self, user: str) -> str:
        return self.stack.runtime.router.pseudonym_for("slack", user)

    # ---------------------------------------------------------- sending
    async def dm(self, user: str, text: str, **options: Any) -> Delivered:
        """``user`` types ``text`` in their DM with the bot."""
        event = message_event(user, self.api.dm_channel(user), text)
        return await self.events.event(event_callback(event), **options)

    async def say_and_wait(self, user: str, text: str) -> list[Message]:
        """Type ``text`` in the DM and wait for the bot's replies to it (the turn is done)."""
        before = self.bot.stats["message.turn"] + self.bot.stats["message.duplicate"]
        channel = self.api.dm_channel(user)
        seen = len(self.api.posted(channel))
        delivered = await self.dm(user, text)
        assert delivered.status == 200, delivered
        await eventually(
            lambda: self.bot.stats["message.turn"] + self.bot.stats["message.duplicate"] > before
        )
        await self.bot.wait_idle(15)
        return self.api.posted(channel)[seen:]

    async def command(
        self, user: str, channel: str, text: str, **options: Any
    ) -> tuple[Delivered, str]:
        key = f"cmd-{len(self.response_keys)}"
        self.response_keys.append(key)
        form = slash_command(user, channel, text, response_url=self.api.response_url(key))
        return await self.events.command(form, **options), key

    async def command_and_wait(self, user: str, channel: str, text: str) -> list[str]:
        """Run ``/cityneeds text`` and return the ephemeral texts it answered."""
        delivered, key = await self.command(user, channel, text)
        assert delivered.status == 200, delivered
        await self.api.wait_for(lambda: bool(self.api.responses.get(key)), timeout=30)
        await self.bot.wait_idle(15)
        return [r["text"] for r in self.api.responses[key]]

    async def act(self, user: str, message: Message, action: dict[str, Any], **extra: Any) -> int:
        """Deliver a ``block_actions`` on ``message``; wait for the turn; return the status."""
        before = self.bot.stats["action.turn"] + self.bot.stats["action.duplicate"]
        payload = block_actions(
            user,
            channel=message.channel,
            message=payload_message(message),
            action=action,
            response_url=self.api.response_url("act"),
            **extra,
        )
        delivered = await self.events.interaction(payload)
        assert delivered.status == 200, delivered
        if not action["action_id"].startswith("cn_form"):
            await eventually(
                lambda: self.bot.stats["action.turn"] + self.bot.stats["action.duplicate"] > before
            )
        await self.bot.wait_idle(15)
        return delivered.status

    async def press(self, user: str, message: Message, label: str) -> int:
        block_id, element = find_element(message.blocks, label=label, kind="button")
        return await self.act(user, message, button_action(block_id, element))

    async def select(self, user: str, message: Message, value: str) -> int:
        block_id, element = find_element(message.blocks, kind="static_select")
        return await self.act(user, message, select_action(block_id, element, value=value))

    async def multi(self, user: str, message: Message, values: list[str]) -> int:
        block_id, element = find_element(message.blocks, kind="multi_static_select")
        send_block, send = find_element(message.blocks, kind="button")
        state = multi_state(block_id, element, values=values)
        return await self.act(user, message, button_action(send_block, send), state=state)


def payload_message(message: Message) -> dict[str, Any]:
    """A message as Slack puts it in an interaction payload."""
    shown: dict[str, Any] = {
        "type": "message",
        "user": message.user,
        "bot_id": "B0BOT",
        "text": message.text,
        "ts": message.ts,
        "blocks": message.blocks,
    }
    if message.thread_ts:
        shown["thread_ts"] = message.thread_ts
    return shown


def all_text(message: Message) -> str:
    """Everything a message shows (blocks' text objects, else its text)."""
    parts: list[str] = []
    for block in message.blocks:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(str(text.get("text", "")))
        for element in block.get("elements", []) if block.get("type") == "context" else []:
            parts.append(str(element.get("text", "")))
    return "\n".join(parts) if parts else message.text


async def open_world(store: Store, *, sender: SlackSender | None = None) -> SlackWorld:
    api = await SlackApiDouble(token=TOKEN, post_interval=DOUBLE_INTERVAL).start()
    settings = Settings(
        database_url=store.url,
        secret="test-secret",
        workshop="city",
        slack_bot_token=TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api.api_url,
    )
    stack = build_slack(settings, store=store, sender=sender or fast_sender())
    await asyncio.to_thread(ensure_workshop, stack.runtime.store, "city", "Test city")
    server = SlackHttpServer(stack.bot.app, signing_secret=SIGNING_SECRET)
    await server.start("127.0.0.1", 0)
    events = SlackEventsClient(server.url(), SIGNING_SECRET)
    return SlackWorld(api=api, stack=stack, server=server, events=events, store=store)


async def close_world(world: SlackWorld) -> None:
    await world.events.close()
    await world.server.stop()
    await world.stack.aclose(timeout=10)
    await world.api.close()
