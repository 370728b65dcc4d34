"""Bad input gets a clear reply naming valid input; nothing is stored wrongly; the talk goes on."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from storage.models import Need, Stakeholder
from storage.store import Store

HUGE = "x" * 20_000
EMOJI = "🙂🎉🚌"
ARABIC = "الحافلات بعيدة جدا عن العيادة"
CHINESE = "公交车站离诊所太远了"
SQL = "'; DROP TABLE need;--"

BAD_FOR_A_CHOICE = [
    ("", "Please pick from 1 to 3"),
    (HUGE, "Type numbers from 1 to 16"),
    (EMOJI, "Type numbers from 1 to 16"),
    (ARABIC, "Type numbers from 1 to 16"),
    (CHINESE, "Type numbers from 1 to 16"),
    ("@everyone", "Type numbers from 1 to 16"),
    ("<!channel>", "Type numbers from 1 to 16"),
    (SQL, "Type numbers from 1 to 16"),
    ("99", "Type numbers from 1 to 16"),
    ("17", "Type numbers from 1 to 16"),
]


def _count(store: Store, table: type[Need] | type[Stakeholder]) -> int:
    with store.session() as s:
        return int(s.exec(select(func.count()).select_from(table)).one())


def _at_domains(app: Runtime, user: str) -> ChatHarness:
    chat = ChatHarness(app.router, user=user, workshop="city")
    chat.start()
    chat.say("yes")
    chat.say("civil society")
    assert chat.step == "domains"
    return chat


def test_bad_choices_are_refused_with_the_valid_options(app: Runtime) -> None:
    chat = _at_domains(app, "farah")
    for text, expected in BAD_FOR_A_CHOICE:
        replies = chat.say(text)
        assert chat.step == "domains", text[:30]
        assert replies[0].kind == "error"
        assert expected in replies[0].text, (text[:30], replies[0].text)
        assert len(replies[0].text) < 4000
        assert "16) Water and sanitation" in replies[0].text
    assert "skip to leave it out" not in chat.text  # a required step offers help/stop, not skip
    assert "needed to continue" in chat.text
    chat.say("13")
    assert chat.step == "importance"
    assert _count(app.store, Need) == 0


def test_bad_scale_values_name_the_range(app: Runtime) -> None:
    chat = _at_domains(app, "gus")
    chat.say("mobility")
    for text in ("99", "0", "-3", "lots", EMOJI, ""):
        replies = chat.say(text)
        assert chat.step == "importance"
        assert "whole number from 1 to 5" in replies[0].text
    assert "type skip to leave it out" in chat.text
    chat.say("５")  # full-width digits count
    assert chat.step == "satisfaction"


def test_free_text_keeps_any_script_and_symbols_verbatim(app: Runtime, store: Store) -> None:
    chat = _at_domains(app, "hana")
    chat.say("mobility, health")
    chat.say("5")
    chat.say("1")
    assert chat.step == "need_text"
    for text, expected in (
        ("", "did not get any text"),
        (HUGE, "That is 20000 characters; the limit is 2000"),
        (EMOJI, "not only symbols or emoji"),
    ):
        replies = chat.say(text)
        assert chat.step == "need_text"
        assert expected in replies[0].text
    risky = f"@everyone <!channel> **bold** {SQL}"
    chat.say(risky)
    chat.say("skip")
    chat.say("yes")
    chat.say("4")
    chat.say("2")
    chat.say(f"{ARABIC} {CHINESE}")
    chat.say("skip")
    chat.say("yes")
    assert chat.step == "scenario"
    with store.session() as s:
        texts = [n.text for n in s.exec(select(Need).order_by(Need.id)).all()]
    assert texts == [risky, f"{ARABIC} {CHINESE}"]


def test_a_duplicate_delivery_is_processed_once(app: Runtime) -> None:
    chat = _at_domains(app, "ivan")
    first = chat.say("mobility", delivery_id="evt-1")
    assert chat.step == "importance"
    again = app.router.handle_sync(chat.event("mobility", delivery_id="evt-1"))
    assert again.duplicate and again.replies == []
    assert first[0].step == "importance"
    chat.say("repeat")
    assert chat.step == "importance"


def test_a_crash_inside_a_turn_loses_nothing(app: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    chat = _at_domains(app, "jin")
    engine = app.router.core.engine
    real = engine.handle
    calls = {"n": 0}

    def flaky(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("simulated crash mid-turn")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "handle", flaky)
    replies = chat.say("mobility", delivery_id="evt-crash")
    assert "something went wrong on our side" in replies[0].text
    chat.say("mobility", delivery_id="evt-crash")  # the platform retries the same delivery
    assert chat.step == "importance"


@pytest.mark.parametrize("command", ["help", "back", "skip", "repeat", "stop"])
def test_commands_work_at_every_kind_of_step(app: Runtime, command: str) -> None:
    chat = _at_domains(app, f"kim-{command}")
    chat.say("mobility")
    chat.say("5")
    replies = chat.say(command)
    assert replies, command
    if command == "stop":
        assert "Paused" in chat.text
        chat.say("hello again")
        assert "Welcome back" in chat.text and chat.step == "satisfaction"
    elif command == "back":
        assert chat.step == "importance"
    elif command == "skip":
        assert chat.step == "need_text"
    else:
        assert chat.step == "satisfaction"


def test_an_empty_line_at_a_choice_says_no_answer_came_and_names_the_valid_input(
    app: Runtime,
) -> None:
    chat = ChatHarness(app.router, user="eli", workshop="city")
    chat.start()
    chat.say("yes")
    replies = chat.say("")
    assert chat.step == "helix"
    assert replies[0].text.startswith(
        "I did not get an answer. Type a number from 1 to 4, or the option's name.\n  1) Government"
    )
