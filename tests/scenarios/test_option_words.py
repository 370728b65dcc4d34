"""Issue 11 item 6: citizens answer with words, not numbers, and are understood (rule 9).

An option is picked by its label, the synonyms the scripts list ("council",
"resident", "elderly"), a unique prefix, short Chinese ("出行", "必须"), single
letters ("M" for Must), and any case, width or spacing; when a word fits several
options, or is a near miss, the citizen gets a short numbered menu, not the
whole list and not a guess. Both databases.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from bot.identity import pseudonym
from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from storage.models import Need, Participant, Requirement, Stakeholder
from storage.store import Store


def _person(store: Store, app: Runtime, user: str) -> Participant:
    with store.session() as s:
        pseudonym = app.router.pseudonym_for("test", user)
        return s.exec(select(Participant).where(Participant.pseudonym == pseudonym)).one()


def test_a_resident_answers_every_choice_in_her_own_words(app: Runtime, store: Store) -> None:
    chat = ChatHarness(app.router, user="rosa", workshop="city")
    chat.start()
    chat.say("yes")
    chat.say("resident")  # a synonym the script lists for civil society
    assert chat.step == "domains"
    chat.say("Transport,   HEALTH")  # a domain synonym and a label, any case and spacing
    assert chat.step == "importance"
    chat.say("five")  # a number word on a scale
    chat.say("２")  # full-width digit
    chat.say("The bus stop is too far from the clinic")
    chat.say("skip")
    assert "Save it?" in chat.text
    chat.say("yes")
    chat.say("4/5")
    chat.say("1")
    chat.say("I cannot book a doctor without a smartphone")
    chat.say("skip")
    chat.say("yes")
    assert chat.step == "scenario"
    chat.say("mobility for older")  # a unique prefix of a scenario's title
    assert chat.step == "sh_name"
    assert "Mobility for older residents" in chat.text
    chat.say("City council")
    chat.say("council")  # the script's synonym for Government
    assert chat.step == "sh_role"
    chat.say("Sponsor")
    assert chat.step == "sh_power"
    chat.say("5")
    chat.say("3")
    chat.say("none")
    chat.say("elderly")  # the script's synonym for older people
    assert chat.step == "sh_confirm"
    assert "• Also: none" in chat.text and "(skipped)" not in chat.text
    assert "• Speaks for: Older people" in chat.text
    chat.say("yes")
    chat.say("no")
    assert chat.step == "scenario_more"
    chat.say("no")  # no other situation
    assert chat.step == "module"
    chat.say("Clinic bus")
    chat.say("出行")  # short Chinese for one of her two chosen domains
    assert chat.step == "as_a"
    chat.say("a resident over 70")
    chat.say("to ride to the clinic")
    chat.say("skip")
    chat.say("M")  # a single letter for Must
    assert chat.step == "acceptance"
    chat.say("skip")
    chat.say("yes")
    chat.say("no")
    assert "finished all three parts" in chat.text

    person = _person(store, app, "rosa")
    assert person.helix == "civil_society"
    with store.session() as s:
        needs = s.exec(select(Need).where(Need.participant_id == person.id).order_by(Need.seq))
        assert [(n.domain_code, n.importance, n.satisfaction) for n in needs] == [
            ("mobility", 5, 2),
            ("health", 4, 1),
        ]
        holder = s.exec(select(Stakeholder).where(Stakeholder.participant_id == person.id)).one()
        assert (holder.helix, holder.role, holder.vulnerable) == (
            "government",
            "funder",
            ["older_people"],
        )
        assert not holder.legitimacy and not holder.urgency
        req = s.exec(select(Requirement).where(Requirement.participant_id == person.id)).one()
        assert (req.domain_code, req.moscow) == ("mobility", "must")


def test_a_chinese_citizen_answers_with_short_words(app: Runtime, store: Store) -> None:
    chat = ChatHarness(app.router, user="li", workshop="city", locale="zh")
    chat.start()
    chat.say("是")
    chat.say("居民")  # a Chinese synonym for civil society
    assert chat.step == "domains"
    chat.say("出行，健康")  # label prefixes, with a Chinese comma
    assert chat.step == "importance"
    chat.say("五")
    assert chat.step == "satisfaction"
    chat.say("二")
    chat.say("公交车站离诊所太远了")
    chat.say("跳过")
    chat.say("是")
    assert chat.step == "importance"
    person = _person(store, app, "li")
    assert person.helix == "civil_society"
    with store.session() as s:
        need = s.exec(select(Need).where(Need.participant_id == person.id)).one()
        assert (need.domain_code, need.importance, need.satisfaction) == ("mobility", 5, 2)


def test_an_unsure_word_gets_a_short_menu_and_a_number_settles_it(app: Runtime) -> None:
    chat = ChatHarness(app.router, user="ugo", workshop="city")
    chat.start()
    chat.say("yes")
    replies = chat.say("goverment")  # a typo: offered, never guessed
    assert chat.step == "helix"
    assert replies[0].text == (
        "I could not match “goverment” exactly. Did you mean 1) Government? Type its number."
    )
    assert replies[0].buttons == ()  # a short menu, not the whole list again
    chat.say("1")
    assert chat.step == "domains"
    replies = chat.say("wast")  # fits two domains equally
    assert chat.step == "domains"
    assert replies[0].text == (
        "“wast” fits more than one option: 11) Waste and recycling, 16) Water and sanitation."
        " Type the number of the one you mean."
    )
    chat.say("11")
    assert chat.step == "importance"


def test_a_single_choice_asks_for_1_not_a_range(app: Runtime) -> None:
    chat = ChatHarness(app.router, user="ida", workshop="city")
    chat.start()
    for line in ("yes", "1", "health", "5", "1", "No doctor nearby", "skip", "yes"):
        chat.say(line)
    assert chat.step == "scenario"
    for line in ("1", "Clinic", "1", "1", "5", "5", "none", "none", "yes", "no", "no"):
        chat.say(line)
    assert chat.step == "module"
    replies = chat.say("Clinic booking")
    assert chat.step == "req_domain"
    assert replies[-1].text.endswith("  1) Health and care\nType 1, or the option's name.")
    assert "from 1 to 1" not in chat.text
    replies = chat.say("parks")
    assert "from 1 to 1" not in replies[0].text
    assert replies[0].text.startswith("I could not match “parks” to the option. Type 1")
    chat.say("1")
    assert chat.step == "as_a"


def test_the_console_understands_the_same_words(db_url: str, store: Store, tmp_path: Path) -> None:
    env = dict(os.environ)
    env.update(
        CITYNEEDS_DATABASE_URL=db_url,
        CITYNEEDS_SECRET="words-secret",
        CITYNEEDS_WORKSHOP="city",
        PYTHONUNBUFFERED="1",
    )
    lines = ["yes", "council", "wast", "11", "5", "1", "Bins overflow", "skip", "yes"]
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli.app", "chat", "--user", "vic"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "“wast” fits more than one option: 11) Waste and recycling" in done.stdout
    with store.session() as s:
        person = s.exec(
            select(Participant).where(
                Participant.pseudonym == pseudonym("words-secret", "console", "vic")
            )
        ).one()
        assert person.helix == "government"
        need = s.exec(select(Need).where(Need.participant_id == person.id)).one()
        assert (need.domain_code, need.importance, need.satisfaction) == ("waste", 5, 1)
