"""Roles, moderation, audit and participant rights through the router (both databases)."""

from __future__ import annotations

import asyncio
import html
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel, select

from bot.adapters.console import run_console
from bot.config import Settings
from bot.digest.exports import FORMATS, export_files
from bot.runtime import Runtime, ensure_workshop, open_runtime
from bot.testing.clock import FakeClock
from bot.testing.harness import ChatHarness
from bot.testing.poster import RecordingPoster
from storage.audit import audit_rows
from storage.models import Need
from storage.store import Store
from tests.citizen import LINES

PHONE_NEED = "Call me on +49 30 1234567 about the bus stop"


@pytest.fixture
def rt(store: Store) -> Iterator[Runtime]:
    clock = FakeClock(datetime(2026, 11, 2, 9, tzinfo=UTC))
    runtime = open_runtime(
        Settings(database_url=store.url, secret="mod-secret"),
        store=store,
        poster=RecordingPoster(clock),
        clock=clock,
    )
    ensure_workshop(runtime.store, "city", "Test city")
    yield runtime
    runtime.router.close()


def _say(rt: Runtime, user: str, line: str, **kw: object) -> str:
    chat = ChatHarness(rt.router, user=user, workshop="city", **kw)  # type: ignore[arg-type]
    return "\n".join(r.text for r in chat.say(line))


def _citizen(rt: Runtime, user: str, need: str | None = None) -> None:
    chat = ChatHarness(rt.router, user=user, workshop="city")
    chat.start()
    for index, line in enumerate(LINES):
        chat.say(need if need and index == 5 else line)


def _staff(rt: Runtime) -> tuple[str, str]:
    """A facilitator (bootstrapped as platform admin) who makes 'mo' a moderator."""
    assert "is now moderator" in _say(rt, "fa", "!role mo moderator", is_platform_admin=True)
    return "fa", "mo"


def _exports_text(rt: Runtime) -> str:
    """Every export format of the workshop, decoded (pictures left out)."""
    ws = rt.store.find_workshop("city")
    assert ws is not None
    snap = rt.store.snapshot(ws.id)
    chunks = []
    for fmt in FORMATS:
        files = export_files(snap, fmt, rt.router.core.catalogs, name=f"x/city.{fmt}")
        for path, data in files.items():
            if path.endswith(".png"):
                continue
            text = data.decode("utf-8")
            if fmt in ("json", "kumu"):
                text = json.dumps(json.loads(text), ensure_ascii=False)
            chunks.append(html.unescape(text))
    return "\n".join(chunks)


def _digest_text(rt: Runtime) -> str:
    ws = rt.store.find_workshop("city")
    assert ws is not None
    return str(rt.digests.build_body(ws, "check")["text"])


STAFF_COMMANDS = [
    "!open meso",
    "!close macro",
    "!schedule digest 18:00",
    "!policy pre",
    "!role me facilitator",
    "!queue",
    "!hide need 1 spam",
    "!redact need 1",
    "!digest approve",
]


def test_a_citizen_cannot_run_staff_commands(rt: Runtime) -> None:
    _citizen(rt, "cid")
    before = rt.store.find_workshop("city")
    for command in STAFF_COMMANDS:
        reply = _say(rt, "cid", command)
        assert reply.startswith("Only a"), (command, reply)
        assert "Nothing was changed" in reply
    assert rt.store.find_workshop("city") == before
    with rt.store.session() as s:
        rows = audit_rows(s, before.id if before else 0)
        statuses = set(s.exec(select(Need.status)).all())
    assert [r["action"] for r in rows] == ["refused"] * len(STAFF_COMMANDS)
    assert statuses == {"approved"}


def test_the_console_adapter_refuses_staff_commands_from_citizens(rt: Runtime) -> None:
    out = io.StringIO()
    run_console(
        rt.router,
        user="console-citizen",
        workshop="city",
        stdin=io.StringIO("yes\n!close macro\n"),
        stdout=out,
    )
    assert "Only a facilitator can use “!close”. Nothing was changed." in out.getvalue()
    ws = rt.store.find_workshop("city")
    assert ws is not None and "macro" in ws.open_tiers


