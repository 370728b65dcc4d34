"""``!schedule``: when a workshop's digest and reminders fire (validated before storing)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.app.staff import converters as conv
from bot.app.staff.converters import BadArgument, TimeOfDay, Weekdays
from bot.app.staff.parse import StaffCommand
from bot.app.staff.registry import FACILITATOR, STAFF, Ctx, in_worker
from flows.kinds import ScheduleKind
from storage import schedules
from storage.audit import audit

#: What people may type for each schedule kind.
KIND_WORDS: dict[str, ScheduleKind] = {
    "digest": ScheduleKind.DIGEST,
    "digests": ScheduleKind.DIGEST,
    "reminders": ScheduleKind.REMINDER,
    "reminder": ScheduleKind.REMINDER,
}
USAGE = "!schedule digest|reminders HH:MM [mon-fri], !schedule off digest|reminders"


@dataclass(frozen=True)
class ScheduleArgs:
    """Turn the ``kind`` schedule on at ``time`` on ``days``, or off (``time`` is ``None``).

    ``days`` is ``None`` when none were given: the schedule keeps the days it has.
    """

    kind: ScheduleKind
    time: TimeOfDay | None
    days: Weekdays | None = None


def kind_of(token: str) -> ScheduleKind:
    """``digest`` or ``reminders`` (singular or plural)."""
    return conv.choice("kind", token, KIND_WORDS)


def schedule_args(typed: StaffCommand) -> ScheduleArgs:
    """``digest 18:00 [mon-fri]`` or ``off digest``."""
    args = typed.args
    if len(args) < 2:
        raise BadArgument.missing("time" if args else "kind")
    if args[0].lower() == "off":
        return ScheduleArgs(kind_of(args[1]), None)
    return from_options(args[0], args[1], args[2] if len(args) > 2 else None)


def from_options(kind: str, time: str, days: str | None) -> ScheduleArgs:
    """The arguments from separate values (Discord's options): ``time`` may be ``off``."""
    parsed_kind = kind_of(kind)
    if time.strip().lower() == "off":
        return ScheduleArgs(parsed_kind, None)
    return ScheduleArgs(parsed_kind, conv.time_of_day(time), conv.weekdays(days) if days else None)


@STAFF.command("schedule", roles=FACILITATOR, usage=USAGE, parse=schedule_args)
@in_worker
def schedule(x: Ctx, args: ScheduleArgs) -> list[str]:
    """Store the schedule (or turn it off) and tell the scheduler."""
    kind = args.kind.value
    if args.time is None:
        with x.store.session() as session:
            schedules.disable(session, x.ws.id, kind)
            audit(session, x.ws.id, x.actor, "schedule.off", {"kind": kind}, x.now)
        x.services.rebuild()
        return [x.t("staff.schedule_off", kind=kind)]
    time = args.time
    with x.store.session() as session:
        days = schedules.set_schedule(
            session,
            x.ws.id,
            kind,
            time.hour,
            time.minute,
            x.now,
            None if args.days is None else args.days.spec,
        )
        detail = {"kind": kind, "time": str(time), "days": days}
        audit(session, x.ws.id, x.actor, "schedule.set", detail, x.now)
    x.services.rebuild()
    if args.days is None and days != "*":
        return [
            x.t(
                "staff.schedule_kept_days",
                kind=kind,
                time=str(time),
                timezone=x.ws.timezone,
                days=days,
            )
        ]
    if days == "*":
        return [x.t("staff.schedule_set", kind=kind, time=str(time), timezone=x.ws.timezone)]
    return [
        x.t("staff.schedule_set_days", kind=kind, time=str(time), timezone=x.ws.timezone, days=days)
    ]
