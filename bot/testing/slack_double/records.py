"""What the Slack double records (calls, messages) and the faults it injects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ApiCall:
    """One request the double received."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)
    channel: str | None = None

    @property
    def ok(self) -> bool:
        """Whether Slack would have accepted it."""
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass
class Message:
    """A message the double accepted (``chat.postMessage``), as currently shown."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None
    at: float
    user: str
    mrkdwn: bool = True
    updates: int = 0
    #: ``chat.postMessage`` ``metadata``: ``event_type`` and ``event_payload``.
    metadata: dict[str, Any] | None = None


@dataclass
class Fault:
    """An injected fault: a status (429, 5xx or 200 with an error) for a window or K calls."""

    method: str
    status: int
    retry_after: float | None
    until: float | None
    remaining: int | None
    channel: str | None
    error: str = "internal_error"

    def matches(self, method: str, channel: str | None, now: float) -> bool:
        """Whether this fault applies to a call of ``method`` in ``channel`` at ``now``."""
        if self.method not in (method, "*"):
            return False
        if self.channel is not None and self.channel != channel:
            return False
        if self.until is not None and now >= self.until:
            return False
        return self.remaining is None or self.remaining > 0


class Invalid(Exception):
    """A Web API method refuses its arguments: ``{"ok": false, "error": …}``."""

    def __init__(self, error: str, detail: str = "") -> None:
        super().__init__(detail or error)
        self.error = error
        self.detail = detail


class RateLimited(Exception):
    """A Web API method answers 429 with ``Retry-After``."""

    def __init__(self, retry_after: float) -> None:
        super().__init__("ratelimited")
        self.retry_after = retry_after
