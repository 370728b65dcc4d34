"""Fan-out: messages to 500 channels against the Slack and Discord doubles enforcing real limits.

Run: ``python -m bench.fanout [--channels 500]``. Each double runs in its own process
(so it does not share a core's time with the bot) and enforces the documented limits:
Slack ``chat.postMessage`` about 1 per second per channel; Discord 5 messages per 5 s
per channel and 50 requests per second globally. Two workloads per platform:

* burst: every channel gets several messages at once, through the adapter's sender
  (Slack: the per-channel paced sender; Discord: the poster, discord.py's HTTP
  client and the global pacer). Achieved rate is measured by the double, from the
  arrival times of the messages it accepted: per channel for Slack (allowed 1/s),
  across all channels for Discord (allowed 50/s);
* reminders: one reminder to each of the channels through the scheduler's
  ``ReminderService`` (claims in the database, SQLite and, when reachable,
  PostgreSQL), so the whole path from the tables to the platform is exercised.

Reported: achieved/allowed (target ≥ 0.9), 429s beyond the first per bucket
(target 0), messages lost, duplicated or out of order (must be 0).
Writes ``bench/results/fanout.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import multiprocessing as mp
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.common import postgres_reachable, postgres_schema, print_table, write_json

SLACK_TOKEN = "xoxb-bench"
DISCORD_TOKEN = "bench-discord-token"
TARGET_RATIO = 0.9


# ----------------------------------------------------------------- doubles
async def _serve(conn: Any, stats: Callable[[], dict[str, Any]], reset: Callable[[], None]) -> None:
    """Answer the parent's ``stats`` (what the double saw, then forget it) until ``stop``."""
    loop = asyncio.get_running_loop()
    while (command := await loop.run_in_executor(None, conn.recv)) != "stop":
        if command == "stats":
            conn.send(stats())
            reset()


def _slack_child(conn: Any, interval: float) -> None:
    from bot.testing.slack_api import SlackApiDouble

    async def main() -> None:
        api = SlackApiDouble(token=SLACK_TOKEN, post_interval=interval)
        await api.start()
        conn.send({"url": api.api_url})

        def reset() -> None:
            api.calls.clear()
            api.messages.clear()
            api._by_channel.clear()

        await _serve(conn, lambda: _slack_stats(api), reset)
        await api.close()

    asyncio.run(main())


def _slack_stats(api: Any) -> dict[str, Any]:
    arrivals: dict[str, list[tuple[float, str]]] = defaultdict(list)
    throttled: Counter[str] = Counter()
    for call in api.calls:
        if call.method != "chat.postMessage":
            continue
        channel = str(call.params.get("channel"))
        if call.status == 429:
            throttled[channel] += 1
        elif call.ok:
            arrivals[channel].append((call.at, str(call.params.get("text", ""))))
    return {"arrivals": dict(arrivals), "throttled": dict(throttled)}


def _discord_child(conn: Any, channels: int) -> None:
    from bot.testing.discord_api import FakeDiscord

    async def main() -> None:
        fake = FakeDiscord(token=DISCORD_TOKEN)
        await fake.start()
        guild = fake.add_guild("bench")
        ids = [fake.add_text_channel(guild, f"c{n}") for n in range(channels)]
        conn.send({"url": fake.api_url, "channels": ids})

        def reset() -> None:
            fake.requests.clear()
            fake.sent.clear()

        await _serve(conn, lambda: _discord_stats(fake), reset)
        await fake.close()

    asyncio.run(main())


def _discord_stats(fake: Any) -> dict[str, Any]:
    arrivals: dict[str, list[tuple[float, str]]] = defaultdict(list)
    throttled: Counter[str] = Counter()
    for record in fake.requests:
        if record.route != "POST /channels/{channel_id}/messages":
            continue
        channel = record.params.get("channel_id", "")
        if record.status == 429:
            body = record.response if isinstance(record.response, dict) else {}
            throttled["global" if body.get("global") else channel] += 1
        elif record.status == 200:
            arrivals[channel].append((record.at, str((record.json or {}).get("content", ""))))
    return {"arrivals": dict(arrivals), "throttled": dict(throttled)}


class Double:
    """A double in a child process; ``stats()`` returns and resets what it saw."""

    def __init__(self, target: Callable[..., None], *args: Any) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=target, args=(child, *args), daemon=True)
        self.process.start()
        self.info: dict[str, Any] = self.conn.recv()

    def stats(self) -> dict[str, Any]:
        self.conn.send("stats")
        result: dict[str, Any] = self.conn.recv()
        return result

    def stop(self) -> None:
        self.conn.send("stop")
        self.process.join(10)


