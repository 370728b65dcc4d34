"""The README's walkthrough, run as written: facilitator, three citizens, moderator, digest.

Each line the README quotes as the bot's reply must come out of the real console
(``cityneeds chat`` on SQLite or PostgreSQL), so the walkthrough a new user follows
cannot drift from what the bot says.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.app import app as cli

runner = CliRunner()
README = Path(__file__).resolve().parents[2] / "README.md"

FACILITATOR = ["!policy pre review on", "!schedule digest 18:00 mon-fri", "!role moritz moderator"]
ANA = [
    "yes", "4", "mobility, health", "5", "2", "The bus stop is too far from the clinic",
    "How might we bring the bus closer?", "yes", "4", "1",
    "I cannot book a doctor without a smartphone", "skip", "yes",
    "2", "City council", "council", "funder", "5", "3", "legitimate", "elderly", "yes", "yes",
    "Senior citizens club", "resident", "beneficiary", "2", "5", "none", "none", "yes", "no",
    "yes", "1", "funds", "1", "yes", "no", "no",
]  # fmt: skip
MEI = [
    "是", "居民", "出行", "五", "二", "公交车站离诊所太远了，老人走不到", "跳过", "是",
    "1", "市交通局", "政府", "出钱", "5", "4", "无", "老人", "是", "否", "否",
]  # fmt: skip
TOM = [
    "yes", "industry", "housing", "hi, I am back", "99", "5", "2",
    "Rents near the station doubled in two years", "skip", "yes", "back", "forget me", "yes",
]  # fmt: skip
ANA_MICRO = [
    "hi", "Telehealth booking", "2", "a resident over 70", "to book a video visit by phone",
    "I can see my doctor without travelling", "M",
    "Given I phone the clinic, when I ask for a video visit, then I get a link by text message",
    "yes", "no",
]  # fmt: skip


@pytest.fixture
def riverside(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", db_url)
    monkeypatch.setenv("CITYNEEDS_WORKSHOP", "riverside-2026")
    monkeypatch.setenv("CITYNEEDS_SECRET", "walkthrough")
    create = ["workshop", "create", "riverside-2026", "--title", "Riverside 2026"]
    made = runner.invoke(cli, [*create, "--timezone", "Europe/Berlin"])
    assert made.exit_code == 0, made.output


def _chat(*args: str, lines: list[str]) -> str:
    result = runner.invoke(cli, ["chat", *args, "--echo"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    return result.output


def _quoted(section: str) -> list[str]:
    """The reply lines the README quotes in one ```text block after ``section``."""
    text = README.read_text(encoding="utf-8")
    start = text.index(section)
    block = text[text.index("```text", start) + len("```text") : text.index("```\n", start + 1)]
    return [
        line
        for line in block.splitlines()
        if line.strip() and not line.startswith(("> ", "$ ")) and line.strip() != "…"
    ]


def test_the_readme_walkthrough_says_what_the_bot_says(riverside: None) -> None:
    staff = _chat("--user", "fatima", "--admin", lines=[*FACILITATOR, "!close micro"])
    for line in _quoted("**1. The facilitator**"):
        assert line in staff, line
    ana = _chat("--user", "ana", lines=ANA)
    for line in _quoted("**2. Three citizens.**"):
        assert line in ana, line
    mei = _chat("--user", "mei", "--lang", "zh", lines=MEI)
    assert "出行与交通（第 1 项，共 1 项）：它对您有多重要？1 = 不重要，5 = 非常重要。" in mei
    tom = _chat("--user", "tom", lines=TOM)
    for line in ("Hello! That was not an answer, so nothing has changed.", "99 is outside"):
        assert line in tom, line
    assert "Done. We deleted your data." in tom

    queue = _chat("--user", "moritz", lines=["!queue", "!approve all"])
    code = re.search(r"!approve all confirm (\w+)", queue)
    assert code is not None, queue
    approved = _chat(
        "--user", "moritz", lines=[f"!approve all confirm {code.group(1)}", "!hide stakeholder 3"]
    )
    moderator = queue + approved
    for line in _quoted("**3. The moderator**"):
        assert re.sub(r"confirm \w+", "confirm", line) in re.sub(
            r"confirm \w+", "confirm", moderator
        ), line

    opened = _chat("--user", "fatima", lines=["!open micro"])
    assert "Waiting for it: 2." in opened  # Ana and Mei
    finished = _chat("--user", "ana", lines=ANA_MICRO)
    assert "You finished all three parts" in finished
    review = _chat("--user", "moritz", lines=["!approve requirement 1", "!digest draft"])
    posted = _chat("--user", "moritz", lines=["!digest approve"])
    for line in _quoted("**4. Micro opens"):
        if line.startswith(("Draft digest for", "The digest for")):
            line = re.sub(r"\d{4}-\d\d-\d\d", "", line)
            assert line in re.sub(r"\d{4}-\d\d-\d\d", "", review + posted), line
        else:
            assert line in review, line
