"""REST routes about the application: bot user, application, gateway URL, commands, users."""

from __future__ import annotations

import re
import secrets
from typing import Any

from bot.testing.discord_double.records import Call
from bot.testing.discord_double.validators import check_options, err, form_error
from bot.testing.discord_double.world import DiscordWorld


class AppRoutes(DiscordWorld):
    """``/users``, ``/applications``, ``/gateway``, ``/guilds/…/members`` and ``/channels/{id}``."""

    async def _get_me(self, call: Call) -> tuple[int, Any]:
        return 200, self.bot_user

    async def _get_application(self, call: Call) -> tuple[int, Any]:
        return 200, {
            "id": self.application_id,
            "name": self.bot_user["username"],
            "icon": None,
            "description": "",
            "rpc_origins": [],
            "bot_public": False,
            "bot_require_code_grant": False,
            "bot": self.bot_user,
            "owner": self.owner,
            "team": None,
            "verify_key": secrets.token_hex(32),
            "flags": 1 << 19,
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "tags": [],
            "approximate_guild_count": len(self.guilds),
            "integration_types_config": {"0": {}},
        }

    async def _get_gateway(self, call: Call) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    async def _get_gateway_bot(self, call: Call) -> tuple[int, Any]:
        return 200, {
            "url": self.gateway_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }

    async def _put_commands(self, call: Call) -> tuple[int, Any]:
        body = call.record.json
        if not isinstance(body, list):
            return 400, form_error({"_errors": [err("BASE_TYPE_REQUIRED", "Expected a list")]})
        errors: dict[str, Any] = {}
        name_re = re.compile(r"^[-_\w]{1,32}$")
        registered = []
        for index, cmd in enumerate(body):
            problems = []
            name = str(cmd.get("name", ""))
            if not name_re.match(name) or name != name.lower():
                problems.append(err("APPLICATION_COMMAND_INVALID_NAME", "Invalid name"))
            description = str(cmd.get("description", ""))
            if cmd.get("type", 1) == 1 and not 1 <= len(description) <= 100:
                problems.append(err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100"))
            problems.extend(check_options(cmd.get("options", [])))
            if problems:
                errors[str(index)] = {"_errors": problems}
                continue
            registered.append(
                {
                    **cmd,
                    "id": self.ids.next(),
                    "application_id": self.application_id,
                    "version": self.ids.next(),
                    "type": cmd.get("type", 1),
                    "options": cmd.get("options", []),
                    "default_member_permissions": cmd.get("default_member_permissions"),
                    "nsfw": cmd.get("nsfw", False),
                }
            )
        if errors:
            return 400, form_error(errors)
        if "guild_id" not in call.params:
            self.commands = registered
        return 200, registered

    async def _get_commands(self, call: Call) -> tuple[int, Any]:
        return 200, self.commands

    async def _get_user(self, call: Call) -> tuple[int, Any]:
        found = self.users.get(call.params["user_id"])
        if found is None:
            return 404, {"message": "Unknown User", "code": 10013}
        return 200, found

    async def _get_member(self, call: Call) -> tuple[int, Any]:
        g = self.guilds.get(call.params["guild_id"])
        if g is None or call.params["user_id"] not in g.members:
            return 404, {"message": "Unknown Member", "code": 10007}
        return 200, g.members[call.params["user_id"]]

    async def _get_channel(self, call: Call) -> tuple[int, Any]:
        found = self.channels.get(call.params["channel_id"])
        if found is None:
            return 404, {"message": "Unknown Channel", "code": 10003}
        return 200, found

    async def _create_dm(self, call: Call) -> tuple[int, Any]:
        body = call.record.json or {}
        recipient = str(body.get("recipient_id", ""))
        if recipient not in self.users:
            return 400, form_error(
                {"recipient_id": {"_errors": [err("USER_UNKNOWN", "Unknown user")]}}
            )
        return 200, self.channels[self.open_dm(recipient)]
