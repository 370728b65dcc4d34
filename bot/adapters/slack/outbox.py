"""Posting prepared messages through the rate-limited sender."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.blocks import text_messages
from bot.adapters.slack.digest_blocks import SlackMessage
from bot.adapters.slack.sender import SlackSender, TransientError, retry_after_seconds

log = logging.getLogger(__name__)


class Outbox:
    """Sends :class:`SlackMessage` objects to channels, threads and response URLs.

    Args:
        client: The Web API client (built with :func:`~bot.adapters.slack.sender.make_web_client`).
        sender: The rate-limited sender every call goes through.
    """

    def __init__(self, client: AsyncWebClient, sender: SlackSender) -> None:
        self.client = client
        self.sender = sender

    def post(
        self,
        channel: str,
        message: SlackMessage,
        *,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> asyncio.Future[Any]:
        """Queue one ``chat.postMessage`` (markup off: the text is shown as escaped).

        ``metadata`` (Slack message metadata) lets a later start find the message again.
        """

        async def job() -> Any:
            return await self.client.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=message.blocks,
                thread_ts=thread_ts,
                mrkdwn=False,
                unfurl_links=False,
                unfurl_media=False,
                metadata=metadata,
            )

        return self.sender.submit(channel, job, label=f"chat.postMessage {channel}")

    def post_all(
        self, channel: str, messages: list[SlackMessage], *, thread_ts: str | None = None
    ) -> list[asyncio.Future[Any]]:
        """Queue several messages for one channel, in order."""
        return [self.post(channel, m, thread_ts=thread_ts) for m in messages]

    def post_text(
        self, channel: str, text: str, *, thread_ts: str | None = None
    ) -> list[asyncio.Future[Any]]:
        """Queue any text (escaped, in plain sections, split within Slack's limits)."""
        return self.post_all(channel, text_messages(text), thread_ts=thread_ts)

    def update(
        self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]]
    ) -> asyncio.Future[Any]:
        """Queue a ``chat.update`` in the channel's order (not paced: it posts nothing new)."""

        async def job() -> Any:
            return await self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)

        return self.sender.submit(channel, job, paced=False, label=f"chat.update {channel}")

    async def respond(self, response_url: str, text: str) -> None:
        """Answer a slash command or interaction privately (ephemeral) at its ``response_url``."""
        for message in text_messages(text):
            await self.sender.call(_webhook_job(response_url, message), label="response_url")


def _webhook_job(url: str, message: SlackMessage) -> Any:
    async def job() -> Any:
        response = await AsyncWebhookClient(url).send(
            text=message.text,
            blocks=message.blocks,
            response_type="ephemeral",
            replace_original=False,
        )
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientError(
                f"response_url answered {response.status_code}",
                retry_after_seconds(response.headers or {}),
            )
        if response.status_code != 200:
            log.error("response_url answered %s: %s", response.status_code, response.body)
        return response

    return job


async def settle(futures: list[asyncio.Future[Any]], what: str) -> list[Any]:
    """Wait for queued calls; log (and return ``None`` for) those that failed for good."""
    results: list[Any] = []
    for outcome in await asyncio.gather(*futures, return_exceptions=True):
        if isinstance(outcome, BaseException):
            log.error("%s: a Slack call failed: %s", what, outcome)
            results.append(None)
        else:
            results.append(outcome)
    return results
