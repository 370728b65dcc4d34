"""``!settings`` and ``!export``: a workshop's timezone and languages, and its data as a file."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from bot.app.events import Attachment
from bot.app.staff import converters as conv
from bot.app.staff.converters import BadArgument
from bot.app.staff.parse import StaffCommand
from bot.app.staff.registry import FACILITATOR, STAFF, Ctx, in_worker
from bot.digest.exports import FORMATS, default_name, export_files
from bot.scheduler.findings import workshop_findings
from flows.text import Literal
from storage import workshops
from storage.audit import audit

SETTINGS_USAGE = "!settings [timezone Europe/Berlin] [languages en zh]"
#: Largest export handed out in chat (Discord's smallest upload limit is 10 MB).
CHAT_EXPORT_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class SettingsArgs:
    """What to change; ``None`` keeps it (no change at all shows the settings).

    ``languages`` are raw codes, checked against the catalogs when the command runs.
    """

    timezone: str | None = None
    languages: tuple[str, ...] | None = None


def settings_options(timezone: str | None, languages: Sequence[str] | None) -> SettingsArgs:
    """The arguments from separate values (Discord's options, or the typed words)."""
    zone = conv.timezone(timezone) if timezone is not None else None
    codes = tuple(languages) if languages is not None else None
    if codes is not None and not any(c.replace(",", " ").split() for c in codes):
        raise BadArgument.missing("languages")
    return SettingsArgs(zone, codes)


def settings_args(typed: StaffCommand) -> SettingsArgs:
    """``timezone ZONE`` and ``languages CODE…`` (``en zh`` or ``zh,en``)."""
    timezone: str | None = None
    languages: list[str] | None = None
    key = ""
    for token in typed.args:
        word = token.lower()
        if word in ("timezone", "languages"):
            key = word
            if key == "languages":
                languages = []
        elif key == "timezone" and timezone is None:
            timezone = token
        elif key == "languages" and languages is not None:
            languages.append(token)
        else:
            raise BadArgument("settings", token, None)
    if key == "timezone" and timezone is None:
        raise BadArgument.missing("timezone")
    return settings_options(timezone, languages)


@STAFF.command("settings", roles=FACILITATOR, usage=SETTINGS_USAGE, parse=settings_args)
@in_worker
def settings(x: Ctx, args: SettingsArgs) -> list[str]:
    """Change the timezone and languages, then show them."""
    languages = (
        conv.languages(args.languages, x.services.catalogs.locales)
        if args.languages is not None
        else None
    )
    updated = x.ws
    if args.timezone is not None or languages is not None:
        with x.store.session() as session:
            updated = workshops.set_locale_settings(
                session,
                x.ws.id,
                timezone=args.timezone,
                languages=list(languages) if languages is not None else None,
            )
            detail: dict[str, object] = {}
            if args.timezone is not None:
                detail["timezone"] = args.timezone
            if languages is not None:
                detail["languages"] = list(languages)
            audit(session, x.ws.id, x.actor, "settings.set", detail, x.now)
        if args.timezone is not None:
            x.services.rebuild()  # schedules fire at local times
    return [
        x.t(
            "staff.settings",
            workshop=Literal(updated.slug),
            timezone=updated.timezone,
            languages=", ".join(updated.languages),
        )
    ]


@dataclass(frozen=True)
class ExportArgs:
    """The export format (one of :data:`bot.digest.exports.FORMATS`)."""

    format: str


def export_args(typed: StaffCommand) -> ExportArgs:
    """``csv``, ``json``, ``graphml``, ``gexf``, ``kumu``, ``md`` or ``html``."""
    if not typed.args:
        raise BadArgument.missing("format")
    return ExportArgs(conv.choice("format", typed.args[0], conv.options(FORMATS)))


@STAFF.command("export", roles=FACILITATOR, usage=f"!export {'|'.join(FORMATS)}", parse=export_args)
@in_worker
def export(x: Ctx, args: ExportArgs) -> list[str]:
    """The workshop's approved data as one file, handed back privately."""
    ws, fmt = x.ws, args.format
    snap = x.store.snapshot(ws.id)
    findings = workshop_findings(x.store, snap, locales=(x.locale, *snap.workshop.languages))
    rendered = export_files(
        snap,
        fmt,
        x.services.catalogs,
        name=default_name(ws.slug, fmt),
        locale=x.locale,
        findings=findings,
    )
    name, data = single_file(ws.slug, fmt, rendered)
    if len(data) > CHAT_EXPORT_BYTES:
        return [x.t("staff.export_too_big", size=megabytes(len(data)), fmt=fmt)]
    with x.store.session() as session:
        audit(session, ws.id, x.actor, "export", {"format": fmt, "bytes": len(data)}, x.now)
    description = x.t("staff.export_file", workshop=Literal(ws.title), fmt=fmt)
    x.files.append(Attachment(name, data, description))
    return [x.t("staff.export_ready", name=name, size=megabytes(len(data)))]


def single_file(slug: str, fmt: str, files: dict[str, bytes]) -> tuple[str, bytes]:
    """One file to hand out in chat: the export itself, or a zip of its files."""
    if len(files) == 1:
        path, data = next(iter(files.items()))
        return PurePath(path).name, data
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(files.items()):
            archive.writestr(PurePath(path).as_posix(), data)
    return f"{slug}-{fmt}.zip", buffer.getvalue()


def megabytes(size: int) -> str:
    """``1.5 MB`` or ``12 kB``."""
    return f"{size / 1_048_576:.1f} MB" if size >= 104_858 else f"{max(1, size // 1024)} kB"
