"""Arabic on the console: ``cityneeds chat`` prints right-to-left lines with their marks.

Every reply line starts with RLM (U+200F) and a Latin word or a number filled in
is isolated with FSI (U+2068) … PDI (U+2069), so a terminal that applies the
bidirectional algorithm shows "Bus 42" and "4" in place. A facilitator who pastes
a command back from an Arabic reply, marks included, is understood.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.cli.app import app as cli

runner = CliRunner()
RLM, FSI, PDI = "\u200f", "\u2068", "\u2069"


@pytest.fixture
def riyadh(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", db_url)
    monkeypatch.setenv("CITYNEEDS_WORKSHOP", "riyadh-2026")
    monkeypatch.setenv("CITYNEEDS_SECRET", "right-to-left")
    create = ["workshop", "create", "riyadh-2026", "--title", "Riyadh 2026"]
    made = runner.invoke(cli, [*create, "--timezone", "Asia/Riyadh"])
    assert made.exit_code == 0, made.output


def _chat(*args: str, lines: list[str]) -> list[str]:
    result = runner.invoke(cli, ["chat", *args], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    return result.output.split("\n")


def test_an_arabic_citizen_reads_marked_lines_on_the_console(riyadh: None) -> None:
    out = _chat("--user", "amira", "--lang", "ar", lines=["مرحبا", "نعم", "Bus 42"])
    assert f"{RLM}  1) {FSI}{RLM}نعم{PDI}" in out
    assert f"{RLM}  4) {FSI}{RLM}المجتمع المدني والسكان{PDI}" in out
    assert (
        f"{RLM}لم أجد خيارًا يطابق «{FSI}Bus 42{PDI}». "
        f"اكتب رقمًا من 1 إلى {FSI}4{PDI}، أو اسم الخيار."
    ) in out
    arabic = [line for line in out if any("\u0600" <= ch <= "\u06ff" for ch in line)]
    assert arabic and all(line.startswith(RLM) for line in arabic)


def test_a_staff_command_pasted_with_marks_is_understood(riyadh: None) -> None:
    out = _chat("--user", "fatima", "--admin", lines=[f"{RLM}!close {FSI}micro{PDI}"])
    assert "Open tiers in riyadh-2026: Macro (city domains), Meso (stakeholders)." in out
