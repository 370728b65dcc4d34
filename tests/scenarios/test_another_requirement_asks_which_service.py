"""Issue 11, item 8: "Add another requirement?" asks whether it is for the same service.

Hana writes a story for "Telehealth booking", adds another for a different
service (named anew, with its own domain), then a third for that same service
(no service question again). Each requirement is stored under the service it
was written for.
"""

from __future__ import annotations

from sqlmodel import select

from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from storage.models import Requirement
from tests.citizen import CITIZEN_LINES

#: Everything up to and including the first saved requirement (at "Add another requirement?").
TO_REQ_MORE = [line for line, _ in CITIZEN_LINES[: CITIZEN_LINES.index(("yes", "req_more")) + 1]]
STORY = [
    "a bus rider",
    "to see the next bus on my phone",
    "I do not wait in the cold",
    "should",
    "skip",
]


def test_hana_is_asked_which_service_each_next_story_is_for(app: Runtime) -> None:
    hana = ChatHarness(app.router, user="hana", workshop="city")
    hana.start()
    for line in TO_REQ_MORE:
        hana.say(line)
    assert hana.step == "req_more"
    hana.say("yes")
    assert hana.step == "req_service"
    assert "same service, “Telehealth booking”, or for another one" in hana.text
    assert "1) The same service" in hana.text and "2) Another service" in hana.text

    hana.say("2")
    assert hana.step == "module"
    hana.say("Bus arrival times")
    assert hana.step == "req_domain"
    hana.say("2")  # mobility (her chosen domains are listed in library order: health, mobility)
    for line in STORY:
        hana.say(line)
    assert hana.step == "req_confirm" and "Bus arrival times" in hana.text
    hana.say("yes")
    hana.say("yes")
    assert hana.step == "req_service" and "“Bus arrival times”" in hana.text

    hana.say("1")
    assert hana.step == "as_a"
    for line in (
        "a parent",
        "the bus stop to say when the bus is full",
        "I plan ahead",
        "could",
        "skip",
    ):
        hana.say(line)
    hana.say("yes")
    hana.say("no")
    assert hana.last is not None and "finished all three parts" in hana.text

    with app.store.session() as s:
        rows = s.exec(select(Requirement).order_by(Requirement.seq)).all()
        assert [(r.module, r.domain_code, r.as_a) for r in rows] == [
            ("Telehealth booking", "health", "a resident over 70"),
            ("Bus arrival times", "mobility", "a bus rider"),
            ("Bus arrival times", "mobility", "a parent"),
        ]
