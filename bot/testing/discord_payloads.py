"""Raw Discord API payloads (users, guilds, channels, messages, interactions) for tests.

The shapes follow Discord's documentation and discord.py's ``discord/types``
TypedDicts (``types/user.py``, ``types/guild.py``, ``types/channel.py``,
``types/message.py``, ``types/interactions.py``): the fake in
:mod:`bot.testing.discord_api` sends them to the unmodified discord.py client,
so they must parse exactly as real gateway dispatches and REST answers do.
"""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

#: Discord's epoch (2015-01-01T00:00:00Z) in milliseconds.
DISCORD_EPOCH_MS = 1_420_070_400_000

#: Channel types (Discord documentation, "Channel Types").
GUILD_TEXT = 0
DM = 1
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
THREAD_TYPES = (PUBLIC_THREAD, PRIVATE_THREAD)

#: Interaction types.
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
MODAL_SUBMIT = 5

#: Component types.
ACTION_ROW = 1
BUTTON = 2
STRING_SELECT = 3
TEXT_INPUT = 4
LABEL = 18

#: Application command option types.
SUB_COMMAND = 1
SUB_COMMAND_GROUP = 2
STRING = 3
INTEGER = 4
USER = 6

#: Message flags.
EPHEMERAL = 1 << 6
LOADING = 1 << 7

#: Permission bits used by the fake.
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
SEND_MESSAGES_IN_THREADS = 1 << 38
CREATE_PRIVATE_THREADS = 1 << 36
ALL_PERMISSIONS = (1 << 53) - 1
#: What @everyone may do in a typical community server.
MEMBER_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
    | SEND_MESSAGES_IN_THREADS
)

#: Gateway intents (bit values).
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15


class Snowflakes:
    """Increasing, time-based snowflake ids (as strings, like the API sends them)."""

    def __init__(self) -> None:
        self._last = 0
        self._counter = itertools.count()

    def next(self) -> str:
        """A new id, larger than every id given before."""
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        value = (ms << 22) | (next(self._counter) & 0xFFF)
        value = max(value, self._last + 1)
        self._last = value
        return str(value)

    def __iter__(self) -> Iterator[str]:
        while True:
            yield self.next()


def iso_now() -> str:
    """The current time as Discord writes timestamps."""
    return datetime.now(UTC).isoformat()


def new_token() -> str:
    """An interaction token (opaque, URL-safe)."""
    return "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48)


def user(user_id: str, username: str, *, bot: bool = False) -> dict[str, Any]:
    """A user object (``types/user.py: User``)."""
    payload: dict[str, Any] = {
        "id": user_id,
        "username": username,
        "discriminator": "0",
        "global_name": None if bot else username.title(),
        "avatar": None,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
    }
    if bot:
        payload["bot"] = True
    return payload


