"""A loopback Slack Web API for tests and benchmarks: answers like Slack, records every call.

Start it on ``127.0.0.1`` port 0 and point the app's ``AsyncWebClient`` at
:attr:`SlackApiDouble.api_url` (``CITYNEEDS_SLACK_API_URL``)::

    api = SlackApiDouble(token="xoxb-test")
    await api.start()
    client = make_web_client("xoxb-test", api.api_url)

The double is split by concern in :mod:`bot.testing.slack_double` (``world`` state
and faults, ``methods`` for the Web API methods, ``validators`` for Slack's limits,
``server`` for HTTP and Socket Mode); this module is the import path to use.

What it does:

* Implements the methods the CityNeeds app calls: ``auth.test``,
  ``chat.postMessage``, ``chat.postEphemeral``, ``chat.update``,
  ``conversations.open``, ``users.info``, ``views.open``,
  ``files.getUploadURLExternal``, the upload URL it hands out (``POST``/``PUT``
  of the bytes to this same server), ``files.completeUploadExternal`` and
  ``apps.connections.open`` (with the app-level token), whose WebSocket URL is a
  small Socket Mode server: it says ``hello``, sends envelopes
  (:meth:`SlackApiDouble.socket_send`) and records the app's acks.
  Parameters are read from the query string, form, multipart or JSON body,
  as slack_sdk sends them; a missing or wrong ``Authorization: Bearer`` token
  gets ``not_authed``/``invalid_auth``; missing arguments get Slack's error
  codes (``channel_not_found``, ``no_text``, ``invalid_arguments``…).
* Enforces Slack's limits for real and per channel: at most one
  ``chat.postMessage`` per ``post_interval`` seconds per channel (else 429 with
  ``Retry-After``); ≤ 50 blocks, section text ≤ 3,000, header ≤ 150, button
  and option text ≤ 75, ≤ 25 elements per actions block, ≤ 100 select options,
  ``block_id`` unique per message and ``action_id`` per block (else
  ``invalid_blocks``); message text ≤ 40,000 (``msg_too_long``).
* Fault injection: 429 with ``Retry-After: N`` for a time window or the next K
  calls (of one method, optionally one channel), 500 for the next K calls, and
  ``ok: false`` with any error (``missing_scope``…), and a delay per method.
* ``response_url`` endpoints (:meth:`response_url`) that record what arrives.

Every call is an :class:`ApiCall` in :attr:`calls` (method, params, monotonic
time, HTTP status, response), in arrival order.
"""

from bot.testing.slack_double.records import ApiCall, Message
from bot.testing.slack_double.server import SlackApiDouble
from bot.testing.slack_double.validators import (
    ACTION_ELEMENTS,
    BUTTON_CHARS,
    BUTTON_VALUE_CHARS,
    CONTEXT_ELEMENTS,
    HEADER_CHARS,
    ID_CHARS,
    MAX_BLOCKS,
    MESSAGE_CHARS,
    MODAL_BLOCKS,
    MODAL_TITLE_CHARS,
    OPTION_CHARS,
    OPTION_VALUE_CHARS,
    PRIVATE_METADATA_CHARS,
    SECTION_CHARS,
    SELECT_OPTIONS,
    check_blocks,
    check_view,
)

__all__ = [
    "ACTION_ELEMENTS",
    "BUTTON_CHARS",
    "BUTTON_VALUE_CHARS",
    "CONTEXT_ELEMENTS",
    "HEADER_CHARS",
    "ID_CHARS",
    "MAX_BLOCKS",
    "MESSAGE_CHARS",
    "MODAL_BLOCKS",
    "MODAL_TITLE_CHARS",
    "OPTION_CHARS",
    "OPTION_VALUE_CHARS",
    "PRIVATE_METADATA_CHARS",
    "SECTION_CHARS",
    "SELECT_OPTIONS",
    "ApiCall",
    "Message",
    "SlackApiDouble",
    "check_blocks",
    "check_view",
]
