"""A citizen completes macro, meso and micro through the router (both databases)."""

from __future__ import annotations

from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from tests.citizen import CITIZEN_LINES, assert_citizen_stored


def test_citizen_completes_all_three_tiers(app: Runtime) -> None:
    chat = ChatHarness(app.router, user="ana", workshop="city")
    chat.start()
    assert chat.step == "consent"
    for line, expected in CITIZEN_LINES:
        chat.say(line)
        assert chat.step == expected, (line, chat.text)
    assert "finished all three parts" in chat.text
    assert_citizen_stored(app.store, app.router.pseudonym_for("test", "ana"))


def test_progress_is_shown_on_every_tier_prompt(app: Runtime) -> None:
    chat = ChatHarness(app.router, user="ben", workshop="city")
    chat.start()
    chat.say("yes")
    chat.say("1")
    assert "[Macro (city domains) · Step 1 of 6]" in chat.text
    chat.say("3")
    assert "Step 2 of 6" in chat.text


def test_my_data_lists_everything_and_forget_me_erases_it(app: Runtime) -> None:
    chat = ChatHarness(app.router, user="cai", workshop="city")
    chat.start()
    for line, _ in CITIZEN_LINES:
        chat.say(line)
    chat.say("my data")
    assert "The bus stop is too far from the clinic" in chat.text
    assert "City council" in chat.text and "Telehealth booking" in chat.text
    chat.say("forget me")
    assert "cannot be undone" in chat.text
    chat.say("yes")
    assert "deleted your data" in chat.text
    assert chat.last is not None and chat.last.participant_id is not None
    data = app.store.participant_data(chat.last.participant_id)
    assert data.needs == [] and data.stakeholders == [] and data.requirements == []
    assert data.links == [] and data.helix is None and not data.consent
