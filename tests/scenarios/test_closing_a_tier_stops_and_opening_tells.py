"""A facilitator closes macro while Ana and Bob are inside it, then opens it again.

Ana is in the middle of a need: she finishes it, is told macro closed, and waits.
Bob has just saved a need: his next message does not start another one. When macro
opens, Ana (reminders on) gets exactly one message, however often the tier is
toggled and however many schedulers run; Bob (reminders off) gets none. Both go
on at the question they were at, not at the start of macro. Carol, who reaches a
closed meso at the end of macro, is told once when meso opens.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import select

from bot.runtime import Runtime
from bot.scheduler.reminders import ReminderService
from bot.scheduler.tier_notices import TierNoticeService
from bot.testing.harness import ChatHarness
from bot.testing.poster import RecordingPoster
from storage.clock import utcnow
from storage.models import Conversation, Need, Participant
from storage.store import Store
from tests.citizen import LINES

#: Ana's lines up to the confirmation of her first need (mobility): an item in hand.
UP_TO_FIRST_CONFIRM = LINES[:7]
#: Bob's lines through the saved first need: the next question starts the second one.
THROUGH_FIRST_NEED = LINES[:8]


def _notices(app: Runtime, poster: RecordingPoster) -> TierNoticeService:
    return TierNoticeService(ReminderService(app.store, app.router.core.catalogs, poster))


def _conversation(app: Runtime, chat: ChatHarness) -> tuple[Conversation, int]:
    pseudonym = app.router.pseudonym_for(chat.platform, chat.user)
    with app.store.session() as s:
        person = s.exec(select(Participant).where(Participant.pseudonym == pseudonym)).one()
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).one()
        needs = s.exec(select(Need).where(Need.participant_id == person.id)).all()
        return conv, len(needs)


def test_closing_macro_stops_ana_after_her_need_and_opening_it_tells_her_once(
    app: Runtime,
) -> None:
    fac = ChatHarness(app.router, user="fac", workshop="city", is_platform_admin=True)
    ana = ChatHarness(app.router, user="ana", workshop="city", address="dm-ana")
    bob = ChatHarness(app.router, user="bob", workshop="city", address="dm-bob")
    for chat, lines in ((ana, UP_TO_FIRST_CONFIRM), (bob, THROUGH_FIRST_NEED)):
        chat.start()
        for line in lines:
            chat.say(line)
    assert (ana.step, bob.step) == ("need_confirm", "importance")
    bob.say("reminders off")

    fac.say("!close macro")

    # Ana finishes the need in hand; instead of the next question she is told macro closed.
    ana.say("yes")
    assert "closed the part “Macro (city domains)”" in ana.text
    assert ana.step is None
    conv, needs = _conversation(app, ana)
    assert (conv.waiting_tier, conv.wait_no, needs) == ("macro", 1, 1)
    # While it is closed she is held, and her commands still work.
    ana.say("4")
    assert "is not open yet" in ana.text and ana.step is None
    ana.say("my data")
    assert "The bus stop is too far from the clinic" in ana.text and ana.step is None
    assert _conversation(app, ana)[0].wait_no == 1

    # Bob had no item in hand: his "4" starts nothing; he is told macro closed.
    bob.say("4")
    assert "closed the part “Macro (city domains)”" in bob.text and bob.step is None
    conv, needs = _conversation(app, bob)
    assert (conv.waiting_tier, needs) == ("macro", 1)

    # Opening macro: the facilitator sees who waits; each reachable waiter is told once.
    assert "Waiting for it: 2." in fac.say("!open macro")[-1].text
    poster = RecordingPoster(clock=utcnow)
    assert asyncio.run(_notices(app, poster).send_due()) == 1
    fac.say("!close macro")
    fac.say("!open macro")
    second_replica = RecordingPoster(clock=utcnow)
    assert asyncio.run(_notices(app, poster).send_due()) == 0
    assert asyncio.run(_notices(app, second_replica).send_due()) == 0
    [notice] = poster.of("reminder")
    assert notice.address == "dm-ana"
    assert notice.text.startswith("News from “Test city”: the part “Macro (city domains)” is open")
    assert second_replica.sent == []

    # Both go on where they were: the second domain's importance, not the domain choice.
    ana.say("hi")
    assert ana.step == "importance" and "Welcome back" in ana.text
    bob.say("hi")
    assert bob.step == "importance"
    for chat in (ana, bob):
        chat.say("4")
        assert chat.step == "satisfaction"
        assert _conversation(app, chat)[0].waiting_tier is None


def test_carol_waiting_at_a_closed_meso_is_told_once_when_it_opens(app: Runtime) -> None:
    fac = ChatHarness(app.router, user="fac", workshop="city", is_platform_admin=True)
    fac.say("!close meso")
    carol = ChatHarness(app.router, user="carol", workshop="city", address="dm-carol")
    carol.start()
    for line in LINES[:13]:  # all of macro
        carol.say(line)
    assert "is not open yet" in carol.text and carol.step is None
    conv, needs = _conversation(app, carol)
    assert (conv.waiting_tier, conv.wait_no, needs) == ("meso", 1, 2)

    poster = RecordingPoster(clock=utcnow)
    assert asyncio.run(_notices(app, poster).send_due()) == 0  # still closed
    fac.say("!open Meso")
    assert asyncio.run(_notices(app, poster).send_due()) == 1
    assert asyncio.run(_notices(app, poster).send_due()) == 0
    assert [s.address for s in poster.of("reminder")] == ["dm-carol"]
    carol.say("hello")
    assert carol.step == "scenario"


def test_two_replicas_opening_at_once_tell_dan_once(app: Runtime) -> None:
    fac = ChatHarness(app.router, user="fac", workshop="city", is_platform_admin=True)
    fac.say("!close meso")
    dan = ChatHarness(app.router, user="dan", workshop="city", address="dm-dan")
    dan.start()
    for line in LINES[:13]:
        dan.say(line)
    fac.say("!open meso")
    posters = [RecordingPoster(clock=utcnow), RecordingPoster(clock=utcnow)]

    def replica(poster: RecordingPoster) -> int:
        store = Store(app.store.url)  # its own connections, as another process has
        try:
            reminders = ReminderService(store, app.router.core.catalogs, poster)
            return asyncio.run(TierNoticeService(reminders).send_due())
        finally:
            store.dispose()

    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = list(pool.map(replica, posters))
    assert sorted(counts) == [0, 1]
    assert [s.address for p in posters for s in p.of("reminder")] == ["dm-dan"]
