"""The staff desk: facilitator and moderator commands, role checks, audit rows."""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.app.binding import seat_of
from bot.app.events import Attachment, InboundEvent
from bot.digest.exports import FORMATS, default_name, export_files
from bot.digest.split import truncate
from bot.scheduler.digests import DigestService
from bot.staff.parse import StaffCommand, parse_staff, parse_time, user_ref
from flows.catalog import Catalogs
from flows.kinds import TIER_ORDER
from flows.library import scenario_library
from flows.pii import find_personal_data, redact
from flows.text import Listing, Literal, Msg, Param
from storage import digests, moderation, roles, schedules, workshops
from storage.audit import audit
from storage.clock import utcnow
from storage.store import Store
from storage.workshops import ScenarioSeed, WorkshopInfo


@dataclass(frozen=True)
class _Ctx:
    """One staff command being run."""

    ws: WorkshopInfo
    command: StaffCommand
    actor: str
    moderator_id: int | None
    platform: str
    locale: str
    now: datetime
    files: list[Attachment]


FACILITATOR = ("facilitator",)
MODERATION = ("moderator", "facilitator")

#: Which roles may run each command.
PERMISSIONS: dict[str, tuple[str, ...]] = {
    "help": MODERATION,
    "open": FACILITATOR,
    "close": FACILITATOR,
    "progress": MODERATION,
    "schedule": FACILITATOR,
    "policy": FACILITATOR,
    "scenario": FACILITATOR,
    "role": FACILITATOR,
    "queue": MODERATION,
    "approve": MODERATION,
    "hide": MODERATION,
    "redact": MODERATION,
    "digest": MODERATION,
    "settings": FACILITATOR,
    "export": FACILITATOR,
}

#: Largest export handed out in chat (Discord's smallest upload limit is 10 MB).
CHAT_EXPORT_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class StaffAnswer:
    """What a staff command answers: lines of text, and files for the person who asked."""

    lines: list[str]
    files: tuple[Attachment, ...] = ()


