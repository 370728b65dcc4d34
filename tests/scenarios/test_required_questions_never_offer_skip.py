"""Issue 11, item 7: Gus cannot name his group at first and is never offered ``skip``.

A required question, after three failed tries, offers the numbered menu, ``help``
and ``stop``; typing ``skip`` anyway keeps him at the question and stores nothing.
The same holds for a required text question (the need in words).
"""

from __future__ import annotations

from sqlmodel import select

from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from storage.models import Need, Participant


def test_gus_is_offered_the_menu_help_and_stop_but_never_skip(app: Runtime) -> None:
    gus = ChatHarness(app.router, user="gus", workshop="city")
    gus.start()
    gus.say("yes")
    for attempt in ("my group is complicated", "blah", "dunno"):
        gus.say(attempt)
        assert gus.step == "helix"
    last = gus.text
    assert "needed to continue" in last and "help" in last and "stop" in last
    assert "skip" not in last.lower()
    # The numbered menu is in the reply itself.
    assert "1) Government" in last and "4) Civil society and residents" in last
    gus.say("skip")
    assert gus.step == "helix" and "cannot be skipped" in gus.text
    gus.say("3")
    assert gus.step == "domains"
    with app.store.session() as s:
        person = s.exec(
            select(Participant).where(
                Participant.pseudonym == app.router.pseudonym_for("test", "gus")
            )
        ).one()
        assert person.helix == "academia"


def test_a_required_text_question_never_suggests_skip(app: Runtime) -> None:
    gus = ChatHarness(app.router, user="gus2", workshop="city")
    gus.start()
    for line in ("yes", "4", "mobility", "5", "2"):
        gus.say(line)
    assert gus.step == "need_text"
    for attempt in ("no", "ok", "!!"):
        gus.say(attempt)
        assert gus.step == "need_text"
        assert "skip" not in gus.text.lower()
    assert "needed to continue" in gus.text
    gus.say("skip")
    assert gus.step == "need_text" and "cannot be skipped" in gus.text
    with app.store.session() as s:
        assert s.exec(select(Need)).all() == []
