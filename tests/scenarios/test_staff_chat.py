"""Facilitators set up and export a workshop from the chat; citizens cannot."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from bot.adapters.console import run_console
from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from storage.audit import audit_rows
from tests.citizen import LINES


def _facilitator(app: Runtime) -> ChatHarness:
    return ChatHarness(app.router, user="fac", workshop="city", is_platform_admin=True)


def _citizen(app: Runtime, user: str = "ana") -> ChatHarness:
    chat = ChatHarness(app.router, user=user, workshop="city")
    chat.start()
    for line in LINES:
        chat.say(line)
    return chat


def test_a_facilitator_sets_timezone_and_languages_and_mistakes_change_nothing(
    app: Runtime,
) -> None:
    fac = _facilitator(app)
    assert "timezone UTC; languages en, zh" in fac.say("!settings")[-1].text
    reply = fac.say("!settings timezone Europe/Berlin languages zh,en")[-1].text
    assert reply == "city: timezone Europe/Berlin; languages zh, en."
    assert "Nothing was changed" in fac.say("!settings timezone Mars/Olympus")[-1].text
    assert "I have no messages in pt" in fac.say("!settings languages pt")[-1].text
    assert fac.say("!settings colour blue")[-1].text.startswith("Usage: !settings")
    ws = app.store.find_workshop("city")
    assert ws is not None and (ws.timezone, ws.languages) == ("Europe/Berlin", ("zh", "en"))
    with app.store.session() as s:
        actions = [r["action"] for r in audit_rows(s, ws.id)]
    assert actions.count("settings.set") == 1


def test_a_facilitator_gets_every_export_as_one_file_and_a_citizen_is_refused(
    app: Runtime,
) -> None:
    _citizen(app)
    fac = _facilitator(app)
    fac.say("!export html")
    assert fac.last is not None
    # The report and the SVG copies it links to, together, so the links keep working.
    [bundle] = fac.last.files
    assert bundle.name == "city-html.zip"
    archive = zipfile.ZipFile(io.BytesIO(bundle.data))
    assert sorted(archive.namelist()) == ["city-grid.svg", "city-map.svg", "city.html"]
    assert b"data:image/png;base64," in archive.read("city.html")
    assert "Here is the export: city-html.zip" in fac.text
    fac.say("!export csv")
    [csv_zip] = fac.last.files
    assert csv_zip.name == "city-csv.zip"
    names = zipfile.ZipFile(io.BytesIO(csv_zip.data)).namelist()
    assert "city-csv/needs.csv" in names and "city-csv/requirements.csv" in names
    fac.say("!export json")
    assert json.loads(fac.last.files[0].data)["format"] == "cityneeds.workshop-map"
    assert fac.say("!export pdf")[-1].text.startswith("Usage: !export csv|json")
    citizen = ChatHarness(app.router, user="ana", workshop="city")
    assert "Only a facilitator" in citizen.say("!export html")[-1].text
    assert citizen.last is not None and citizen.last.files == []


def test_the_console_saves_an_export_next_to_where_it_runs(app: Runtime, tmp_path: Path) -> None:
    _citizen(app)
    out = io.StringIO()
    (tmp_path / "city-md.zip").write_bytes(b"an older export")
    run_console(
        app.router,
        user="operator",
        workshop="city",
        stdin=io.StringIO("!export md\n"),
        stdout=out,
        files_to=tmp_path,
        admin=True,
    )
    assert "You are now a facilitator of city" in out.getvalue()
    assert f"Saved city-md.zip as {tmp_path / 'city-md-2.zip'}" in out.getvalue()
    archive = zipfile.ZipFile(tmp_path / "city-md-2.zip")
    assert sorted(archive.namelist()) == [
        "city-grid.png",
        "city-grid.svg",
        "city-map.png",
        "city-map.svg",
        "city.md",
    ]
    assert (tmp_path / "city-md.zip").read_bytes() == b"an older export"  # never overwritten