def test_a_moderator_hides_an_item_and_it_leaves_the_digest(rt: Runtime) -> None:
    _staff(rt)
    _citizen(rt, "a1", need="The river floods our cellar every spring")
    _citizen(rt, "a2")
    assert "The river floods our cellar every spring" in _digest_text(rt)
    with rt.store.session() as s:
        need_id = s.exec(select(Need.id).where(Need.text.startswith("The river"))).one()  # type: ignore[attr-defined]
    assert "The river floods our cellar every spring" in _exports_text(rt)
    assert "no longer appears" in _say(rt, "mo", f"!hide need {need_id} off topic")
    assert "The river floods our cellar every spring" not in _digest_text(rt)
    assert "The river floods our cellar every spring" not in _exports_text(rt)
    ws = rt.store.find_workshop("city")
    assert ws is not None
    assert all(
        n.text != "The river floods our cellar every spring" for n in rt.store.snapshot(ws.id).needs
    )


def test_pre_moderation_holds_items_until_approved(rt: Runtime) -> None:
    _staff(rt)
    assert "Moderation: pre" in _say(rt, "fa", "!policy pre")
    _citizen(rt, "p1", need="Benches at every bus stop please")
    assert "Benches at every bus stop please" not in _digest_text(rt)
    queue = _say(rt, "mo", "!queue")
    assert "Benches at every bus stop please" in queue
    with rt.store.session() as s:
        need_id = s.exec(select(Need.id).where(Need.text.startswith("Benches"))).one()  # type: ignore[attr-defined]
    _say(rt, "mo", f"!approve need {need_id}")
    assert "Benches at every bus stop please" in _digest_text(rt)


def test_hide_redact_and_digest_approval_are_audited(rt: Runtime) -> None:
    _staff(rt)
    _citizen(rt, "ph", need=PHONE_NEED)
    queue = _say(rt, "mo", "!queue")
    assert "personal data found (phone)" in queue
    with rt.store.session() as s:
        need_id = s.exec(select(Need.id).where(Need.text == PHONE_NEED)).one()
    assert "Removed phone" in _say(rt, "mo", f"!redact need {need_id}")
    with rt.store.session() as s:
        stored = s.exec(select(Need.text).where(Need.id == need_id)).one()
    assert stored == "Call me on [redacted] about the bus stop"
    _say(rt, "mo", f"!hide need {need_id} duplicate")
    asyncio.run(rt.staff.handle(ChatHarness(rt.router, "mo", "city").event("!digest draft")))
    assert "is posted" in _say(rt, "mo", "!digest approve")
    ws = rt.store.find_workshop("city")
    assert ws is not None
    with rt.store.session() as s:
        rows = audit_rows(s, ws.id)
    mo = rt.router.pseudonym_for("test", "mo")
    by_action = {r["action"]: r for r in rows}
    for action in ("moderation.redact", "moderation.hide", "digest.approve"):
        assert by_action[action]["actor"] == mo, action
        assert by_action[action]["created_at"] is not None
    assert by_action["moderation.redact"]["detail"] == {
        "kind": "need",
        "id": need_id,
        "removed": ["phone"],
        "fields": ["text"],
    }
    assert "1234567" not in json.dumps([r["detail"] for r in rows])
    assert by_action["moderation.hide"]["detail"]["reason"] == "duplicate"


def _all_rows_as_text(store: Store) -> str:
    dumped = []
    with store.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(text(f'SELECT * FROM "{table.name}"')):
                dumped.append(json.dumps([str(v) for v in row], ensure_ascii=False))
    return "\n".join(dumped)


def test_forget_me_removes_their_words_everywhere_and_keeps_others(rt: Runtime) -> None:
    mine, theirs = "My cellar floods near Mühlenweg 12", "Night buses stop too early"
    _citizen(rt, "leaving", need=mine)
    _citizen(rt, "staying", need=theirs)
    assert mine in _digest_text(rt) and mine in _exports_text(rt)
    _say(rt, "leaving", "forget me")
    assert "deleted your data" in _say(rt, "leaving", "yes")
    everything = _all_rows_as_text(rt.store)
    assert mine not in everything
    assert "How might we bring the bus closer?" in everything  # the other citizen's answers
    assert theirs in everything
    digest = _digest_text(rt)
    assert mine not in digest and theirs in digest
    exports = _exports_text(rt)
    assert mine not in exports and theirs in exports
