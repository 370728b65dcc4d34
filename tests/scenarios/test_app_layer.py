"""One rule per product question, whatever the surface: console, Slack and Discord.

Each scenario runs three times, once per surface, driving the real adapter (the
console loop; signed HTTP to the Bolt app against the Slack Web API double; the
unmodified discord.py client against the loopback Discord), and checks the same
outcome by value:

* an administrator binding (or, on the console, running a staff command) becomes
  the workshop's facilitator once, audited; a citizen trying the same is refused,
  audited, and changes nothing;
* one person's quickly sent answers are handled in the order they were sent;
* a direct message belongs to the workshop the person answered in last.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack
from typing import Any, Protocol

import pytest
from sqlmodel import select

from bot.adapters.console import run_console
from bot.adapters.console.adapter import console_workshop
from bot.adapters.discord.poster import DiscordPoster
from bot.adapters.slack.sender import SlackSender
from bot.adapters.slack.server import SlackHttpServer
from bot.adapters.slack.service import build_slack
from bot.app.workshops import ensure_workshop
from bot.config import Settings
from bot.core import load_core
from bot.runtime import Runtime, open_runtime
from bot.testing.discord_api import BucketRule, FakeDiscord
from bot.testing.discord_harness import DiscordHarness
from bot.testing.harness import ChatHarness
from bot.testing.slack_api import SlackApiDouble
from bot.testing.slack_events import SlackEventsClient, event_callback, message_event, slash_command
from storage import channels, roles
from storage.audit import audit_rows
from storage.models import Conversation, Participant, Workshop
from storage.store import Store

SURFACES = ["console", "slack", "discord"]
SECRET = "app-layer-secret"
SIGNING_SECRET = "app-layer-signing"
TOKEN = "xoxb-app-layer"

#: Quick answers from consent on, and the step each one leads to.
BURST = [
    ("yes", "helix"),
    ("4", "domains"),
    ("mobility, health", "importance"),
    ("5", "satisfaction"),
    ("2", "need_text"),
]


class Surface(Protocol):
    """One chat surface, driven through its real adapter."""

    platform: str
    runtime: Runtime

    def pseudonym(self, who: str) -> str:
        """The stored pseudonym of a person."""
        ...

    async def take_charge(self, who: str, workshop: str) -> None:
        """``who`` tries to run ``workshop`` from here (bind a channel; a staff command)."""
        ...

    async def join_privately(self, who: str, workshop: str) -> None:
        """``who`` starts in ``workshop`` and continues in a direct message."""
        ...

    async def dm(self, who: str, text: str) -> None:
        """``who`` writes ``text`` in their direct message with the bot; wait for the turn."""
        ...

    async def burst(self, who: str, workshop: str, lines: Sequence[str]) -> None:
        """``who`` joins ``workshop`` and sends ``lines`` without waiting; wait for all."""
        ...


# ------------------------------------------------------------------ console
class ConsoleSurface:
    platform = "console"
    admins = {"fac"}

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def pseudonym(self, who: str) -> str:
        return self.runtime.router.pseudonym_for(self.platform, who)

    async def _chat(self, who: str, workshop: str | None, lines: Sequence[str]) -> str:
        router = self.runtime.router
        slug = console_workshop(self.runtime.app.places, router, who, workshop)
        out = io.StringIO()
        await asyncio.to_thread(
            run_console,
            router,
            user=who,
            workshop=slug,
            stdin=io.StringIO("".join(f"{line}\n" for line in lines)),
            stdout=out,
            admin=who in self.admins,
        )
        return out.getvalue()

    async def take_charge(self, who: str, workshop: str) -> None:
        # The console has no channels: the session runs the workshop it is started on,
        # and the bootstrap happens on the administrator's first staff command.
        await asyncio.to_thread(ensure_workshop, self.runtime.store, workshop)
        await self._chat(who, workshop, ["!open meso"])

    async def join_privately(self, who: str, workshop: str) -> None:
        await self._chat(who, workshop, [])

    async def dm(self, who: str, text: str) -> None:
        await self._chat(who, None, [text])

    async def burst(self, who: str, workshop: str, lines: Sequence[str]) -> None:
        # A console that does not wait between lines: the router's async path.
        chat = ChatHarness(self.runtime.router, user=who, workshop=workshop, platform="console")
        await chat.astart()
        await asyncio.gather(*(chat.asay(line) for line in lines))


# -------------------------------------------------------------------- slack
class SlackSurface:
    platform = "slack"
    users = {"alice": "U1", "bob": "U2", "fac": "UADMIN"}
    channels = {"city": "C0CITY", "north": "C0NORTH", "riverside": "C0RIVER"}

    def __init__(self, runtime: Runtime, api: SlackApiDouble, bot: Any, events: Any) -> None:
        self.runtime = runtime
        self.api = api
        self.bot = bot
        self.events = events
        self._keys = 0

    def pseudonym(self, who: str) -> str:
        return self.runtime.router.pseudonym_for(self.platform, self.users[who])

    async def _command(self, who: str, channel: str, text: str) -> None:
        self._keys += 1
        key = f"k{self._keys}"
        form = slash_command(
            self.users[who], channel, text, response_url=self.api.response_url(key)
        )
        assert (await self.events.command(form)).status == 200
        await self.api.wait_for(lambda: bool(self.api.responses.get(key)), timeout=15)
        await self.bot.wait_idle(15)

    async def _turns(self, count: int) -> None:
        async def done() -> None:
            while self.bot.stats["message.turn"] < count:
                await asyncio.sleep(0.01)

        await asyncio.wait_for(done(), 20)
        await self.bot.wait_idle(15)

    async def take_charge(self, who: str, workshop: str) -> None:
        await self._command(who, self.channels["riverside"], f"setup {workshop}")

    async def join_privately(self, who: str, workshop: str) -> None:
        await self._command(who, self.channels[workshop], "join")

    async def dm(self, who: str, text: str) -> None:
        user = self.users[who]
        before = self.bot.stats["message.turn"]
        event = message_event(user, self.api.dm_channel(user), text)
        assert (await self.events.event(event_callback(event))).status == 200
        await self._turns(before + 1)

    async def burst(self, who: str, workshop: str, lines: Sequence[str]) -> None:
        await self.join_privately(who, workshop)
        user = self.users[who]
        before = self.bot.stats["message.turn"]
        for line in lines:  # each returns once Slack has its ack; the turns run later
            event = message_event(user, self.api.dm_channel(user), line)
            assert (await self.events.event(event_callback(event))).status == 200
        await self._turns(before + len(lines))


# ------------------------------------------------------------------ discord
class DiscordSurface:
    platform = "discord"

    def __init__(self, runtime: Runtime, harness: DiscordHarness) -> None:
        self.runtime = runtime
        self.h = harness
        self.channels = {
            "city": harness.world.workshop_channel,
            "north": harness.world.lobby_channel,
            "riverside": harness.world.lobby_channel,
        }

    def pseudonym(self, who: str) -> str:
        return self.h.adapter.pseudonym(int(self.h.user(who)))

    async def take_charge(self, who: str, workshop: str) -> None:
        _, handled = await self.h.slash(
            who, self.channels["riverside"], "cityneeds-admin", "setup", {"workshop": workshop}
        )
        assert handled.error is None

    async def join_privately(self, who: str, workshop: str) -> None:
        # Direct messages on Discord are for people who opted in, from a workshop channel.
        _, handled = await self.h.slash(
            who, self.channels[workshop], "cityneeds", "dm", {"state": "on"}
        )
        assert handled.error is None and handled.step == "consent"

    async def dm(self, who: str, text: str) -> None:
        channel = self.h.fake.dm_channel_of(self.h.user(who))
        assert channel is not None
        handled = await self.h.say(who, channel, text)
        assert handled.error is None

    async def burst(self, who: str, workshop: str, lines: Sequence[str]) -> None:
        _, joined = await self.h.slash(who, self.channels[workshop], "cityneeds", "join")
        assert joined.error is None
        thread = self.h.thread_of(who)
        sent = [await self.h.fake.user_message(self.h.user(who), thread, line) for line in lines]
        for message in sent:
            assert (await self.h.adapter.wait_handled(str(message["id"]), 20)).error is None


# ------------------------------------------------------------------ fixture
@pytest.fixture(params=SURFACES)
async def surface(request: pytest.FixtureRequest, store: Store) -> AsyncIterator[Surface]:
    """The app over ``store`` on one surface, with workshops ``city`` and ``north``."""
    async with AsyncExitStack() as stack:
        if request.param == "slack":
            api = await SlackApiDouble(token=TOKEN, post_interval=0.02).start()
            stack.push_async_callback(api.close)
            for user in ("U1", "U2"):
                api.add_user(user)
            api.add_user("UADMIN", is_admin=True)
            settings = Settings(
                database_url=store.url,
                secret=SECRET,
                workshop="city",
                slack_bot_token=TOKEN,
                slack_signing_secret=SIGNING_SECRET,
                slack_api_url=api.api_url,
            )
            sender = SlackSender(interval=0.02, base_backoff=0.05, max_backoff=0.5)
            slack = build_slack(settings, store=store, sender=sender)
            stack.push_async_callback(slack.aclose, timeout=10)
            server = SlackHttpServer(slack.bot.app, signing_secret=SIGNING_SECRET)
            await server.start("127.0.0.1", 0)
            stack.push_async_callback(server.stop)
            events = SlackEventsClient(server.url(), SIGNING_SECRET)
            stack.push_async_callback(events.close)
            runtime = slack.runtime
            found: Surface = SlackSurface(runtime, api, slack.bot, events)
        else:
            poster = DiscordPoster(store, load_core().catalogs)
            settings = Settings(database_url=store.url, secret=SECRET, workshop="city")
            runtime = open_runtime(settings, store=store, poster=poster)
            stack.callback(runtime.router.close)
            stack.callback(runtime.scheduler.shutdown)
            if request.param == "discord":
                fast = {"POST /channels/{channel_id}/messages": BucketRule(50, 1.0)}
                harness = await stack.enter_async_context(
                    DiscordHarness.start(runtime, poster=poster, fake=FakeDiscord(limits=fast))
                )
                found = DiscordSurface(runtime, harness)
            else:
                found = ConsoleSurface(runtime)
        await asyncio.to_thread(_workshops, runtime, found)
        yield found


def _workshops(runtime: Runtime, surface: Surface) -> None:
    store = runtime.store
    city = ensure_workshop(store, "city", "Test city")
    north = ensure_workshop(store, "north", "North")
    channels_of = getattr(surface, "channels", {})
    for ws in (city, north):
        if ws.slug in channels_of and surface.platform == "slack":
            store.bind_channel(ws.id, "slack", channels_of[ws.slug], "workshop")
    if surface.platform == "discord":
        store.bind_channel(north.id, "discord", channels_of["north"], "workshop")


# -------------------------------------------------------------------- reads
def _workshop_id(store: Store, slug: str) -> int | None:
    found = store.find_workshop(slug)
    return found.id if found is not None else None


def _actions(store: Store, slug: str, actor: str) -> list[tuple[str, str | None]]:
    ws = _workshop_id(store, slug)
    if ws is None:
        return []
    with store.session() as session:
        rows = audit_rows(session, ws)
    return [(r["action"], r["detail"].get("role")) for r in rows if r["actor"] == actor]


def _role(store: Store, slug: str, actor: str) -> str:
    ws = _workshop_id(store, slug)
    assert ws is not None
    with store.session() as session:
        return roles.role_of(session, ws, actor)[0]


def _bindings(store: Store, platform: str) -> list[tuple[str, str, str]]:
    with store.session() as session:
        found = channels.bindings(session, platform)
    return sorted((b.channel_id, b.workshop_slug, b.purpose) for b in found)


def _steps(store: Store, pseudonym: str) -> dict[str, str]:
    """Where each of a person's conversations is, by workshop slug."""
    with store.session() as session:
        rows = session.exec(
            select(Workshop.slug, Conversation.step).where(
                Participant.pseudonym == pseudonym,
                Conversation.participant_id == Participant.id,
                Workshop.id == Participant.workshop_id,
            )
        ).all()
    return {slug: step for slug, step in rows}


