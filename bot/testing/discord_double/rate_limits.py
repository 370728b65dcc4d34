"""The fake's rate-limit behaviour (see :mod:`bot.testing.discord_double.buckets`)."""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Mapping

from aiohttp import web

from bot.testing.discord_double.buckets import OTHER_ROUTES, Bucket, Forced
from bot.testing.discord_double.records import json_response
from bot.testing.discord_double.world import DiscordWorld


class RateLimits(DiscordWorld):
    """Buckets, the global limit, forced 429s and refusals."""

    def fail_next(
        self, route: str, count: int = 1, *, retry_after: float = 0.3, is_global: bool = False
    ) -> None:
        """Answer the next ``count`` requests to ``route`` with 429 and ``retry_after``."""
        self._forced.append(Forced(route, count, None, retry_after, is_global))

    def fail_for(self, route: str, seconds: float, *, retry_after: float | None = None) -> None:
        """Answer every request to ``route`` with 429 for ``seconds`` from now."""
        until = time.monotonic() + seconds
        self._forced.append(Forced(route, None, until, retry_after, False))

    def refuse_next(
        self,
        route: str,
        count: int = 1,
        *,
        after: int = 0,
        status: int = 403,
        code: int = 50013,
        message: str = "Missing Permissions",
    ) -> None:
        """Refuse ``count`` requests to ``route`` (after letting ``after`` through) with an error.

        Not a rate limit: discord.py raises (``Forbidden`` for 403) instead of retrying.
        """
        self._refusals.append([route, after, count, status, code, message])

    def _refused(self, route: str) -> tuple[int, int, str] | None:
        for rule in self._refusals:
            if rule[0] != route:
                continue
            if rule[1] > 0:
                rule[1] -= 1
                return None
            if rule[2] > 0:
                rule[2] -= 1
                return rule[3], rule[4], rule[5]
        return None

    def _forced_429(self, route: str, now: float) -> Forced | None:
        for rule in self._forced:
            if rule.route != route:
                continue
            if rule.remaining is not None and rule.remaining > 0:
                rule.remaining -= 1
                return rule
            if rule.until is not None and now < rule.until:
                return rule
        return None

    def _bucket(self, route: str, params: Mapping[str, str]) -> Bucket:
        major = "+".join(
            params[k]
            for k in ("channel_id", "guild_id", "application_id", "interaction_id", "token")
            if k in params
        )
        key = (route, major)
        bucket = self._buckets.get(key)
        if bucket is None:
            rule = self.limits.get(route, OTHER_ROUTES)
            name = hashlib.sha1(route.encode()).hexdigest()[:32]
            bucket = self._buckets[key] = Bucket(rule, name=name)
        return bucket

    @staticmethod
    def _limit_headers(bucket: Bucket, now: float) -> dict[str, str]:
        reset_after = max(0.0, bucket.reset_at - now)
        return {
            "X-RateLimit-Limit": str(bucket.rule.limit),
            "X-RateLimit-Remaining": str(max(0, bucket.rule.limit - bucket.count)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket.name,
        }

    def _too_many(
        self, retry_after: float, headers: dict[str, str], *, is_global: bool, scope: str
    ) -> web.Response:
        body = {
            "message": "You are being rate limited.",
            "retry_after": round(retry_after, 3),
            "global": is_global,
            "code": 0,
        }
        headers = {
            **headers,
            "Retry-After": str(max(1, math.ceil(retry_after))),
            "X-RateLimit-Scope": scope,
            "Via": "1.1 google",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        return json_response(body, status=429, headers=headers)
