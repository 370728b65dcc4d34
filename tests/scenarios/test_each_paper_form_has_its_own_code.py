"""A library prints a stack of forms; each carries its own code, and the code follows the resident.

The volunteer prints three copies. Each copy has its own reference code: in the
volunteer's box, at the foot of every page (pages that come apart still find their
form) and on the slip the resident tears off and keeps. The copies are numbered page
by page on their own. Later the volunteer types one resident's form into the chat
under the code printed on it, and with that code shows the resident their data.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.app.assisted import normalise_code
from bot.cli.app import app as cli
from bot.runtime import Runtime
from storage.models import Assistance, Participant
from tests.citizen import LINES

runner = CliRunner()
CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")


@pytest.fixture
def volunteer(app: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", app.store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "test-secret")
    monkeypatch.setenv("CITYNEEDS_WORKSHOP", "city")
    return app


def _pages(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(path)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def test_three_copies_carry_three_codes_on_every_page_and_on_the_slip(
    volunteer: Runtime, tmp_path: Path
) -> None:
    out = tmp_path / "forms.pdf"
    done = runner.invoke(cli, ["form", "city", "--copies", "3", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "3 copies" in done.output
    pages = _pages(out)
    assert len(pages) % 3 == 0
    per_copy = len(pages) // 3
    codes: list[str] = []
    for copy in range(3):
        mine = pages[copy * per_copy : (copy + 1) * per_copy]
        found = {c for page in mine for c in CODE.findall(page)}
        assert len(found) == 1, found  # one code per copy, on all of its pages
        (code,) = found
        assert normalise_code(code) is not None
        assert all(code in page for page in mine)
        assert f"Reference code of this form: {code}." in " ".join(mine[0].split())
        assert f"Your reference code: {code}." in " ".join(mine[-1].split())
        for number, page in enumerate(mine, start=1):
            assert f"Page {number} of {per_copy}" in page
        codes.append(code)
    assert len(set(codes)) == 3


def test_a_form_typed_into_the_chat_under_its_printed_code_is_found_by_that_code(
    volunteer: Runtime, tmp_path: Path
) -> None:
    out = tmp_path / "form.pdf"
    assert runner.invoke(cli, ["form", "city", "--out", str(out)]).exit_code == 0
    (code,) = set(CODE.findall(_pages(out)[0]))
    typed = runner.invoke(
        cli,
        ["chat", "--on-behalf-of", "Mrs L.", "--consent", "paper", "--reference", code],
        input="\n".join(LINES[:8]) + "\n",
    )
    assert typed.exit_code == 0, typed.output
    assert f"Reference code: {code}" in typed.output
    shown = runner.invoke(cli, ["chat", "--reference", code.lower()], input="my data\n")
    assert shown.exit_code == 0, shown.output
    assert "Typed in for you by a volunteer (Mrs L.)" in shown.output
    with volunteer.store.session() as s:
        [helped] = s.exec(select(Assistance)).all()
        people = s.exec(select(Participant)).all()
    assert (helped.consent_mode, len(people)) == ("paper", 1)
    bad = runner.invoke(
        cli, ["chat", "--on-behalf-of", "Mr K.", "--reference", "K7QM-2XD"], input="yes\n"
    )
    assert bad.exit_code == 2 and "not a reference code" in bad.output
    with volunteer.store.session() as s:
        assert len(s.exec(select(Participant)).all()) == 1
