"""A loopback Discord: the REST API and the gateway websocket, for the unmodified discord.py client.

:class:`FakeDiscord` is an aiohttp server on ``127.0.0.1`` (port 0 by default) that
speaks enough of Discord for a bot to log in, connect, receive dispatches and
answer them:

* REST under ``/api/v10``: the bot user, the application, application-command
  sync, channels, messages (JSON and multipart with attachments), threads,
  thread members, DM channels, interaction callbacks, webhook follow-ups and the
  original response. Every request is recorded (method, path, route template,
  JSON or multipart body, status) for assertions. Answers use the raw shapes of
  ``discord/types`` (see :mod:`bot.testing.discord_payloads`).
* Rate limits as Discord applies them: per-route buckets keyed by the route and
  its major parameter (channel, guild, webhook/interaction), each answer carrying
  ``X-RateLimit-Limit/-Remaining/-Reset/-Reset-After/-Bucket``; a global limit per
  second; and forced 429s on demand (:meth:`FakeDiscord.fail_next`,
  :meth:`FakeDiscord.fail_for`) with Discord's body
  ``{"message": "You are being rate limited.", "retry_after": N, "global": false}``
  and ``Retry-After``. A request past an exhausted bucket gets a real 429 and is
  counted in :attr:`FakeDiscord.violations`.
* Limits checked like Discord (400, code 50035 "Invalid Form Body"): content at
  most 2,000 characters, at most 10 embeds and 6,000 embed characters per
  message (256 per title, 4,096 per description, 2,048 per footer), component
  rows, buttons, selects and modals within their sizes.
* Interactions must be answered within :attr:`FakeDiscord.interaction_deadline`
  seconds (3 by default; later callbacks get 404 "Unknown interaction", code
  10062), once (a second callback gets 400, code 40060); follow-ups need an
  acknowledged interaction.
* The gateway: HELLO (op 10) → IDENTIFY (op 2) → READY (``session_id``,
  ``resume_gateway_url`` pointing back here, guilds unavailable) → GUILD_CREATE per
  guild; heartbeats (op 1 → op 11); RESUME (op 6) replays the dispatches after
  the client's sequence number, then RESUMED; unknown sessions get op 9.
  :meth:`FakeDiscord.drop` closes the socket (code 4000, 1006-style abort),
  sends op 7 RECONNECT or invalidates the session. Without the message content
  intent, guild messages reach the bot without content unless they mention it
  (as on Discord).

The fake is split by concern in :mod:`bot.testing.discord_double` (``world`` state,
``routes_*`` REST routes, ``buckets``/``rate_limits``, ``gateway``, ``validators``,
``driver``); this module is the import path tests and benchmarks use.

Use it in a test::

    fake = FakeDiscord()
    await fake.start()
    guild = fake.add_guild("City")
    channel = fake.add_text_channel(guild, "workshop")
    alice = fake.add_user("alice")["id"]
    fake.add_member(guild, alice)
    # point discord.py at fake.api_url / fake.gateway_url, log in, then:
    await fake.user_message(alice, channel, "hello")
    await fake.wait_for(lambda: fake.sent_to(channel), what="a reply")

(:class:`bot.testing.discord_harness.DiscordHarness` does the wiring for the CityNeeds bot.)

Tests drive it with :meth:`FakeDiscord.user_message`, :meth:`FakeDiscord.slash`,
:meth:`FakeDiscord.click`, :meth:`FakeDiscord.choose` and
:meth:`FakeDiscord.submit_modal`, and wait on conditions with
:meth:`FakeDiscord.wait_for`.
"""

from bot.testing.discord_double.buckets import DEFAULT_LIMITS, OTHER_ROUTES, BucketRule
from bot.testing.discord_double.fake import FakeDiscord
from bot.testing.discord_double.records import (
    FakeDiscordError,
    InteractionRecord,
    RecordedRequest,
    SentMessage,
    UploadedFile,
)
from bot.testing.discord_double.validators import embed_chars, validate_message, validate_modal
from bot.testing.discord_double.world import API_PREFIX

__all__ = [
    "API_PREFIX",
    "DEFAULT_LIMITS",
    "OTHER_ROUTES",
    "BucketRule",
    "FakeDiscord",
    "FakeDiscordError",
    "InteractionRecord",
    "RecordedRequest",
    "SentMessage",
    "UploadedFile",
    "embed_chars",
    "validate_message",
    "validate_modal",
]
