"""The loopback Discord double, one concern per module.

Import it from :mod:`bot.testing.discord_api`; the parts:


* :mod:`~bot.testing.discord_double.world`: users, guilds, channels, messages, queries.
* :mod:`~bot.testing.discord_double.records`: recorded requests, sent messages, interactions.
* :mod:`~bot.testing.discord_double.validators`: Discord's size limits and form checks.
* :mod:`~bot.testing.discord_double.buckets` and :mod:`~bot.testing.discord_double.rate_limits`:
  per-route buckets, the global limit, forced 429s and refusals.
* :mod:`~bot.testing.discord_double.server`: REST plumbing (auth, recording, limits).
* :mod:`~bot.testing.discord_double.routes_app`, ``routes_messages``, ``routes_interactions``:
  the REST routes.
* :mod:`~bot.testing.discord_double.gateway`: the gateway websocket.
* :mod:`~bot.testing.discord_double.driver`: what users do (messages, slash, clicks, modals).
* :mod:`~bot.testing.discord_double.fake`: :class:`FakeDiscord`, all of it on one server.
"""