# ----------------------------------------------------------------- scoring
def score(
    stats: dict[str, Any],
    expected: dict[str, list[str]],
    *,
    per_channel: bool,
    allowed: float | None,
) -> dict[str, Any]:
    """Rates, extra 429s and lost/duplicated/reordered messages from what the double saw."""
    arrivals = stats["arrivals"]
    lost = duplicated = reordered = 0
    for channel, texts in expected.items():
        got = [text for _, text in sorted(arrivals.get(channel, []))]
        lost += sum((Counter(texts) - Counter(got)).values())
        duplicated += sum((Counter(got) - Counter(texts)).values())
        reordered += int([t for t in got if t in texts] != [t for t in texts if t in got])
    times = sorted(t for channel in arrivals.values() for t, _ in channel)
    if per_channel:
        rates = []
        for channel in arrivals.values():
            stamps = sorted(t for t, _ in channel)
            if len(stamps) > 1:
                rates.append((len(stamps) - 1) / (stamps[-1] - stamps[0]))
        achieved = sum(rates) / len(rates) if rates else float("nan")
    else:
        achieved = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else float("nan")
    extra_429 = sum(max(0, n - 1) for n in stats["throttled"].values())
    return {
        "messages": sum(len(v) for v in expected.values()),
        "received": len(times),
        "seconds": times[-1] - times[0] if times else 0.0,
        "achieved_per_s": achieved,
        "allowed_per_s": allowed,
        "ratio": achieved / allowed if allowed else None,
        "429s": sum(stats["throttled"].values()),
        "extra_429s": extra_429,
        "lost": lost,
        "duplicated": duplicated,
        "reordered_channels": reordered,
    }


# ------------------------------------------------------------------- burst
async def _slack_burst(
    url: str, channels: int, messages: int, interval: float
) -> dict[str, list[str]]:
    from bot.adapters.slack.outbox import Outbox, settle
    from bot.adapters.slack.sender import SlackSender, make_web_client

    sender = SlackSender(interval=interval)
    outbox = Outbox(make_web_client(SLACK_TOKEN, url), sender)
    expected: dict[str, list[str]] = {}
    futures = []
    for c in range(channels):
        channel = f"C{c:05d}"
        expected[channel] = [f"message {k} to {channel}" for k in range(messages)]
        for text in expected[channel]:
            futures.extend(outbox.post_text(channel, text))
    await settle(futures, "bench")
    await sender.drain()
    return expected


async def _discord_burst(url: str, ids: list[str], messages: int) -> dict[str, list[str]]:
    import discord

    from bot.adapters.discord.endpoints import discord_endpoints
    from bot.adapters.discord.poster import DiscordPoster
    from bot.scheduler.keys import reminder_key
    from flows.catalog import load_catalogs
    from storage.schedules import ReminderTarget

    expected: dict[str, list[str]] = {
        cid: [f"message {k} to {cid}" for k in range(messages)] for cid in ids
    }
    with discord_endpoints(url, None):
        client = discord.Client(intents=discord.Intents.none())
        await client.login(DISCORD_TOKEN)
        try:
            poster = DiscordPoster(None, load_catalogs(), client)  # type: ignore[arg-type]
            workshop = _workshop()

            async def channel_messages(cid: str) -> None:
                target = ReminderTarget(0, cid, "discord", "en")
                for n, text in enumerate(expected[cid]):
                    await poster.send_reminder(workshop, target, text, reminder_key(n, cid))

            await asyncio.gather(*(channel_messages(cid) for cid in ids))
        finally:
            await client.close()
    return expected


def _workshop() -> Any:
    from storage.workshops import WorkshopInfo

    return WorkshopInfo(1, "bench", "Bench", "UTC", ("en",), frozenset(), "post", {})


# --------------------------------------------------------------- reminders
async def _reminders(
    db_url: str, platform: str, addresses: list[str], make_poster: Callable[[], Any]
) -> tuple[dict[str, list[str]], float]:
    from bot.app.events import InboundEvent
    from bot.config import Settings
    from bot.runtime import ensure_workshop, open_runtime
    from bot.scheduler.poster import ConsolePoster
    from bot.scheduler.reminders import ReminderService
    from flows.text import Literal, Msg
    from storage.schedules import ScheduleRow

    rt = open_runtime(
        Settings(database_url=db_url, secret="bench"), poster=ConsolePoster(io.StringIO())
    )
    try:
        ws = ensure_workshop(rt.store, "fanout")
        for n, address in enumerate(addresses):
            user = f"p{n}"
            await rt.router.start(InboundEvent(platform, user, "", "fanout", address=address))
            await rt.router.handle(InboundEvent(platform, user, "yes", "fanout", address=address))
        poster = make_poster()
        # A day later: everybody has been quiet long enough to get a reminder.
        now = datetime.now(UTC) + timedelta(days=1)
        service = ReminderService(rt.store, rt.router.core.catalogs, poster, clock=lambda: now)
        schedule = ScheduleRow(
            ws.id, ws.slug, "UTC", "reminder", now.hour, now.minute, "*", True, None, {}
        )
        started = time.perf_counter()
        sent = await service.send_due(schedule, now.date().isoformat())
        elapsed = time.perf_counter() - started
        assert sent == len(addresses), (sent, len(addresses))
        text = rt.router.core.catalogs.render(
            Msg("reminder.text", {"workshop": Literal(ws.title)}), "en"
        )
    finally:
        rt.close()
    return {a: [text] for a in addresses}, elapsed


