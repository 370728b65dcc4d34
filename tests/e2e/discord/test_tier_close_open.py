"""On Discord: macro closes under Carol (in her opted-in DMs) and Alice (in her thread).

Both finish the need in hand and wait. When macro opens, Carol gets one direct
message through the Discord poster; Alice, who never opted in to direct messages,
gets none (the bot never DMs someone who did not ask); both go on where they were.
"""

from __future__ import annotations

from bot.adapters.discord.poster import DiscordPoster
from bot.runtime import Runtime
from bot.testing.discord_harness import DiscordHarness
from tests.citizen import LINES
from tests.e2e.discord.helpers import assert_no_mentions, rejected

UP_TO_FIRST_CONFIRM = LINES[:7]
CLOSED = "closed the part “Macro (city domains)”"


async def test_macro_closes_under_two_citizens_and_only_the_opted_in_one_gets_a_dm(
    discord: DiscordHarness, runtime: Runtime, poster: DiscordPoster
) -> None:
    h, fake = discord, discord.fake
    await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("alice")
    await h.slash("carol", h.world.workshop_channel, "cityneeds", "dm", {"state": "on"})
    carol_dm = fake.dm_channel_of(h.user("carol"))
    assert carol_dm is not None
    for line in UP_TO_FIRST_CONFIRM:
        await h.say("alice", thread, line)
        await h.say("carol", carol_dm, line)

    record, _ = await h.slash(
        "fac", h.world.workshop_channel, "cityneeds-admin", "close", {"tier": "macro"}
    )
    assert "Open tiers in city: Meso (stakeholders), Micro (requirements)." in (
        "\n".join(m.content for m in record.followups)
    )
    for name, channel in (("alice", thread), ("carol", carol_dm)):
        handled = await h.say(name, channel, "yes")
        shown = "\n".join(m.content for m in h.messages_of(handled))
        assert CLOSED in shown and "how important is it to you" not in shown
        assert handled.step is None

    record, _ = await h.slash(
        "fac", h.world.workshop_channel, "cityneeds-admin", "open", {"tier": "macro"}
    )
    assert "Waiting for it: 2\\. Each" in "\n".join(m.content for m in record.followups)
    in_thread = len(fake.sent_to(thread))
    in_dm = len(fake.sent_to(carol_dm))
    notices = runtime.scheduler.notices  # through the Discord poster
    assert notices.reminders.poster is poster
    assert await notices.send_due() == 1
    assert await notices.send_due() == 0
    [notice] = fake.sent_to(carol_dm)[in_dm:]
    assert notice.content.startswith("News from “city”: the part “Macro (city domains)” is open")
    assert len(fake.sent_to(thread)) == in_thread

    for name, channel in (("alice", thread), ("carol", carol_dm)):
        handled = await h.say(name, channel, "hi")
        assert handled.step == "importance", name
    assert not rejected(fake)
    assert_no_mentions(fake)
