"""Issue 15: a French citizen completes all three tiers on the console, in French.

Camille runs ``cityneeds chat --lang fr`` and answers with French words only
(« oui », « habitants », « mobilité », « cinq », « aucun », « passer »), asks for
help, the glossary, her progress and her data on the way. Every reply is French:
known French prompts appear and no English prompt of the scripts does. What she
gave is stored with the codes the rest of the product reads. Both databases.
"""

from __future__ import annotations

import string

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli.app import app as cli
from bot.core import load_core
from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from bot.testing.network import network_unreachable
from storage.models import Need, Participant, Requirement, Stakeholder, StakeholderLink
from storage.store import Store

runner = CliRunner()

CAMILLE = [
    "oui",
    "aide",
    "habitants",
    "mobilité, santé",
    "cinq",
    "deux",
    "L'arrêt de bus est trop loin du centre de santé",
    "passer",
    "oui",
    "quatre",
    "1",
    "Je ne peux pas prendre rendez-vous sans smartphone",
    "Comment pourrions-nous prendre rendez-vous par téléphone ?",
    "glossaire",
    "oui",
    "Se déplacer quand on est âgé",
    "Mairie",
    "pouvoirs publics",
    "financeur",
    "5",
    "4",
    "aucun",
    "personnes âgées",
    "oui",
    "oui",  # another stakeholder
    "Club des aînés",
    "société civile",
    "bénéficiaire",
    "2",
    "5",
    "1, 2",
    "aucun",
    "oui",
    "non",  # no more stakeholders
    "oui",  # links: yes
    "1",
    "sert",
    "1",
    "oui",
    "non",  # no more links
    "non",  # no other situation
    "où en suis-je",
    "mes données",
    "Prise de rendez-vous",
    "mobilité",
    "habitante de plus de 70 ans",
    "prendre rendez-vous par téléphone",
    "passer",
    "indispensable",
    "passer",
    "oui",
    "non",
]

#: Replies only the French catalog gives, one per tier and command used.
FRENCH = [
    "Êtes-vous d’accord ?",
    "Pour quel groupe parlez-vous surtout ?",
    "Vous pouvez taper ces mots à tout moment :",
    "Mobilité et transports (1 sur 2) : est-ce important pour vous ?",
    "Glossaire :",
    "Partie 2 sur 3 : qui joue un rôle dans une situation, et quels sont leurs liens ?",
    "Voici le lien : Mairie → sert → Club des aînés.",
    "Enregistré jusqu’ici : 2 besoins, 2 acteurs, 1 lien, 0 exigence.",
    "• Groupe : Société civile et habitants. Langue : Français. Accord donné : Oui.",
    "[Micro (exigences) · Étape 8 sur 8]",
    "Merci ! Vous avez fini les trois parties.",
]


def _english_prompts() -> set[str]:
    """The literal parts (12 characters or more) of every English prompt and hint of the scripts."""
    catalogs = load_core().catalogs
    keys = {k for k in catalogs.messages["en"] if k.startswith("hint.")}
    for script in load_core().engine.scripts.values():
        keys.update(step.prompt for step in script.steps)
    parts = set()
    for key in keys:
        for literal, _, _, _ in string.Formatter().parse(catalogs.template(key, "en")):
            parts.update(line.strip() for line in literal.splitlines() if len(line.strip()) >= 12)
    return parts


@pytest.fixture
def console(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "french")


def test_a_french_citizen_completes_every_tier_in_french(console: None, store: Store) -> None:
    result = runner.invoke(
        cli, ["chat", "--user", "camille", "--lang", "fr", "--echo"], input="\n".join(CAMILLE)
    )
    assert result.exit_code == 0, result.output
    out = result.output
    missing = [line for line in FRENCH if line not in out]
    assert missing == [], out[-2000:]
    english = sorted(p for p in _english_prompts() if p in out)
    assert "Which group do you mainly speak for?" in _english_prompts()
    assert english == []

    ws = store.find_workshop("city")
    assert ws is not None
    with store.session() as s:
        people = s.exec(select(Participant).where(Participant.workshop_id == ws.id)).all()
        needs = s.exec(select(Need).where(Need.workshop_id == ws.id)).all()
        stakeholders = s.exec(select(Stakeholder).where(Stakeholder.workshop_id == ws.id)).all()
        links = s.exec(select(StakeholderLink).where(StakeholderLink.workshop_id == ws.id)).all()
        stories = s.exec(select(Requirement).where(Requirement.workshop_id == ws.id)).all()
    assert [(p.locale, p.helix) for p in people] == [("fr", "civil_society")]
    assert sorted((n.domain_code, n.importance, n.satisfaction, n.hmw) for n in needs) == [
        ("health", 4, 1, "Comment pourrions-nous prendre rendez-vous par téléphone ?"),
        ("mobility", 5, 2, None),
    ]
    assert sorted(
        (x.name, x.helix, x.role, x.power, x.interest, x.legitimacy, x.urgency, x.vulnerable)
        for x in stakeholders
    ) == [
        ("Club des aînés", "civil_society", "beneficiary", 2, 5, True, True, []),
        ("Mairie", "government", "funder", 5, 4, False, False, ["older_people"]),
    ]
    by_id = {x.id: x.name for x in stakeholders}
    assert [(by_id[k.source_id], k.relation, by_id[k.target_id]) for k in links] == [
        ("Mairie", "serves", "Club des aînés")
    ]
    assert [(r.module, r.domain_code, r.as_a, r.i_want, r.moscow) for r in stories] == [
        (
            "Prise de rendez-vous",
            "mobility",
            "habitante de plus de 70 ans",
            "prendre rendez-vous par téléphone",
            "must",
        )
    ]


def test_a_french_writer_whose_chat_gives_no_language_is_offered_french(app: Runtime) -> None:
    with network_unreachable():
        chat = ChatHarness(app.router, user="luc", workshop="city")  # no platform locale
        chat.start()
        for line in ("yes", "4", "mobility", "5", "2"):
            chat.say(line)
        chat.say("L'arrêt de bus est trop loin de chez moi, je ne peux pas y aller à pied")
        chat.say("skip")
        chat.say("yes")  # the need is saved
        offer = "On dirait que vous écrivez en français. Pour passer au français, tapez : lang fr"
        assert offer in chat.text
        assert "Pick a situation" in chat.text  # offered, not forced
        chat.say("lang fr")
        assert chat.last is not None and chat.last.locale == "fr"
        assert "Langue : français." in chat.text
        assert "Choisissez une situation à regarder." in chat.text
