"""One scripted citizen who answers every tier, and the rows that must exist afterwards."""

from __future__ import annotations

from sqlmodel import select

from storage.models import (
    Conversation,
    Need,
    Participant,
    Requirement,
    Scenario,
    Stakeholder,
    StakeholderLink,
)
from storage.store import Store

#: (line typed, step expected *after* the line is handled)
CITIZEN_LINES: list[tuple[str, str | None]] = [
    ("yes", "helix"),
    ("4", "domains"),
    ("mobility, health", "importance"),
    ("5", "satisfaction"),
    ("2", "need_text"),
    ("The bus stop is too far from the clinic", "hmw"),
    ("How might we bring the bus closer?", "need_confirm"),
    ("yes", "importance"),
    ("4", "satisfaction"),
    ("1", "need_text"),
    ("I cannot book a doctor without a smartphone", "hmw"),
    ("skip", "need_confirm"),
    ("yes", "scenario"),
    ("1", "sh_name"),
    ("City council", "sh_helix"),
    ("government", "sh_role"),
    ("funder", "sh_power"),
    ("5", "sh_interest"),
    ("3", "sh_salience"),
    ("1, 2", "sh_vulnerable"),
    ("older people", "sh_confirm"),
    ("yes", "sh_more"),
    ("yes", "sh_name"),
    ("Senior citizens' club", "sh_helix"),
    ("4", "sh_role"),
    ("beneficiary", "sh_power"),
    ("2", "sh_interest"),
    ("5", "sh_salience"),
    ("none", "sh_vulnerable"),
    ("none", "sh_confirm"),
    ("yes", "sh_more"),
    ("no", "link_ask"),
    ("yes", "link_source"),
    ("1", "link_relation"),
    ("funds", "link_target"),
    ("1", "link_confirm"),
    ("yes", "link_more"),
    ("no", "scenario_more"),
    ("no", "module"),
    ("Telehealth booking", "req_domain"),
    ("1", "as_a"),
    ("a resident over 70", "i_want"),
    ("to book a video visit by phone", "so_that"),
    ("I can see my doctor without travelling", "moscow"),
    ("must", "acceptance"),
    ("Given I phone the clinic, when I ask for a video visit, then I get a link", "req_confirm"),
    ("yes", "req_more"),
    ("no", None),
]

LINES = [line for line, _ in CITIZEN_LINES]


def assert_citizen_stored(store: Store, pseudonym: str) -> None:
    """Every answer of CITIZEN_LINES is stored once, with its tier, domain, scenario and links."""
    with store.session() as s:
        person = s.exec(select(Participant).where(Participant.pseudonym == pseudonym)).one()
        assert person.helix == "civil_society"
        assert person.consent_at is not None
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).one()
        assert conv.finished is True
        needs = s.exec(
            select(Need).where(Need.participant_id == person.id).order_by(Need.seq)
        ).all()
        assert [(n.domain_code, n.importance, n.satisfaction) for n in needs] == [
            ("mobility", 5, 2),
            ("health", 4, 1),
        ]
        assert needs[0].text == "The bus stop is too far from the clinic"
        assert needs[0].hmw == "How might we bring the bus closer?"
        assert needs[1].hmw is None
        scenario = s.exec(select(Scenario).where(Scenario.code == "telehealth_older")).one()
        holders = s.exec(
            select(Stakeholder)
            .where(Stakeholder.participant_id == person.id)
            .order_by(Stakeholder.seq)
        ).all()
        assert [(h.name, h.helix, h.role, h.power, h.interest) for h in holders] == [
            ("City council", "government", "funder", 5, 3),
            ("Senior citizens' club", "civil_society", "beneficiary", 2, 5),
        ]
        assert all(h.scenario_id == scenario.id for h in holders)
        assert holders[0].legitimacy and holders[0].urgency
        assert holders[0].vulnerable == ["older_people"]
        assert holders[1].vulnerable == []
        links = s.exec(
            select(StakeholderLink).where(StakeholderLink.participant_id == person.id)
        ).all()
        assert [(lk.source_id, lk.relation, lk.target_id) for lk in links] == [
            (holders[0].id, "funds", holders[1].id)
        ]
        assert links[0].scenario_id == scenario.id
        reqs = s.exec(select(Requirement).where(Requirement.participant_id == person.id)).all()
        assert len(reqs) == 1
        req = reqs[0]
        assert (req.module, req.domain_code, req.moscow, req.scenario_id) == (
            "Telehealth booking",
            "health",
            "must",
            scenario.id,
        )
        assert req.as_a == "a resident over 70"
        assert req.acceptance and req.acceptance.startswith("Given I phone")
