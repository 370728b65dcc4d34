"""Issue 15: a Spanish citizen completes all three tiers on the console, in Spanish.

Sofía starts ``cityneeds chat --lang es`` in a workshop that offers Spanish and
answers every question with Spanish words: "sí", "vecinos", "movilidad", "cinco",
"ninguno", "financia", "imprescindible", "no". She also asks for help and the
glossary on the way. Her answers are stored as typed, she reads the bot in
Spanish, and no English prompt reaches her. Both databases.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.cli.app import app as cli
from flows.kinds import HelixGroup
from flows.records import Moscow, Relation, StakeholderRole
from storage.store import Store

runner = CliRunner()

SOFIA = [
    "sí", "ayuda", "vecinos", "movilidad, salud", "cinco", "dos",
    "La parada del autobús está muy lejos del centro de salud", "saltar", "sí",
    "cuatro", "uno", "No puedo pedir cita sin un teléfono inteligente",
    "¿Cómo podríamos pedir cita por teléfono?", "glosario", "sí",
    "Movilidad de las personas mayores", "Ayuntamiento", "gobierno", "financiador", "5", "3",
    "1", "mayores", "sí", "sí",
    "Asociación de mayores", "vecinos", "beneficiario", "2", "5", "ninguno", "ninguno", "sí", "no",
    "sí", "1", "financia", "1", "sí", "no", "no",
    "mi progreso",
    "Citas por video", "salud", "una vecina de más de 70 años",
    "pedir una cita por video llamando por teléfono", "ver a mi médico sin viajar",
    "imprescindible",
    "Dado que llamo al centro de salud, cuando pido una cita por video, entonces recibo un enlace",
    "sí", "no", "mis datos",
]  # fmt: skip

#: English prompts that must not reach a Spanish citizen.
ENGLISH = [
    "Which group do you mainly speak for?",
    "Do you agree?",
    "how important is it to you?",
    "Pick a situation to look at.",
    "Type yes or no",
    "Save it?",
    "Thank you! You finished all three parts.",
]


@pytest.fixture
def plaza(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", db_url)
    monkeypatch.setenv("CITYNEEDS_WORKSHOP", "plaza-2026")
    monkeypatch.setenv("CITYNEEDS_SECRET", "spanish")
    create = ["workshop", "create", "plaza-2026", "--title", "Plaza 2026", "--timezone"]
    made = runner.invoke(cli, [*create, "Europe/Madrid", "--lang", "es", "--lang", "en"])
    assert made.exit_code == 0, made.output


def test_a_spanish_citizen_finishes_all_three_tiers_in_spanish(plaza: None, db_url: str) -> None:
    typed = "\n".join(SOFIA) + "\n"
    result = runner.invoke(cli, ["chat", "--user", "sofia", "--lang", "es", "--echo"], input=typed)
    assert result.exit_code == 0, result.output
    out = result.output

    assert "¿A qué grupo representa usted sobre todo?" in out
    assert "¿Está de acuerdo?" in out
    assert "El taller escucha a cuatro grupos" in out  # help, in Spanish
    assert "Cuádruple hélice:" in out  # the glossary, in Spanish
    assert "Elija una situación para mirar." in out
    assert "Usted está en:" in out and "2 necesidades" in out  # status, plurals in Spanish
    assert "¡Gracias! Terminó las tres partes." in out
    assert "Idioma: Español. Permiso dado: Sí." in out  # my data
    for english in ENGLISH:
        assert english not in out, english

    store = Store(db_url)
    try:
        ws = store.find_workshop("plaza-2026")
        assert ws is not None
        snap = store.snapshot(ws.id)
    finally:
        store.dispose()
    (citizen,) = snap.participants
    assert citizen.locale == "es" and citizen.consented and citizen.finished
    assert citizen.helix is HelixGroup.CIVIL_SOCIETY
    needs = {n.domain: n for n in snap.needs}
    assert set(needs) == {"mobility", "health"}
    assert (needs["mobility"].importance, needs["mobility"].satisfaction) == (5, 2)
    assert (needs["health"].importance, needs["health"].satisfaction) == (4, 1)
    assert needs["mobility"].hmw is None
    assert needs["health"].hmw == "¿Cómo podríamos pedir cita por teléfono?"
    assert needs["health"].text == "No puedo pedir cita sin un teléfono inteligente"
    people = {s.name: s for s in snap.stakeholders}
    assert set(people) == {"Ayuntamiento", "Asociación de mayores"}
    council = people["Ayuntamiento"]
    assert (council.helix, council.role) == (HelixGroup.GOVERNMENT, StakeholderRole.FUNDER)
    assert (council.power, council.interest, council.legitimacy) == (5, 3, True)
    assert [v.value for v in council.vulnerable] == ["older_people"]
    seniors = people["Asociación de mayores"]
    assert (seniors.helix, seniors.role) == (HelixGroup.CIVIL_SOCIETY, StakeholderRole.BENEFICIARY)
    (link,) = snap.links
    assert link.relation is Relation.FUNDS
    assert (link.source_id, link.target_id) == (council.id, seniors.id)
    (story,) = snap.requirements
    assert story.module == "Citas por video" and story.domain == "health"
    assert story.so_that == "ver a mi médico sin viajar"
    assert story.moscow is Moscow.MUST
