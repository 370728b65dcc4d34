"""A workshop set up before Arabic was shipped shows its scenarios in Arabic all the same.

A workshop keeps the scenario titles it had when the scenarios were added. Here one
of them is as the library wrote it (in English and Chinese only, as before Arabic,
Spanish and French came), and one was reworded by the facilitator. The first gains
the library's newer translations; the facilitator's own wording is never replaced by
a translation of something else. Both databases.
"""

from __future__ import annotations

from sqlmodel import col, select

from bot.runtime import Runtime
from flows.library import scenario_library
from storage.models import Scenario


def test_library_wording_gains_new_languages_and_own_wording_stays_as_written(
    app: Runtime,
) -> None:
    ws = app.store.find_workshop("city")
    assert ws is not None
    library = {t.code: t for t in scenario_library()}
    with app.store.session() as session:
        first, second = session.exec(
            select(Scenario).where(Scenario.workshop_id == ws.id).order_by(col(Scenario.id))
        ).all()[:2]
        old = library[first.code]
        first.title = {"en": old.title["en"], "zh": old.title["zh"]}
        first.description = {"en": old.description["en"]}
        second.title = {"en": "Our own question about the buses"}
        session.add_all([first, second])
        codes = (first.code, second.code)

    found = {s.code: s for s in app.store.scenarios(ws.id)}
    assert found[codes[0]].title == library[codes[0]].title  # ar, es, fr filled in
    assert found[codes[0]].title["ar"] == library[codes[0]].title["ar"]
    assert found[codes[0]].description["fr"] == library[codes[0]].description["fr"]
    assert found[codes[1]].title == {"en": "Our own question about the buses"}

    snapshot = {s.code: s for s in app.store.snapshot(ws.id).scenarios}
    assert snapshot[codes[0]].title["es"] == library[codes[0]].title["es"]
    assert snapshot[codes[1]].title == {"en": "Our own question about the buses"}
