"""Issue 14, item 1 (Discord): ``cityneeds run discord`` is SIGKILLed right after each deferral.

Alice answers with buttons, a select and a slash command. Each time, the fake
Discord accepts the bot's deferral (from then on Discord never sends that
interaction again) and keeps the bot waiting for the HTTP answer; the test
kills the process with SIGKILL at that moment and starts a new one. Every
answer must be stored exactly once and answered exactly once, by the new
process, and nothing may be left in the inbox.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from sqlmodel import select

from bot.identity import pseudonym
from bot.runtime import ensure_workshop
from bot.testing import discord_payloads as p
from bot.testing.discord_api import FakeDiscord, InteractionRecord, SentMessage
from bot.testing.discord_harness import DiscordWorld, build_world
from storage.models import Conversation, Need, Participant, ProcessedDelivery
from storage.store import Store
from tests.e2e.discord.helpers import FAST_CHANNELS, rejected

SECRET = "kill-secret"
CALLBACK = "POST /interactions/{interaction_id}/{token}/callback"
ENV_DROPPED = (
    "DISCORD_TOKEN",
    "CITYNEEDS_DISCORD_TOKEN",
    "CITYNEEDS_DISCORD_API_URL",
    "CITYNEEDS_DISCORD_GATEWAY_URL",
)


class Bots:
    """Starts ``cityneeds run discord`` processes against one fake and one database."""

    def __init__(self, fake: FakeDiscord, db_url: str, logs: Path) -> None:
        self.fake = fake
        self.logs = logs
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ENV_DROPPED},
            "DISCORD_TOKEN": fake.token,
            "CITYNEEDS_DISCORD_API_URL": fake.api_url,
            "CITYNEEDS_DISCORD_GATEWAY_URL": fake.gateway_url,
            "CITYNEEDS_DATABASE_URL": db_url,
            "CITYNEEDS_SECRET": SECRET,
        }
        self.proc: asyncio.subprocess.Process | None = None
        self.started = 0

    async def start(self) -> None:
        identifies = self.fake.identifies
        self.started += 1
        with (self.logs / f"bot-{self.started}.log").open("wb") as out:
            self.proc = await asyncio.create_subprocess_exec(
                str(Path(sys.executable).parent / "cityneeds"),
                "run",
                "discord",
                env=self.env,
                cwd=self.logs,
                stdout=out,
                stderr=out,
            )
        await self.fake.wait_for(
            lambda: self.fake.identifies == identifies + 1 and self.fake.connected,
            timeout=60,
            what=f"bot {self.started} to identify",
        )

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()  # SIGKILL: no handler, no finally, no flush
        assert await self.proc.wait() == -9
        self.proc = None

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()
        self.proc = None


@asynccontextmanager
async def _bots(db_url: str, logs: Path) -> AsyncIterator[tuple[Bots, DiscordWorld, Store]]:
    store = Store(db_url)
    store.ensure_schema()
    fake = FakeDiscord(limits=FAST_CHANNELS)
    await fake.start()
    world = build_world(fake)
    ws = ensure_workshop(store, "city")
    store.bind_channel(ws.id, "discord", world.workshop_channel, "workshop")
    store.bind_channel(ws.id, "discord", world.moderators_channel, "moderators")
    bots = Bots(fake, db_url, logs)
    try:
        yield bots, world, store
    finally:
        fake.release_callbacks()
        await bots.stop()
        await fake.close()
        store.dispose()


async def _until(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    """Poll the database (another process writes it) until ``predicate`` holds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.05)


def _public(fake: FakeDiscord, thread: str) -> list[SentMessage]:
    return [m for m in fake.sent_to(thread) if not m.ephemeral]


def _state(store: Store, who: str) -> tuple[str, int, int]:
    """Alice's step, how many deliveries are stored for her, and how many needs."""
    with store.session() as s:
        person = s.exec(select(Participant).where(Participant.pseudonym == who)).one()
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).one()
        deliveries = s.exec(select(ProcessedDelivery)).all()
        needs = s.exec(select(Need).where(Need.participant_id == person.id)).all()
        return conv.step, len(deliveries), len(needs)


