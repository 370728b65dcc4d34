"""The one way out to Slack: per-channel order and pace, 429s honoured, transient errors retried.

Every Web API call the adapter makes goes through a :class:`SlackSender`:

* :meth:`SlackSender.submit` queues a call for a channel. Each channel has its
  own FIFO and one worker, so messages of a channel arrive in the order they
  were queued, and two ``chat.postMessage`` calls to one channel are at least
  ``interval`` seconds apart (Slack allows about one message per second per
  channel). The interval is measured from the *response* of the previous call,
  so requests never arrive closer together than ``interval`` even when the
  network is slow. Different channels run in parallel (bounded by
  ``max_concurrency``).
* :meth:`SlackSender.call` runs a call that belongs to no channel (``views.open``,
  ``users.info``, ``conversations.open``, a ``response_url`` post) with the same
  retry rules but no queue.

Retry rules: HTTP 429 (or ``error: ratelimited``) waits ``Retry-After`` seconds
and pauses that channel's queue for that long; HTTP 5xx, Slack's transient
error codes, connection errors and timeouts are retried with exponential
backoff (capped at ``max_backoff``). These are retried for ever: a message is
never dropped because Slack was busy or down. Anything else (``invalid_blocks``,
``channel_not_found``, …) is permanent: the call's future gets the exception and
the channel goes on with its next message.

The ``AsyncWebClient`` handed to the adapter must be built with
``retry_handlers=[]`` (see :func:`make_web_client`): slack_sdk's own retry
handlers would otherwise retry connection errors (or, if someone added it,
sleep on 429s) underneath this class, so one message could be sent twice by two
layers or a 429 slept on twice. This class is the only retry layer.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

#: A Web API call, ready to run (a fresh coroutine each time it is called).
Job = Callable[[], Awaitable[Any]]

#: Slack error codes that mean "try again later", sent with HTTP 200 or 5xx.
TRANSIENT_ERRORS = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"}
)

DEFAULT_API_URL = "https://slack.com/api/"


def make_web_client(
    token: str, base_url: str | None = None, *, timeout: int = 30
) -> AsyncWebClient:
    """An ``AsyncWebClient`` without slack_sdk's retry handlers (the sender retries instead).

    Args:
        token: The bot token (``xoxb-…``).
        base_url: Web API base (``CITYNEEDS_SLACK_API_URL``); Slack's by default.
        timeout: Seconds per HTTP request.
    """
    url = base_url or DEFAULT_API_URL
    if not url.endswith("/"):
        url += "/"
    return AsyncWebClient(token=token, base_url=url, timeout=timeout, retry_handlers=[])


class TransientError(Exception):
    """Raised by a job to ask for a retry (for calls that do not raise ``SlackApiError``).

    Args:
        message: What went wrong.
        retry_after: Seconds to wait first, if the server said so.
    """

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class SenderStats:
    """What the sender did, for logs, tests and benchmarks."""

    sent: int = 0
    rate_limited: int = 0
    transient_retries: int = 0
    failed: int = 0
    waited_seconds: float = 0.0


@dataclass
class _Item:
    job: Job
    future: asyncio.Future[Any]
    paced: bool
    label: str


@dataclass
class _Channel:
    queue: deque[_Item] = field(default_factory=deque)
    worker: asyncio.Task[None] | None = None
    not_before: float = 0.0


class SlackSender:
    """Queues, paces and retries Web API calls (see the module docstring).

    Args:
        interval: Minimum seconds between paced calls in one channel (Slack: about 1).
        base_backoff: First wait after a transient error, doubled each retry.
        max_backoff: Longest wait between retries of a transient error.
        default_retry_after: Wait after a 429 that carries no ``Retry-After``.
        max_concurrency: Calls in flight at once over all channels.
        sleep: ``asyncio.sleep`` (tests may pass a faster one).
        clock: Monotonic time source.
    """

    def __init__(
        self,
        *,
        interval: float = 1.0,
        base_backoff: float = 0.5,
        max_backoff: float = 30.0,
        default_retry_after: float = 1.0,
        max_concurrency: int = 50,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = interval
        self.base_backoff = base_backoff
        self.max_backoff = max_backoff
        self.default_retry_after = default_retry_after
        self.stats = SenderStats()
        self._sleep = sleep
        self._clock = clock
        self._channels: dict[str, _Channel] = {}
        self._slots = asyncio.Semaphore(max_concurrency)
        self._pending = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._closed = False

    # ------------------------------------------------------------------ API
    def submit(
        self, channel: str, job: Job, *, paced: bool = True, label: str = ""
    ) -> asyncio.Future[Any]:
        """Queue ``job`` behind everything already queued for ``channel``.

        Args:
            channel: The Slack channel (or any key that must keep its order).
            job: The call; invoked again for every retry.
            paced: Whether the call counts against the per-channel interval
                (``chat.postMessage`` and uploads do; ``chat.update`` does not).
            label: A short description for logs.

        Returns:
            A future with the call's result, or its permanent error.

        Raises:
            RuntimeError: The sender is closed.
        """
        if self._closed:
            raise RuntimeError("the Slack sender is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        state = self._channels.setdefault(channel, _Channel())
        state.queue.append(_Item(job, future, paced, label))
        self._pending += 1
        self._idle.clear()
        if state.worker is None or state.worker.done():
            state.worker = loop.create_task(self._work(channel, state), name=f"slack-{channel}")
        return future

    async def send(self, channel: str, job: Job, *, paced: bool = True, label: str = "") -> Any:
        """Queue ``job`` for ``channel`` and wait for its result (see :meth:`submit`)."""
        return await self.submit(channel, job, paced=paced, label=label)

    async def call(self, job: Job, *, label: str = "") -> Any:
        """Run a call that belongs to no channel, with the same retry rules."""
        self._pending += 1
        self._idle.clear()
        try:
            return await self._attempt(job, None, label)
        finally:
            self._done_one()

    async def drain(self, timeout: float | None = None) -> None:
        """Wait until every queued and running call has finished.

        Raises:
            TimeoutError: Calls were still pending after ``timeout`` seconds.
        """
        await asyncio.wait_for(self._idle.wait(), timeout)

    @property
    def pending(self) -> int:
        """Calls queued or running."""
        return self._pending

    async def close(self, timeout: float | None = 30.0) -> None:
        """Drain (up to ``timeout`` seconds), then stop the workers.

        Calls still queued after the timeout are cancelled and logged.
        """
        try:
            await self.drain(timeout)
        except TimeoutError:
            log.warning("closing the Slack sender with %d calls still pending", self._pending)
        self._closed = True
        for state in self._channels.values():
            if state.worker is not None and not state.worker.done():
                state.worker.cancel()
            for item in state.queue:
                item.future.cancel()

    # ------------------------------------------------------------- internals
    def _done_one(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self._idle.set()

    async def _work(self, channel: str, state: _Channel) -> None:
        while state.queue:
            item = state.queue[0]
            try:
                if item.paced:
                    wait = state.not_before - self._clock()
                    if wait > 0:
                        await self._sleep(wait)
                result = await self._attempt(item.job, state, item.label or channel)
                if item.paced:
                    state.not_before = max(state.not_before, self._clock() + self.interval)
                if not item.future.done():
                    item.future.set_result(result)
            except asyncio.CancelledError:
                item.future.cancel()
                raise
            except Exception as exc:
                if not item.future.done():
                    item.future.set_exception(exc)
            finally:
                state.queue.popleft()
                self._done_one()
        state.worker = None

    async def _attempt(self, job: Job, state: _Channel | None, label: str) -> Any:
        attempt = 0
        while True:
            try:
                async with self._slots:
                    result = await job()
                self.stats.sent += 1
                return result
            except Exception as exc:
                verdict = self._classify(exc)
                if verdict is None:
                    self.stats.failed += 1
                    log.error("Slack call %s failed for good: %s", label, exc)
                    raise
                kind, retry_after = verdict
                if kind == "ratelimited":
                    self.stats.rate_limited += 1
                    delay = retry_after if retry_after is not None else self.default_retry_after
                    log.info("Slack rate limit on %s: waiting %.2fs", label, delay)
                    if state is not None:
                        state.not_before = max(state.not_before, self._clock() + delay)
                else:
                    self.stats.transient_retries += 1
                    delay = min(self.max_backoff, self.base_backoff * 2**attempt)
                    delay *= 0.75 + random.random() / 4  # jitter, so retries do not march in step
                    if retry_after is not None:
                        delay = max(delay, retry_after)
                    log.warning(
                        "transient Slack error on %s (%s); retry %d in %.2fs",
                        label,
                        exc,
                        attempt + 1,
                        delay,
                    )
                    attempt += 1
                self.stats.waited_seconds += delay
                await self._sleep(delay)

    def _classify(self, exc: Exception) -> tuple[str, float | None] | None:
        """``("ratelimited"|"transient", retry_after)``, or ``None`` for a permanent error."""
        if isinstance(exc, TransientError):
            return ("transient", exc.retry_after)
        if isinstance(exc, SlackApiError):
            response = exc.response
            status = int(getattr(response, "status_code", 0) or 0)
            headers = getattr(response, "headers", None) or {}
            data = getattr(response, "data", None)
            error = data.get("error") if isinstance(data, dict) else None
            retry_after = retry_after_seconds(headers)
            if status == 429 or error == "ratelimited":
                return ("ratelimited", retry_after)
            if status >= 500 or error in TRANSIENT_ERRORS:
                return ("transient", retry_after)
            return None
        if isinstance(exc, SlackRequestError):
            # files_upload_v2 raises this when the upload URL answers non-200.
            match = re.search(r"status: (\d+)", str(exc))
            if match and (int(match.group(1)) >= 500 or int(match.group(1)) == 429):
                return ("transient", None)
            return None
        if isinstance(exc, aiohttp.ClientError | TimeoutError | ConnectionError):
            return ("transient", None)
        return None


def retry_after_seconds(headers: Mapping[str, Any]) -> float | None:
    """The ``Retry-After`` header in seconds, if present and numeric."""
    raw: Any = None
    for key in ("Retry-After", "retry-after"):
        raw = headers.get(key)
        if raw is not None:
            break
    if isinstance(raw, list | tuple):
        raw = raw[0] if raw else None
    try:
        return max(0.0, float(raw)) if raw is not None else None
    except (TypeError, ValueError):
        return None
