"""Run the CityNeeds Discord bot against :class:`FakeDiscord` inside the current event loop.

>>> async with DiscordHarness.start(runtime) as h:          # doctest: +SKIP
...     joined = await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
...     thread = h.thread_of("alice")
...     await h.say("alice", thread, "yes")

The unmodified discord.py client logs in over REST, connects to the fake
gateway (HELLO → IDENTIFY → READY → GUILD_CREATE) and syncs its slash commands;
every helper pushes a real gateway dispatch and waits, without sleeping, until
the adapter has finished handling it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.bot import CityNeedsBot
from bot.adapters.discord.deliveries import Handled
from bot.adapters.discord.endpoints import discord_endpoints
from bot.adapters.discord.poster import DiscordPoster
from bot.runtime import Runtime, ensure_workshop
from bot.testing import discord_payloads as p
from bot.testing.discord_api import FakeDiscord, InteractionRecord, SentMessage


@dataclass
class DiscordWorld:
    """The server the harness builds: one guild, two channels, a few people.

    Attributes:
        guild_id: The guild.
        workshop_channel: ``#workshop``, bound to the workshop (citizens join here).
        moderators_channel: ``#moderators``, bound for drafts and reviews.
        lobby_channel: ``#lobby``, bound to nothing.
        admin_role: A role with the administrator permission.
        users: User ids by name: ``alice``, ``bob``, ``carol`` (citizens), ``fac`` (server
            admin), ``mod`` (a member without special permissions).
    """

    guild_id: str
    workshop_channel: str
    moderators_channel: str
    lobby_channel: str
    admin_role: str
    users: dict[str, str] = field(default_factory=dict)


def build_world(
    fake: FakeDiscord, *, citizens: Sequence[str] = ("alice", "bob", "carol")
) -> DiscordWorld:
    """Create the default guild on ``fake``."""
    gid = fake.add_guild("City hall")
    admin_role = fake.add_role(gid, "Admin", p.ADMINISTRATOR)
    world = DiscordWorld(
        guild_id=gid,
        workshop_channel=fake.add_text_channel(gid, "workshop"),
        moderators_channel=fake.add_text_channel(gid, "moderators"),
        lobby_channel=fake.add_text_channel(gid, "lobby"),
        admin_role=admin_role,
    )
    for name in (*citizens, "fac", "mod"):
        uid = fake.add_user(name)["id"]
        fake.add_member(gid, uid, [admin_role] if name == "fac" else [])
        world.users[name] = uid
    return world


class DiscordHarness:
    """A running bot, its fake Discord, and helpers that drive them."""

    def __init__(self, fake: FakeDiscord, bot: CityNeedsBot | None, world: DiscordWorld) -> None:
        self.fake = fake
        self._bot = bot
        self.world = world
        self._task: asyncio.Task[None] | None = None
        self._launch_args: tuple[Runtime, DiscordPoster | None, bool, float] | None = None

    @property
    def bot(self) -> CityNeedsBot:
        """The running bot."""
        assert self._bot is not None, "the bot is not running"
        return self._bot

    async def _launch(self) -> None:
        assert self._launch_args is not None
        runtime, poster, message_content, ready_timeout = self._launch_args
        bot = CityNeedsBot(
            runtime,
            poster=poster,
            message_content=message_content,
            start_scheduler=False,
            guild_ready_timeout=0.05,
        )
        ready = asyncio.Event()

        async def on_ready() -> None:
            ready.set()

        bot.add_listener(on_ready, "on_ready")
        task = asyncio.create_task(bot.start(self.fake.token), name="cityneeds-discord-bot")
        self._bot, self._task = bot, task
        waiter = asyncio.create_task(ready.wait())
        try:
            done, _ = await asyncio.wait(
                {task, waiter}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if task in done:
                task.result()
                raise RuntimeError("the bot stopped before it was ready")
            if waiter not in done:
                raise TimeoutError(f"the bot was not ready within {ready_timeout}s")
        except BaseException:
            await self._stop()
            raise
        finally:
            waiter.cancel()

    async def _stop(self) -> None:
        bot, task = self._bot, self._task
        self._bot, self._task = None, None
        if bot is not None:
            await bot.close()
        if task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, timeout=10)

    async def restart(self) -> None:
        """Stop the bot and start a new one on the same runtime, database and fake Discord.

        The new bot knows nothing the old one kept in memory (views, modals, the
        gateway session): it logs in and identifies afresh, as after a restart.
        """
        await self._stop()
        await self._launch()

    @property
    def adapter(self) -> DiscordAdapter:
        """The bot's adapter (for :meth:`DiscordAdapter.wait_handled`)."""
        return self.bot.cityneeds

    @classmethod
    @asynccontextmanager
    async def start(
        cls,
        runtime: Runtime,
        *,
        workshop: str = "city",
        message_content: bool = True,
        poster: DiscordPoster | None = None,
        fake: FakeDiscord | None = None,
        bind: bool = True,
        ready_timeout: float = 20.0,
    ) -> AsyncIterator[DiscordHarness]:
        """Start the fake (port 0) and the bot pointed at it; stop both afterwards.

        ``discord.http.Route.BASE`` and the gateway URL are overridden for the
        duration and restored on exit.

        Args:
            runtime: The app (its store, router and staff desk).
            workshop: Workshop slug ``#workshop`` runs (created if missing).
            message_content: Whether the bot asks for the message content intent.
            poster: The runtime's poster, if it is a :class:`DiscordPoster` (attached to the bot).
            fake: A prepared fake (started here).
            bind: Bind ``#workshop`` and ``#moderators`` to the workshop.
            ready_timeout: Seconds to wait for the bot's ``ready``.
        """
        fake = fake or FakeDiscord()
        await fake.start()
        world = build_world(fake)
        ws = ensure_workshop(runtime.store, workshop)
        if bind:
            runtime.store.bind_channel(ws.id, "discord", world.workshop_channel, "workshop")
            runtime.store.bind_channel(ws.id, "discord", world.moderators_channel, "moderators")
        try:
            with discord_endpoints(fake.api_url, fake.gateway_url):
                harness = cls(fake, None, world)
                harness._launch_args = (runtime, poster, message_content, ready_timeout)
                await harness._launch()
                try:
                    yield harness
                finally:
                    await harness._stop()
        finally:
            await fake.close()

    # ----------------------------------------------------------------- drive
    def user(self, name: str) -> str:
        """A user id by name."""
        return self.world.users[name]

    async def say(self, name: str, channel_id: str, content: str) -> Handled:
        """``name`` types ``content`` in a channel, thread or DM; wait until it is handled."""
        msg = await self.fake.user_message(self.user(name), channel_id, content)
        return await self.adapter.wait_handled(str(msg["id"]))

    async def slash(
        self,
        name: str,
        channel_id: str,
        command: str,
        subcommand: str,
        options: Mapping[str, str | int] | None = None,
        *,
        locale: str = "en-US",
        users: Mapping[str, str] | None = None,
    ) -> tuple[InteractionRecord, Handled]:
        """``name`` runs a slash command; wait until the adapter has handled it."""
        record = await self.fake.slash(
            self.user(name), channel_id, command, subcommand, options, locale=locale, users=users
        )
        return record, await self.adapter.wait_handled(record.id)

    async def click(
        self, name: str, message: SentMessage, custom_id: str
    ) -> tuple[InteractionRecord, Handled]:
        """``name`` presses a button; wait until it is handled."""
        record = await self.fake.click(self.user(name), message, custom_id)
        return record, await self.adapter.wait_handled(record.id)

    async def choose(
        self, name: str, message: SentMessage, custom_id: str, values: Sequence[str]
    ) -> tuple[InteractionRecord, Handled]:
        """``name`` picks options in a select; wait until it is handled."""
        record = await self.fake.choose(self.user(name), message, custom_id, values)
        return record, await self.adapter.wait_handled(record.id)

    async def submit(
        self, name: str, opened_by: InteractionRecord, values: Mapping[str, str]
    ) -> tuple[InteractionRecord, Handled]:
        """``name`` submits the modal opened by ``opened_by``; wait until it is handled."""
        record = await self.fake.submit_modal(self.user(name), opened_by, values)
        return record, await self.adapter.wait_handled(record.id)

    # ----------------------------------------------------------------- read
    def thread_of(self, name: str) -> str:
        """The private thread the bot opened for ``name`` under ``#workshop``.

        Raises:
            LookupError: There is none.
        """
        for thread in self.fake.threads_of(self.world.workshop_channel):
            if self.user(name) in thread.get("_members", []):
                return str(thread["id"])
        raise LookupError(f"no thread for {name}")

    def last_with_components(self, channel_id: str) -> SentMessage:
        """The bot's latest message with components in a channel.

        Raises:
            LookupError: There is none.
        """
        for message in reversed(self.fake.sent_to(channel_id)):
            if message.components:
                return message
        raise LookupError(f"no message with components in {channel_id}")

    def sent_since(self, channel_id: str, count_before: int) -> list[SentMessage]:
        """The bot's messages in a channel after the first ``count_before``."""
        return self.fake.sent_to(channel_id)[count_before:]

    def messages_of(self, handled: Handled) -> list[SentMessage]:
        """The messages the adapter sent while handling one delivery."""
        ids = {str(i) for i in handled.sent}
        return [m for m in self.fake.sent if m.id in ids]

    @staticmethod
    def payload_json(message: SentMessage) -> dict[str, Any]:
        """The JSON body the bot sent for a message."""
        body = message.request.json
        return dict(body) if isinstance(body, dict) else {}