class StaffDesk:
    """Runs staff commands for one store.

    Args:
        store: The database.
        catalogs: Message catalogs for replies.
        pseudonym: ``(platform, user_id) -> pseudonym``, the router's HMAC.
        digests: The digest service (for ``!digest``); optional for setups without posting.
        on_schedule_change: Called after ``!schedule`` so the scheduler rebuilds its jobs.
        clock: Time source.
    """

    def __init__(
        self,
        store: Store,
        catalogs: Catalogs,
        *,
        pseudonym: Callable[[str, str], str],
        digests: DigestService | None = None,
        on_schedule_change: Callable[[], None] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.catalogs = catalogs
        self.pseudonym = pseudonym
        self.digests = digests
        self.on_schedule_change = on_schedule_change
        self.clock = clock

    async def handle(self, event: InboundEvent) -> StaffAnswer:
        """Run one staff command; return the reply lines (already rendered) and any files."""
        files: list[Attachment] = []
        lines = await self._handle(event, files)
        return StaffAnswer(lines, tuple(files))

    async def _handle(self, event: InboundEvent, files: list[Attachment]) -> list[str]:
        locale = event.locale if event.locale in self.catalogs.locales else "en"
        command = parse_staff(event.text)
        with self.store.session() as session:
            ws = workshops.find_workshop(session, event.workshop)
        if ws is None:
            return [self._t("error.no_workshop", locale)]
        actor = self.pseudonym(event.platform, event.user_id)
        now = self.clock()
        out: list[str] = []
        with self.store.session() as session:
            seat = seat_of(
                session,
                ws.id,
                actor,
                event.platform,
                is_platform_admin=event.is_platform_admin,
                now=now,
            )
            role, moderator_id = seat.role, seat.participant_id
            if seat.bootstrapped:
                out.append(self._t("staff.bootstrap", locale, workshop=Literal(ws.slug)))
            allowed = PERMISSIONS.get(command.name)
            if allowed is None:
                return [
                    *out,
                    self._t(
                        "staff.unknown",
                        locale,
                        command=Literal(command.name[:40]),
                        commands=", ".join(f"!{c}" for c in PERMISSIONS),
                    ),
                ]
            if role not in allowed:
                audit(
                    session, ws.id, actor, "refused", {"command": command.name, "role": role}, now
                )
                return [
                    self._t(
                        "staff.refused",
                        locale,
                        roles=" / ".join(allowed),
                        command=Literal(f"!{command.name}"),
                    )
                ]
        handler = getattr(self, f"_cmd_{command.name}")
        ctx = _Ctx(ws, command, actor, moderator_id, event.platform, locale, now, files)
        out.extend(await handler(ctx))
        return out

    # ------------------------------------------------------------ commands
    async def _cmd_help(self, x: _Ctx) -> list[str]:
        return [self._t("staff.help", x.locale)]

    async def _cmd_open(self, x: _Ctx) -> list[str]:
        return self._tier(x, True)

    async def _cmd_close(self, x: _Ctx) -> list[str]:
        return self._tier(x, False)

    def _tier(self, x: _Ctx, is_open: bool) -> list[str]:
        ws, c, actor, locale, now = x.ws, x.command, x.actor, x.locale, x.now
        tier = c.args[0].lower() if c.args else ""
        if tier not in TIER_ORDER:
            return [self._usage(locale, f"!{c.name} macro|meso|micro")]
        with self.store.session() as session:
            updated = workshops.set_tier(session, ws.slug, tier, is_open)
            audit(session, ws.id, actor, f"tier.{c.name}", {"tier": tier}, now)
        tiers = [t for t in TIER_ORDER if t in updated.open_tiers]
        return [
            self._t(
                "staff.tiers",
                locale,
                workshop=Literal(ws.slug),
                tiers=Listing(tuple(Msg(f"tier.{t}") for t in tiers))
                if tiers
                else Msg("staff.tiers_none"),
            )
        ]

    async def _cmd_progress(self, x: _Ctx) -> list[str]:
        from bot.digest.metrics import compute_metrics

        ws, locale = x.ws, x.locale
        metrics = compute_metrics(self.store.snapshot(ws.id))
        groups = Listing(
            tuple(
                Msg("digest.helix_item", {"group": Msg(f"helix.{g}"), "count": n})
                for g, n in metrics.by_helix.items()
            )
        )
        lines = [
            self._t(
                "staff.progress",
                locale,
                count=metrics.participants,
                groups=groups,
                **metrics.by_tier,
            )
        ]
        if metrics.missing_helix:
            missing = Listing(tuple(Msg(f"helix.{g}") for g in metrics.missing_helix))
            lines.append(self._t("staff.progress_missing", locale, groups=missing))
        return lines

    async def _cmd_schedule(self, x: _Ctx) -> list[str]:
        ws, c, actor, locale, now = x.ws, x.command, x.actor, x.locale, x.now
        usage = "!schedule digest|reminders HH:MM [mon-fri], !schedule off digest|reminders"
        args = [a.lower() for a in c.args]
        kinds = {
            "digest": "digest",
            "digests": "digest",
            "reminders": "reminder",
            "reminder": "reminder",
        }
        if len(args) >= 2 and args[0] == "off" and args[1] in kinds:
            kind = kinds[args[1]]
            with self.store.session() as session:
                schedules.disable(session, ws.id, kind)
                audit(session, ws.id, actor, "schedule.off", {"kind": kind}, now)
            self._rebuild()
            return [self._t("staff.schedule_off", locale, kind=kind)]
        if len(args) < 2 or args[0] not in kinds or parse_time(args[1]) is None:
            return [self._usage(locale, usage)]
        kind = kinds[args[0]]
        hour, minute = parse_time(args[1]) or (0, 0)
        days = args[2] if len(args) > 2 else "*"
        with self.store.session() as session:
            schedules.set_schedule(session, ws.id, kind, hour, minute, now, days)
            audit(
                session,
                ws.id,
                actor,
                "schedule.set",
                {"kind": kind, "time": f"{hour:02d}:{minute:02d}", "days": days},
                now,
            )
        self._rebuild()
        return [
            self._t(
                "staff.schedule_set",
                locale,
                kind=kind,
                time=f"{hour:02d}:{minute:02d}",
                timezone=ws.timezone,
            )
        ]

    async def _cmd_policy(self, x: _Ctx) -> list[str]:
        ws, c, actor, locale, now = x.ws, x.command, x.actor, x.locale, x.now
        args = [a.lower() for a in c.args]
        changes: dict[str, object] = {}
        i = 0
        while i < len(args):
            if args[i] in ("pre", "post"):
                changes["moderation"] = args[i]
            elif args[i] == "review" and i + 1 < len(args) and args[i + 1] in ("on", "off"):
                changes["digest_review"] = args[i + 1] == "on"
                i += 1
            elif args[i] == "grace" and i + 1 < len(args) and args[i + 1].isdigit():
                changes["digest_auto_post_minutes"] = int(args[i + 1])
                i += 1
            else:
                return [self._usage(locale, "!policy pre|post [review on|off] [grace MINUTES]")]
            i += 1
        with self.store.session() as session:
            updated = workshops.update_settings(session, ws.id, **changes)
            if changes:
                audit(
                    session,
                    ws.id,
                    actor,
                    "policy.set",
                    {k: str(v) for k, v in changes.items()},
                    now,
                )
        grace = updated.settings.get("digest_auto_post_minutes")
        return [
            self._t(
                "staff.policy",
                locale,
                moderation=updated.moderation,
                review=Msg(
                    "word.yes" if updated.settings.get("digest_review", True) else "word.no"
                ),
                grace="–" if grace is None else str(grace),
            )
        ]

    async def _cmd_scenario(self, x: _Ctx) -> list[str]:
        ws, c, actor, locale, now = x.ws, x.command, x.actor, x.locale, x.now
        library = {s.code: s for s in scenario_library()}
        if len(c.args) >= 2 and c.args[0].lower() == "add":
            code = c.args[1]
            if code not in library:
                return [
                    self._t(
                        "staff.scenario_unknown",
                        locale,
                        code=Literal(code),
                        codes=", ".join(library),
                    )
                ]
            s = library[code]
            with self.store.session() as session:
                added = workshops.add_scenario(
                    session, ws.id, ScenarioSeed(s.code, s.title, s.description, s.domains)
                )
                if added:
                    audit(session, ws.id, actor, "scenario.add", {"code": code}, now)
            return [
                self._t(
                    "staff.scenario_added" if added else "staff.scenario_exists", locale, code=code
                )
            ]
        codes = ", ".join(s.code for s in self.store.scenarios(ws.id))
        return [self._t("staff.scenarios", locale, codes=codes)]

    async def _cmd_role(self, x: _Ctx) -> list[str]:
        ws, c, actor, locale, now = x.ws, x.command, x.actor, x.locale, x.now
        if len(c.args) < 2 or c.args[1].lower() not in roles.ROLES:
            return [self._usage(locale, "!role USER facilitator|moderator|citizen")]
        target_id, role = user_ref(c.args[0]), c.args[1].lower()
        with self.store.session() as session:
            pseudo = self.pseudonym(x.platform, target_id)
            roles.set_role(session, ws.id, pseudo, x.platform, role, now)
            audit(session, ws.id, actor, "role.set", {"participant": pseudo, "role": role}, now)
        return [self._t("staff.role_set", locale, user=Literal(c.args[0]), role=role)]

    async def _cmd_queue(self, x: _Ctx) -> list[str]:
        ws, locale = x.ws, x.locale
        with self.store.session() as session:
            items = moderation.queue(session, ws.id, status="pending")
            approved = moderation.queue(session, ws.id, status="approved", limit=200)
        flagged = [i for i in approved if any(find_personal_data(t) for t in i.texts.values())]
        items = items + flagged[: max(0, 20 - len(items))]
        if not items:
            return [self._t("staff.queue_empty", locale)]
        lines = [self._t("staff.queue_header", locale, count=len(items))]
        for item in items:
            text = " / ".join(item.texts.values())
            lines.append(
                self._t(
                    "staff.queue_item",
                    locale,
                    kind=item.kind,
                    id=item.id,
                    text=Literal(_short(text)),
                )
            )
            kinds = sorted({f.kind for t in item.texts.values() for f in find_personal_data(t)})
            if kinds:
                lines.append(
                    self._t(
                        "staff.queue_pii",
                        locale,
                        kinds=", ".join(kinds),
                        kind=item.kind,
                        id=item.id,
                    )
                )
        return lines

    async def _cmd_approve(self, x: _Ctx) -> list[str]:
        return self._moderate(x, "approved", "staff.approved")

    async def _cmd_hide(self, x: _Ctx) -> list[str]:
        return self._moderate(x, "hidden", "staff.hidden")

    def _moderate(self, x: _Ctx, status: str, reply: str) -> list[str]:
        ws, c, actor, moderator_id, locale, now = (
            x.ws,
            x.command,
            x.actor,
            x.moderator_id,
            x.locale,
            x.now,
        )
        target = _item(c)
        if target is None:
            return [
                self._usage(
                    locale,
                    f"!{c.name} need|stakeholder|requirement ID"
                    + (" REASON" if c.name == "hide" else ""),
                )
            ]
        kind, item_id = target
        reason = c.rest or None
        try:
            with self.store.session() as session:
                moderation.set_status(
                    session,
                    ws.id,
                    kind,
                    item_id,
                    status=status,
                    moderator_id=moderator_id,
                    actor=actor,
                    reason=reason,
                    now=now,
                )
        except moderation.UnknownItem:
            return [self._t("staff.unknown_item", locale, kind=Literal(kind), id=item_id)]
        return [self._t(reply, locale, kind=kind, id=item_id)]

    async def _cmd_redact(self, x: _Ctx) -> list[str]:
        ws, c, actor, locale, now = x.ws, x.command, x.actor, x.locale, x.now
        target = _item(c)
        if target is None:
            return [self._usage(locale, "!redact need|stakeholder|requirement ID")]
        kind, item_id = target
        try:
            with self.store.session() as session:
                texts = moderation.item_texts(session, ws.id, kind, item_id)
                replacements: dict[str, str] = {}
                found: set[str] = set()
                for column, text in texts.items():
                    findings = find_personal_data(text)
                    if findings:
                        replacements[column] = redact(text, findings)
                        found.update(f.kind for f in findings)
                if not replacements:
                    return [self._t("staff.nothing_to_redact", locale, kind=kind, id=item_id)]
                moderation.redact(
                    session,
                    ws.id,
                    kind,
                    item_id,
                    replacements=replacements,
                    moderator_id=x.moderator_id,
                    actor=actor,
                    what=sorted(found),
                    now=now,
                )
        except moderation.UnknownItem:
            return [self._t("staff.unknown_item", locale, kind=Literal(kind), id=item_id)]
        return [
            self._t("staff.redacted", locale, what=", ".join(sorted(found)), kind=kind, id=item_id)
        ]

    async def _cmd_digest(self, x: _Ctx) -> list[str]:
        ws, c, actor, locale, now = x.ws, x.command, x.actor, x.locale, x.now
        sub = c.args[0].lower() if c.args else ""
        if self.digests is None or sub not in ("draft", "approve", "skip", "note"):
            return [self._usage(locale, "!digest draft|approve|skip|note TEXT")]
        if sub == "draft":
            period = now.astimezone(ZoneInfo(ws.timezone)).date().isoformat() + "-manual"
            await self.digests.open_period(ws.id, period)
        with self.store.session() as session:
            draft = digests.latest_draft(session, ws.id)
        if draft is None:
            return [self._t("staff.digest_none", locale)]
        if sub == "draft":
            return []  # the draft went to the moderators' channel
        if sub == "approve":
            await self.digests.approve(draft.id, actor)
            return [self._t("staff.digest_posted", locale, period=draft.period)]
        with self.store.session() as session:
            if sub == "skip":
                digests.skip(session, draft.id, actor, now)
                return [self._t("staff.digest_skipped", locale, period=draft.period)]
            note = " ".join(c.args[1:])
            digests.edit(session, draft.id, note, actor, now)
        return [self._t("staff.digest_noted", locale, period=draft.period)]

    async def _cmd_settings(self, x: _Ctx) -> list[str]:
        ws, c, actor, locale, now = x.ws, x.command, x.actor, x.locale, x.now
        usage = "!settings [timezone Europe/Berlin] [languages en zh]"
        timezone: str | None = None
        languages: list[str] | None = None
        key = ""
        for token in c.args:
            if token.lower() in ("timezone", "languages"):
                key = token.lower()
                if key == "languages":
                    languages = []
            elif key == "timezone" and timezone is None:
                timezone = token
            elif key == "languages" and languages is not None:
                languages.extend(code.lower() for code in token.split(",") if code)
            else:
                return [self._usage(locale, usage)]
        if (key == "timezone" and timezone is None) or languages == []:
            return [self._usage(locale, usage)]
        if timezone is not None:
            try:
                ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError):
                return [self._t("staff.bad_timezone", locale, timezone=Literal(timezone[:60]))]
        unknown = [code for code in languages or [] if code not in self.catalogs.locales]
        if unknown:
            return [
                self._t(
                    "staff.bad_languages",
                    locale,
                    codes=Literal(", ".join(unknown)[:60]),
                    known=", ".join(self.catalogs.locales),
                )
            ]
        updated = ws
        if timezone is not None or languages is not None:
            with self.store.session() as session:
                updated = workshops.set_locale_settings(
                    session, ws.id, timezone=timezone, languages=languages
                )
                detail = {"timezone": timezone, "languages": languages}
                audit(
                    session,
                    ws.id,
                    actor,
                    "settings.set",
                    {k: v for k, v in detail.items() if v is not None},
                    now,
                )
            if timezone is not None:
                self._rebuild()  # schedules fire at local times
        return [
            self._t(
                "staff.settings",
                locale,
                workshop=Literal(updated.slug),
                timezone=updated.timezone,
                languages=", ".join(updated.languages),
            )
        ]

    async def _cmd_export(self, x: _Ctx) -> list[str]:
        ws, c, actor, locale, now = x.ws, x.command, x.actor, x.locale, x.now
        fmt = c.args[0].lower() if c.args else ""
        if fmt not in FORMATS:
            return [self._usage(locale, f"!export {'|'.join(FORMATS)}")]
        snap = await asyncio.to_thread(self.store.snapshot, ws.id)
        rendered = await asyncio.to_thread(
            export_files, snap, fmt, self.catalogs, name=default_name(ws.slug, fmt), locale=locale
        )
        name, data = _single_file(ws.slug, fmt, rendered)
        if len(data) > CHAT_EXPORT_BYTES:
            return [self._t("staff.export_too_big", locale, size=_megabytes(len(data)), fmt=fmt)]
        with self.store.session() as session:
            audit(session, ws.id, actor, "export", {"format": fmt, "bytes": len(data)}, now)
        description = self._t("staff.export_file", locale, workshop=Literal(ws.title), fmt=fmt)
        x.files.append(Attachment(name, data, description))
        return [self._t("staff.export_ready", locale, name=name, size=_megabytes(len(data)))]

    # ------------------------------------------------------------- helpers
    def _t(self, msg_id: str, locale: str, **params: Param) -> str:
        return self.catalogs.render(Msg(msg_id, dict(params)), locale)

    def _usage(self, locale: str, usage: str) -> str:
        return self._t("staff.usage", locale, usage=usage)

    def _rebuild(self) -> None:
        if self.on_schedule_change is not None:
            self.on_schedule_change()


def _item(c: StaffCommand) -> tuple[str, int] | None:
    if (
        len(c.args) < 2
        or c.args[0].lower() not in moderation.ITEM_TABLES
        or not c.args[1].isdigit()
    ):
        return None
    return c.args[0].lower(), int(c.args[1])


def _short(text: str, limit: int = 200) -> str:
    one_line = " ".join(text.split())
    return truncate(one_line, limit)


def _single_file(slug: str, fmt: str, files: dict[str, bytes]) -> tuple[str, bytes]:
    """One file to hand out in chat: the export itself, or a zip of its files."""
    if len(files) == 1:
        path, data = next(iter(files.items()))
        return PurePath(path).name, data
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(files.items()):
            archive.writestr(PurePath(path).as_posix(), data)
    return f"{slug}-{fmt}.zip", buffer.getvalue()


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 104_858 else f"{max(1, size // 1024)} kB"