# ------------------------------------------------------------------ scenarios
async def test_the_first_facilitator_is_bootstrapped_once_and_a_refusal_is_audited(
    surface: Surface,
) -> None:
    store = surface.runtime.store
    fac, alice = surface.pseudonym("fac"), surface.pseudonym("alice")

    await surface.take_charge("fac", "riverside")
    await surface.take_charge("fac", "riverside")  # a second time bootstraps nothing

    assert _role(store, "riverside", fac) == "facilitator"
    actions = _actions(store, "riverside", fac)
    assert actions.count(("role.bootstrap", "facilitator")) == 1
    if surface.platform != "console":
        assert [a for a, _ in actions if a == "channel.bind"] == ["channel.bind"] * 2
        ws = _workshop_id(store, "riverside")
        with store.session() as session:
            bound = channels.bindings(session, surface.platform)
        assert [b.workshop_slug for b in bound if b.workshop_id == ws] == ["riverside"]

    before = _actions(store, "city", alice)
    bound_before = _bindings(store, surface.platform)
    await surface.take_charge("alice", "city")
    assert _actions(store, "city", alice) == [*before, ("refused", "citizen")]
    assert _role(store, "city", alice) == "citizen"
    assert _bindings(store, surface.platform) == bound_before


async def test_one_persons_quick_answers_are_handled_in_the_order_sent(
    surface: Surface,
) -> None:
    lines = [line for line, _ in BURST]
    await surface.burst("bob", "city", lines)

    store = surface.runtime.store
    assert _steps(store, surface.pseudonym("bob")) == {"city": BURST[-1][1]}
    with store.session() as session:
        [conversation] = session.exec(
            select(Conversation)
            .where(Participant.pseudonym == surface.pseudonym("bob"))
            .where(Conversation.participant_id == Participant.id)
        ).all()
    answers = conversation.state.get("answers", {})
    assert answers.get("domains") == ["mobility", "health"], answers


async def test_a_direct_message_belongs_to_the_workshop_answered_in_last(
    surface: Surface,
) -> None:
    store = surface.runtime.store
    alice = surface.pseudonym("alice")
    await surface.join_privately("alice", "city")
    await surface.join_privately("alice", "north")
    assert _steps(store, alice) == {"city": "consent", "north": "consent"}

    places = surface.runtime.app.places
    resolved = await places.dm_workshop(surface.platform, alice)
    assert resolved.workshop == "north"

    await surface.dm("alice", "yes")
    assert _steps(store, alice) == {"city": "consent", "north": "helix"}