async def _killed_after_defer(
    bots: Bots,
    store: Store,
    thread: str,
    who: str,
    act: Callable[[], object],
    replies: int = 1,
) -> InteractionRecord:
    """Do ``act`` (an interaction), SIGKILL the bot once Discord has its deferral, restart it.

    Returns once the new process has posted ``replies`` messages in the thread.
    """
    fake = bots.fake
    before_messages = len(_public(fake, thread))
    before_state = _state(store, who)
    fake.hold_callbacks = True
    record = await act()  # type: ignore[misc]
    assert isinstance(record, InteractionRecord)
    await fake.wait_for(lambda: record.responded_at is not None, timeout=30, what="the deferral")
    assert record.response_type in (5, 6) and record.latency is not None and record.latency < 3
    await bots.kill()
    fake.release_callbacks()
    # Killed after the acknowledgement and before anything else: nothing stored, no reply.
    assert _state(store, who) == before_state
    assert len(_public(fake, thread)) == before_messages

    await bots.start()
    await fake.wait_for(
        lambda: len(_public(fake, thread)) >= before_messages + replies,
        timeout=30,
        what="the new process to answer the kept interaction",
    )
    return record


async def test_every_answer_is_stored_and_answered_once_when_killed_after_each_defer(
    db_url: str, tmp_path: Path
) -> None:
    async with _bots(db_url, tmp_path) as (bots, world, store):
        fake = bots.fake
        alice = world.users["alice"]
        who = pseudonym(SECRET, "discord", alice)
        await bots.start()
        joined = await fake.slash(alice, world.workshop_channel, "cityneeds", "join")
        await fake.wait_for(lambda: bool(joined.followups), timeout=30, what="the join notice")
        [thread_payload] = fake.threads_of(world.workshop_channel)
        thread = str(thread_payload["id"])
        assert _state(store, who)[0] == "consent"

        def last_prompt() -> SentMessage:
            return next(m for m in reversed(_public(fake, thread)) if m.components)

        def button(label: str) -> Callable[[], object]:
            def act() -> object:
                prompt = last_prompt()
                ids = [
                    c["custom_id"]
                    for c in p.walk_components(prompt.components)
                    if c.get("type") == p.BUTTON and c.get("label") == label
                ]
                return fake.click(alice, prompt, ids[0])

            return act

        def choose(values: Sequence[str]) -> Callable[[], object]:
            return lambda: fake.choose(alice, last_prompt(), "cn:s:domains", values)

        records: list[InteractionRecord] = []
        answers: list[tuple[Callable[[], object], str]] = [
            (button("Yes"), "helix"),
            (choose(["mobility"]), "importance"),
        ]
        first = len(_public(fake, thread))
        for number, (act, step) in enumerate(answers, start=1):
            if step == "importance":  # the helix, answered live in between
                typed = await fake.user_message(alice, thread, "4")
                await fake.wait_for(lambda: len(_public(fake, thread)) == first + 2)
            records.append(await _killed_after_defer(bots, store, thread, who, act))
            assert _state(store, who)[0] == step, number
        assert len(_public(fake, thread)) == first + 3
        # A slash command killed the same way is answered once too: where she is,
        # with the current question shown again under it (one message).
        status = await _killed_after_defer(
            bots,
            store,
            thread,
            who,
            lambda: fake.slash(alice, thread, "cityneeds", "status"),
            replies=1,
        )
        assert _public(fake, thread)[-1].content.startswith("You are at:")
        # The conversation goes on live with the last process.
        said = await fake.user_message(alice, thread, "5")
        await fake.wait_for(lambda: len(_public(fake, thread)) == first + 5, what="reply")
        assert _state(store, who)[0] == "satisfaction"
        await _until(lambda: store.inbox.counts("discord").get("inbox.received", 0) == 0)
        # One reply per answer, none twice: consent, helix, domains, status, importance.
        steps = [m.content.split("\n")[0][:40] for m in _public(fake, thread)[first:]]
        assert len(steps) == len(set(steps)), steps
        await bots.stop()

        # Each interaction was acknowledged once (Discord sent none again) ...
        for record in [*records, status]:
            callbacks = [
                r for r in fake.requests_to(CALLBACK) if r.params["interaction_id"] == record.id
            ]
            assert [r.status for r in callbacks] == [200], record.id
        # ... stored once, and nothing is left waiting.
        with store.session() as s:
            mine = {str(r.id) for r in [*records, status]} | {str(typed["id"]), str(said["id"])}
            stored = [d.delivery_id for d in s.exec(select(ProcessedDelivery)).all()]
        assert sorted(d for d in stored if d in mine) == sorted(mine)
        assert store.inbox.counts("discord").get("inbox.received", 0) == 0
        assert not rejected(fake)
        for log in sorted(tmp_path.glob("bot-*.log")):
            assert "Traceback" not in log.read_text(errors="replace"), log.name
