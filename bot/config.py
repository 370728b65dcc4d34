"""Configuration from ``CITYNEEDS_*`` environment variables and ``.env``."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.timeouts import DEFAULT_CONNECT_TIMEOUT


class Settings(BaseSettings):
    """Everything configurable, with defaults for the embedded setup (SQLite + console).

    Attributes:
        database_url: SQLAlchemy URL; SQLite by default, PostgreSQL to scale out.
        db_connect_timeout: Seconds to wait for a PostgreSQL connection before giving
            up (``CITYNEEDS_DB_CONNECT_TIMEOUT``); SQLite keeps its busy timeout.
        workshop: Workshop slug the console and chat adapters use by default.
        locale: Locale for new participants when the platform gives none.
        offer_language: When the platform gives no locale, guess the language of a
            participant's first need (offline) and offer to switch to it.
        secret: Pseudonym HMAC secret; generated and kept in the database if unset.
        slack_api_url: Base URL of the Slack Web API (tests point it at a double).
        slack_post_interval: Seconds between two posts in one Slack channel
            (``CITYNEEDS_SLACK_POST_INTERVAL``; Slack allows about one a second).
        discord_api_url: Base URL of Discord's REST API.
        discord_gateway_url: Discord gateway URL.
        discord_message_content: Ask Discord for the (privileged) message content
            intent, so typed answers in threads arrive; without it slash commands,
            buttons, selects, the form, DMs and messages mentioning the bot still work.
        slack_bot_token: ``SLACK_BOT_TOKEN`` (``xoxb-…``).
        slack_signing_secret: ``SLACK_SIGNING_SECRET`` (HTTP mode).
        slack_app_token: ``SLACK_APP_TOKEN`` (``xapp-…``, Socket Mode).
        discord_token: ``DISCORD_TOKEN``.
    """

    model_config = SettingsConfigDict(
        env_prefix="CITYNEEDS_", env_file=".env", extra="ignore", populate_by_name=True
    )

    database_url: str = "sqlite:///cityneeds.db"
    db_connect_timeout: float = Field(default=DEFAULT_CONNECT_TIMEOUT, gt=0, le=600)
    workshop: str = "city"
    locale: str = "en"
    offer_language: bool = True
    secret: str | None = None
    slack_api_url: str | None = None
    slack_post_interval: float = Field(default=1.0, ge=0, le=60)
    discord_api_url: str | None = None
    discord_gateway_url: str | None = None
    discord_message_content: bool = True
    worker_threads: int = Field(default=8, ge=1, le=64)
    slack_bot_token: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_BOT_TOKEN", "CITYNEEDS_SLACK_BOT_TOKEN")
    )
    slack_signing_secret: str | None = Field(
        default=None,
        validation_alias=AliasChoices("SLACK_SIGNING_SECRET", "CITYNEEDS_SLACK_SIGNING_SECRET"),
    )
    slack_app_token: str | None = Field(
        default=None, validation_alias=AliasChoices("SLACK_APP_TOKEN", "CITYNEEDS_SLACK_APP_TOKEN")
    )
    discord_token: str | None = Field(
        default=None, validation_alias=AliasChoices("DISCORD_TOKEN", "CITYNEEDS_DISCORD_TOKEN")
    )


class ConfigError(Exception):
    """A setting needed for what was asked is missing or wrong; the message says which and how."""