def member(
    member_user: Mapping[str, Any],
    roles: Sequence[str] = (),
    *,
    permissions: int | None = None,
) -> dict[str, Any]:
    """A guild member (``types/member.py: Member``); ``permissions`` only in interactions."""
    payload: dict[str, Any] = {
        "user": dict(member_user),
        "nick": None,
        "avatar": None,
        "roles": list(roles),
        "joined_at": "2026-01-05T10:00:00+00:00",
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if permissions is not None:
        payload["permissions"] = str(permissions)
    return payload


def role(role_id: str, name: str, permissions: int, *, position: int = 0) -> dict[str, Any]:
    """A role (``types/role.py: Role``)."""
    return {
        "id": role_id,
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": str(permissions),
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def text_channel(channel_id: str, guild_id: str, name: str, *, position: int = 0) -> dict[str, Any]:
    """A guild text channel (``types/channel.py: TextChannel``)."""
    return {
        "id": channel_id,
        "type": GUILD_TEXT,
        "guild_id": guild_id,
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "default_auto_archive_duration": 10080,
        "default_thread_rate_limit_per_user": 0,
        "flags": 0,
    }


def thread_channel(
    channel_id: str,
    guild_id: str,
    parent_id: str,
    owner_id: str,
    name: str,
    *,
    private: bool = True,
    auto_archive_duration: int = 10080,
    invitable: bool = False,
) -> dict[str, Any]:
    """A thread (``types/threads.py: Thread``)."""
    return {
        "id": channel_id,
        "type": PRIVATE_THREAD if private else PUBLIC_THREAD,
        "guild_id": guild_id,
        "parent_id": parent_id,
        "owner_id": owner_id,
        "name": name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "flags": 0,
        "applied_tags": [],
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": auto_archive_duration,
            "archive_timestamp": iso_now(),
            "locked": False,
            "invitable": invitable,
            "create_timestamp": iso_now(),
        },
    }


def dm_channel(channel_id: str, recipient: Mapping[str, Any]) -> dict[str, Any]:
    """A direct-message channel (``types/channel.py: DMChannel``)."""
    return {
        "id": channel_id,
        "type": DM,
        "last_message_id": None,
        "recipients": [dict(recipient)],
        "flags": 0,
    }


def guild(
    guild_id: str,
    name: str,
    owner_id: str,
    *,
    roles: Sequence[Mapping[str, Any]],
    channels: Sequence[Mapping[str, Any]],
    members: Sequence[Mapping[str, Any]],
    threads: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """A full guild as GUILD_CREATE sends it (``types/gateway.py: GuildCreateEvent``)."""
    return {
        "id": guild_id,
        "name": name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": owner_id,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": [dict(r) for r in roles],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "max_members": 500000,
        "joined_at": "2026-01-05T10:00:00+00:00",
        "large": False,
        "unavailable": False,
        "member_count": len(members),
        "voice_states": [],
        "members": [dict(m) for m in members],
        "channels": [dict(c) for c in channels],
        "threads": [dict(t) for t in threads],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def message(
    message_id: str,
    channel_id: str,
    author: Mapping[str, Any],
    content: str,
    *,
    guild_id: str | None = None,
    author_member: Mapping[str, Any] | None = None,
    mentions: Sequence[Mapping[str, Any]] = (),
    embeds: Sequence[Mapping[str, Any]] = (),
    components: Sequence[Mapping[str, Any]] = (),
    attachments: Sequence[Mapping[str, Any]] = (),
    flags: int = 0,
    webhook_id: str | None = None,
    application_id: str | None = None,
    interaction_metadata: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A message (``types/message.py: Message``).

    With ``guild_id`` and ``author_member`` it is a MESSAGE_CREATE dispatch in a
    guild channel.
    """
    payload: dict[str, Any] = {
        "id": message_id,
        "channel_id": channel_id,
        "author": dict(author),
        "content": content,
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [dict(m) for m in mentions],
        "mention_roles": [],
        "attachments": [dict(a) for a in attachments],
        "embeds": [dict(e) for e in embeds],
        "pinned": False,
        "type": 0,
        "flags": flags,
        "components": [dict(c) for c in components],
    }
    if guild_id is not None:
        payload["guild_id"] = guild_id
    if author_member is not None:
        body = dict(author_member)
        body.pop("user", None)
        body.pop("permissions", None)
        payload["member"] = body
    if webhook_id is not None:
        payload["webhook_id"] = webhook_id
    if application_id is not None:
        payload["application_id"] = application_id
    if interaction_metadata is not None:
        payload["interaction_metadata"] = dict(interaction_metadata)
    return payload


def _interaction_base(
    *,
    interaction_id: str,
    application_id: str,
    kind: int,
    token: str,
    data: Mapping[str, Any],
    channel: Mapping[str, Any],
    invoker: Mapping[str, Any],
    invoker_member: Mapping[str, Any] | None,
    guild_id: str | None,
    app_permissions: int,
    locale: str,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": interaction_id,
        "application_id": application_id,
        "type": kind,
        "data": dict(data),
        "channel": dict(channel),
        "channel_id": channel["id"],
        "token": token,
        "version": 1,
        "app_permissions": str(app_permissions),
        "locale": locale,
        "entitlements": [],
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if guild_id is not None:
        payload["guild_id"] = guild_id
        payload["guild"] = {"id": guild_id, "locale": "en-US", "features": []}
        payload["guild_locale"] = "en-US"
        payload["member"] = dict(invoker_member or member(invoker))
        payload["authorizing_integration_owners"] = {"0": guild_id}
        payload["context"] = 0
    else:
        payload["user"] = dict(invoker)
        payload["authorizing_integration_owners"] = {"0": "0"}
        payload["context"] = 1
    return payload


def application_command(
    *,
    interaction_id: str,
    application_id: str,
    token: str,
    command: Mapping[str, Any],
    options: Sequence[Mapping[str, Any]],
    channel: Mapping[str, Any],
    invoker: Mapping[str, Any],
    invoker_member: Mapping[str, Any] | None = None,
    guild_id: str | None = None,
    app_permissions: int = ALL_PERMISSIONS,
    locale: str = "en-US",
    resolved: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A slash command interaction (type 2) for a registered ``command``."""
    data: dict[str, Any] = {
        "id": command["id"],
        "name": command["name"],
        "type": 1,
        "options": [dict(o) for o in options],
    }
    if resolved:
        data["resolved"] = dict(resolved)
    return _interaction_base(
        interaction_id=interaction_id,
        application_id=application_id,
        kind=APPLICATION_COMMAND,
        token=token,
        data=data,
        channel=channel,
        invoker=invoker,
        invoker_member=invoker_member,
        guild_id=guild_id,
        app_permissions=app_permissions,
        locale=locale,
    )


def component_interaction(
    *,
    interaction_id: str,
    application_id: str,
    token: str,
    source: Mapping[str, Any],
    custom_id: str,
    component_type: int,
    values: Sequence[str] | None,
    channel: Mapping[str, Any],
    invoker: Mapping[str, Any],
    invoker_member: Mapping[str, Any] | None = None,
    guild_id: str | None = None,
    app_permissions: int = ALL_PERMISSIONS,
    locale: str = "en-US",
) -> dict[str, Any]:
    """A button press or select choice (type 3) on the bot's message ``source``."""
    data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
    if component_type == STRING_SELECT:
        data["values"] = list(values or [])
    payload = _interaction_base(
        interaction_id=interaction_id,
        application_id=application_id,
        kind=MESSAGE_COMPONENT,
        token=token,
        data=data,
        channel=channel,
        invoker=invoker,
        invoker_member=invoker_member,
        guild_id=guild_id,
        app_permissions=app_permissions,
        locale=locale,
    )
    payload["message"] = dict(source)
    return payload


def modal_submit_interaction(
    *,
    interaction_id: str,
    application_id: str,
    token: str,
    custom_id: str,
    components: Sequence[Mapping[str, Any]],
    channel: Mapping[str, Any],
    invoker: Mapping[str, Any],
    invoker_member: Mapping[str, Any] | None = None,
    guild_id: str | None = None,
    source: Mapping[str, Any] | None = None,
    app_permissions: int = ALL_PERMISSIONS,
    locale: str = "en-US",
) -> dict[str, Any]:
    """A modal submit (type 5); ``source`` is the message whose button opened the modal."""
    payload = _interaction_base(
        interaction_id=interaction_id,
        application_id=application_id,
        kind=MODAL_SUBMIT,
        token=token,
        data={"custom_id": custom_id, "components": [dict(c) for c in components]},
        channel=channel,
        invoker=invoker,
        invoker_member=invoker_member,
        guild_id=guild_id,
        app_permissions=app_permissions,
        locale=locale,
    )
    if source is not None:
        payload["message"] = dict(source)
    return payload


def modal_answers(modal: Mapping[str, Any], values: Mapping[str, str]) -> list[dict[str, Any]]:
    """The ``components`` of a modal submit for the modal the bot sent, filled with ``values``.

    ``values`` maps text-input custom ids to what the user typed; inputs not in
    ``values`` are submitted empty, as Discord does for optional fields.
    """
    answers: list[dict[str, Any]] = []
    for top in modal.get("components", []):
        if top.get("type") == LABEL:
            inner = top["component"]
            answers.append(
                {
                    "type": LABEL,
                    "id": top.get("id", 0),
                    "component": {
                        "type": inner["type"],
                        "id": inner.get("id", 0),
                        "custom_id": inner["custom_id"],
                        "value": values.get(inner["custom_id"], ""),
                    },
                }
            )
        elif top.get("type") == ACTION_ROW:
            answers.append(
                {
                    "type": ACTION_ROW,
                    "components": [
                        {
                            "type": c["type"],
                            "custom_id": c["custom_id"],
                            "value": values.get(c["custom_id"], ""),
                        }
                        for c in top.get("components", [])
                    ],
                }
            )
    return answers


def walk_components(components: Sequence[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """Every component in a message or modal, depth first (rows, labels, containers)."""
    for component in components:
        yield component
        yield from walk_components(component.get("components", []))
        inner = component.get("component")
        if isinstance(inner, Mapping):
            yield from walk_components([inner])


def subcommand_options(
    subcommand: str, options: Mapping[str, str | int] | None = None
) -> list[dict[str, Any]]:
    """``options`` of ``/group subcommand name:value …`` (strings and integers)."""
    inner = [
        {"type": INTEGER if isinstance(value, int) else STRING, "name": name, "value": value}
        for name, value in (options or {}).items()
    ]
    return [{"type": SUB_COMMAND, "name": subcommand, "options": inner}]
