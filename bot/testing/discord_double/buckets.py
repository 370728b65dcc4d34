"""Rate limits as Discord applies them, and forced 429s and refusals on demand.

Per-route buckets are keyed by the route and its major parameter (channel, guild,
webhook/interaction); each answer carries ``X-RateLimit-*`` headers; a global limit
per second applies to bot-token routes. :meth:`RateLimits.fail_next`,
:meth:`RateLimits.fail_for` and :meth:`RateLimits.refuse_next` let a test force a
429 or an error on a route.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BucketRule:
    """A per-route limit: ``limit`` requests per ``window`` seconds."""

    limit: int
    window: float


#: Default per-route limits (roughly Discord's published/observed values).
DEFAULT_LIMITS: dict[str, BucketRule] = {
    "POST /channels/{channel_id}/messages": BucketRule(5, 5.0),
    "POST /channels/{channel_id}/threads": BucketRule(10, 10.0),
    "POST /users/@me/channels": BucketRule(10, 10.0),
    "POST /webhooks/{application_id}/{token}": BucketRule(5, 2.0),
}


#: Limit for routes not listed above.
OTHER_ROUTES = BucketRule(50, 1.0)


#: Routes outside the global limit (authenticated by token in the path, as on Discord).
GLOBAL_EXEMPT = ("/interactions/", "/webhooks/")


@dataclass
class Bucket:
    """The state of one bucket: requests in this window and when it resets."""

    rule: BucketRule
    count: int = 0
    reset_at: float = 0.0
    name: str = ""


@dataclass
class Forced:
    """A forced 429 on a route: for the next ``remaining`` requests or ``until`` a time."""

    route: str
    remaining: int | None
    until: float | None
    retry_after: float | None
    is_global: bool