async def _slack_reminders(db_url: str, url: str, channels: int, interval: float) -> Any:
    from bot.adapters.slack.outbox import Outbox
    from bot.adapters.slack.poster import SlackPoster
    from bot.adapters.slack.sender import SlackSender, make_web_client
    from flows.catalog import load_catalogs

    sender = SlackSender(interval=interval)
    outbox = Outbox(make_web_client(SLACK_TOKEN, url), sender)
    addresses = [f"D{c:05d}" for c in range(channels)]
    expected, elapsed = await _reminders(
        db_url,
        "slack",
        addresses,
        lambda: SlackPoster(outbox, None, load_catalogs()),  # type: ignore[arg-type]
    )
    await sender.drain()
    return expected, elapsed


async def _discord_reminders(db_url: str, url: str, ids: list[str]) -> Any:
    import discord

    from bot.adapters.discord.endpoints import discord_endpoints
    from bot.adapters.discord.poster import DiscordPoster
    from flows.catalog import load_catalogs

    with discord_endpoints(url, None):
        client = discord.Client(intents=discord.Intents.none())
        await client.login(DISCORD_TOKEN)
        try:
            return await _reminders(
                db_url,
                "discord",
                ids,
                lambda: DiscordPoster(None, load_catalogs(), client),  # type: ignore[arg-type]
            )
        finally:
            await client.close()


# -------------------------------------------------------------------- main
def main() -> None:
    """Run both platforms' burst and reminder fan-outs and print one table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--channels", type=int, default=500)
    parser.add_argument("--slack-messages", type=int, default=5, help="per channel")
    parser.add_argument("--discord-messages", type=int, default=2, help="per channel")
    parser.add_argument("--slack-interval", type=float, default=1.0)
    args = parser.parse_args()
    rows: list[list[Any]] = []
    results: dict[str, Any] = {"channels": args.channels}

    def record(name: str, scored: dict[str, Any], extra: dict[str, Any] | None = None) -> None:
        results[name] = {**scored, **(extra or {})}
        rows.append(
            [
                name,
                scored["messages"],
                scored["received"],
                scored["achieved_per_s"],
                "–" if scored["allowed_per_s"] is None else scored["allowed_per_s"],
                "–" if scored["ratio"] is None else scored["ratio"],
                scored["extra_429s"],
                scored["lost"] + scored["duplicated"],
                scored["reordered_channels"],
            ]
        )

    slack = Double(_slack_child, args.slack_interval)
    try:
        expected = asyncio.run(
            _slack_burst(slack.info["url"], args.channels, args.slack_messages, args.slack_interval)
        )
        record(
            "slack burst",
            score(slack.stats(), expected, per_channel=True, allowed=1 / args.slack_interval),
        )
        for db, url in _databases():
            with url as db_url:
                expected, elapsed = asyncio.run(
                    _slack_reminders(db_url, slack.info["url"], args.channels, args.slack_interval)
                )
            # One message per channel: no Slack limit applies, so there is no ratio.
            scored = score(slack.stats(), expected, per_channel=False, allowed=None)
            record(f"slack reminders ({db})", scored, {"wall_seconds": elapsed})
    finally:
        slack.stop()

    discord_double = Double(_discord_child, args.channels)
    try:
        ids = discord_double.info["channels"]
        expected = asyncio.run(
            _discord_burst(discord_double.info["url"], ids, args.discord_messages)
        )
        record(
            "discord burst",
            score(discord_double.stats(), expected, per_channel=False, allowed=50.0),
        )
        for db, url in _databases():
            with url as db_url:
                expected, elapsed = asyncio.run(
                    _discord_reminders(db_url, discord_double.info["url"], ids)
                )
            scored = score(discord_double.stats(), expected, per_channel=False, allowed=50.0)
            record(f"discord reminders ({db})", scored, {"wall_seconds": elapsed})
    finally:
        discord_double.stop()

    print_table(
        f"Fan-out to {args.channels} channels (Slack: {args.slack_messages} messages each, "
        f"1/s/channel allowed; Discord: {args.discord_messages} each, 50/s global allowed)",
        [
            "workload",
            "sent",
            "received",
            "achieved/s",
            "allowed/s",
            "ratio",
            "extra 429s",
            "lost+dup",
            "reordered",
        ],
        rows,
    )
    print(
        f"targets: ratio ≥ {TARGET_RATIO} (bursts; reminders are sent one after another "
        "and show the end-to-end path), extra 429s 0, lost 0"
    )
    print(f"\nwrote {write_json('fanout', results)}")


class _SqliteUrl:
    def __enter__(self) -> str:
        self._dir = tempfile.TemporaryDirectory()
        return f"sqlite:///{self._dir.name}/fanout.db"

    def __exit__(self, *exc: object) -> None:
        self._dir.cleanup()


class _PostgresUrl:
    def __enter__(self) -> str:
        self._cm = postgres_schema()
        url, _ = self._cm.__enter__()
        return url

    def __exit__(self, *exc: object) -> None:
        self._cm.__exit__(None, None, None)


def _databases() -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = [("sqlite", _SqliteUrl())]
    if postgres_reachable():
        found.append(("postgresql", _PostgresUrl()))
    return found


if __name__ == "__main__":
    main()
