"""The app manifest asks for exactly what the adapter uses."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from bot.adapters.slack.app import COMMAND

REQUIRED_SCOPES = {
    "chat:write",  # chat.postMessage / chat.update
    "commands",  # /cityneeds
    "im:history",  # message.im
    "im:write",  # conversations.open
    "channels:history",  # message.channels (threads in workshop channels)
    "groups:history",  # message.groups (private channels)
    "users:read",  # users.info (admin flag, locale)
    "files:write",  # files_upload_v2 (digest map)
}


def _manifest() -> dict[str, Any]:
    text = resources.files("bot.adapters.slack").joinpath("manifest.yaml").read_text("utf-8")
    loaded = yaml.safe_load(text)
    assert isinstance(loaded, dict)
    return loaded


def test_the_manifest_has_the_scopes_command_events_and_socket_mode() -> None:
    manifest = _manifest()
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == REQUIRED_SCOPES
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == [COMMAND]
    assert commands[0]["should_escape"] is True
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "message.im",
        "message.channels",
        "message.groups",
    }
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert manifest["features"]["app_home"]["messages_tab_read_only_enabled"] is False


def test_the_manifest_is_shipped_with_the_package() -> None:
    root = Path(__file__).resolve().parents[3]
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert "adapters/slack/manifest.yaml" in pyproject["tool"]["setuptools"]["package-data"]["bot"]
