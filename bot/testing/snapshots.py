"""Synthetic, seeded workshop snapshots of any size, for digest tests and benchmarks.

The shape follows what the scripts store: each participant rates two or three
domains, most name stakeholders for one scenario (from a shared vocabulary with
spelling variants and a long tail of unique names), some link them, and many
write one or two requirements. The same ``(participants, seed)`` always gives
the same snapshot.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from flows.library import default_domains, scenario_library
from storage.keys import stakeholder_key
from storage.snapshot import WorkshopSnapshot

HELIX = ("government", "industry", "academia", "civil_society")
ROLES = ("beneficiary", "provider", "operator", "regulator", "funder", "affected")
RELATIONS = ("funds", "regulates", "serves", "shares_data", "collaborates", "conflicts")
MOSCOW = ("must", "should", "could", "wont")
VULNERABLE = ("older_people", "disabled_people", "children", "low_income", "migrants")
#: Stakeholder names everybody uses, by helix group.
COMMON_STAKEHOLDERS = {
    "government": ("City council", "Health department", "Transport authority", "Social services"),
    "industry": ("Bus operator", "Telecom company", "Energy utility", "Water company"),
    "academia": ("University hospital", "Urban lab", "Technical university"),
    "civil_society": ("Residents' association", "Senior citizens' club", "Food bank"),
}
NEEDS = (
    "The nearest bus stop is too far for people who walk with a stick.",
    "I cannot book a doctor without a smartphone.",
    "Rents have doubled and young families are moving away.",
    "The river floods our street every spring and nobody warns us.",
    "There is nowhere cool to go during heat waves.",
)
MODULES = ("Clinic booking", "Flood alerts", "Bus on demand", "Cool rooms finder", "Heating aid")
START = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def synthetic_snapshot(
    participants: int, seed: int = 7, *, title: str = "Synthetic workshop"
) -> WorkshopSnapshot:
    """Build a snapshot of ``participants`` simulated citizens (seeded, reproducible)."""
    rng = random.Random(seed)
    domains = default_domains()
    library = scenario_library()
    snap = WorkshopSnapshot(
        workshop={
            "id": 1,
            "slug": "synthetic",
            "title": title,
            "timezone": "UTC",
            "languages": ["en", "zh"],
            "open_tiers": ["macro", "meso", "micro"],
        }
    )
    snap.domains = [
        {"code": d.code, "iso_theme": d.iso_theme, "sdgs": list(d.sdgs)} for d in domains
    ]
    snap.scenarios = [
        {"id": i, "code": s.code, "title": dict(s.title), "domains": list(s.domains)}
        for i, s in enumerate(library, start=1)
    ]
    # Popular domains and scenarios come up more often, as in real workshops.
    domain_weights = [1.0 / (rank + 1) ** 0.6 for rank in range(len(domains))]
    scenario_weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(library))]
    ids = {"need": 0, "stakeholder": 0, "link": 0, "requirement": 0}

    def next_id(kind: str) -> int:
        ids[kind] += 1
        return ids[kind]

    for pid in range(1, participants + 1):
        helix = HELIX[pid % 4]
        reached = rng.random()
        script = "macro" if reached < 0.15 else "meso" if reached < 0.35 else "micro"
        finished = reached >= 0.55
        at = START + timedelta(seconds=pid * 7)
        snap.participants.append(
            {
                "id": pid,
                "helix": helix,
                "role": "citizen",
                "locale": "zh" if pid % 3 == 2 else "en",
                "consented": True,
                "script": script,
                "finished": finished,
            }
        )
        picked = {d.code for d in rng.choices(domains, weights=domain_weights, k=3)}
        for code in sorted(picked):
            snap.needs.append(
                {
                    "id": next_id("need"),
                    "participant_id": pid,
                    "domain": code,
                    "text": f"{rng.choice(NEEDS)} ({pid})",
                    "hmw": None,
                    "importance": rng.randint(2, 5),
                    "satisfaction": rng.randint(1, 4),
                    "status": "approved",
                    "created_at": at,
                }
            )
        if script == "macro":
            continue
        scenario = rng.choices(snap.scenarios, weights=scenario_weights, k=1)[0]
        named: list[int] = []
        for _ in range(rng.randint(2, 3)):
            group = rng.choice(HELIX)
            if rng.random() < 0.1:
                name = f"Neighbourhood group {rng.randint(1, participants)}"
            else:
                name = rng.choice(COMMON_STAKEHOLDERS[group])
            sid = next_id("stakeholder")
            named.append(sid)
            flags = rng.random()
            # Each common stakeholder has a typical power and interest that people share.
            typical = random.Random(name)
            power = min(5, max(1, typical.randint(1, 5) + rng.choice((-1, 0, 0, 1))))
            interest = min(5, max(1, typical.randint(1, 5) + rng.choice((-1, 0, 0, 1))))
            snap.stakeholders.append(
                {
                    "id": sid,
                    "participant_id": pid,
                    "scenario_id": scenario["id"],
                    "name": name,
                    "key": stakeholder_key(name),
                    "helix": group,
                    "role": rng.choice(ROLES),
                    "power": power,
                    "interest": interest,
                    "legitimacy": flags < 0.6,
                    "urgency": flags > 0.5,
                    "vulnerable": [rng.choice(VULNERABLE)] if flags < 0.2 else [],
                    "status": "approved",
                    "created_at": at,
                }
            )
        if len(named) >= 2:
            source, target = rng.sample(named, 2)
            snap.links.append(
                {
                    "id": next_id("link"),
                    "participant_id": pid,
                    "scenario_id": scenario["id"],
                    "source_id": source,
                    "target_id": target,
                    "relation": rng.choice(RELATIONS),
                    "weight": 1.0,
                    "status": "approved",
                    "created_at": at,
                }
            )
        if script != "micro":
            continue
        for _ in range(rng.randint(1, 2)):
            snap.requirements.append(
                {
                    "id": next_id("requirement"),
                    "participant_id": pid,
                    "scenario_id": scenario["id"],
                    "domain": rng.choice(scenario["domains"]),
                    "module": rng.choice(MODULES),
                    "as_a": "a resident over 70",
                    "i_want": "to book a visit by phone",
                    "so_that": "I can see a doctor without help",
                    "moscow": rng.choices(MOSCOW, weights=(5, 3, 2, 1), k=1)[0],
                    "acceptance": "Given I phone, when I ask, then I get a time within a week",
                    "status": "approved",
                    "created_at": at,
                }
            )
    return snap


def add_contribution(snap: WorkshopSnapshot, text: str, **overrides: Any) -> None:
    """Append one participant whose need, stakeholder and requirement all carry ``text``.

    Used to check that hostile or unusual text is escaped in every output.
    """
    pid = len(snap.participants) + 1
    scenario = snap.scenarios[0]
    at = overrides.get("created_at", START)
    snap.participants.append(
        {
            "id": pid,
            "helix": "civil_society",
            "role": "citizen",
            "locale": "en",
            "consented": True,
            "script": "micro",
            "finished": True,
        }
    )
    need_id = max((n["id"] for n in snap.needs), default=0) + 1
    snap.needs.append(
        {
            "id": need_id,
            "participant_id": pid,
            "domain": overrides.get("domain", "mobility"),
            "text": text,
            "hmw": None,
            "importance": 5,
            "satisfaction": 1,
            "status": "approved",
            "created_at": at,
        }
    )
    sid = max((s["id"] for s in snap.stakeholders), default=0) + 1
    snap.stakeholders.append(
        {
            "id": sid,
            "participant_id": pid,
            "scenario_id": scenario["id"],
            "name": text[:200],
            "key": stakeholder_key(text[:200]),
            "helix": "civil_society",
            "role": "affected",
            "power": 5,
            "interest": 5,
            "legitimacy": True,
            "urgency": True,
            "vulnerable": [],
            "status": "approved",
            "created_at": at,
        }
    )
    rid = max((r["id"] for r in snap.requirements), default=0) + 1
    snap.requirements.append(
        {
            "id": rid,
            "participant_id": pid,
            "scenario_id": scenario["id"],
            "domain": "mobility",
            "module": text[:200],
            "as_a": text,
            "i_want": text,
            "so_that": None,
            "moscow": "must",
            "acceptance": None,
            "status": "approved",
            "created_at": at,
        }
    )
