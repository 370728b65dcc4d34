"""Issue 11 item 17 and issue 15 "locale formatting": counts, numbers and times read right.

A facilitator in Berlin runs a small workshop; one citizen gives one need and one
stakeholder. Her status, the facilitator's progress and the digest say "1 need",
"1 stakeholder", "1 participant", never "1 needs"; the digest's "since" is Berlin
time written the English way (and Shanghai time the Chinese way), not UTC; a
multi-choice answered "none" reads "none", not "(skipped)". Both databases.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.digest.metrics import compute_metrics
from bot.digest.text import render_text
from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from flows.catalog import load_catalogs
from storage.store import Store

SINCE = datetime(2026, 1, 1, 16, 30, tzinfo=UTC)


def test_one_of_everything_is_counted_in_the_singular(app: Runtime, store: Store) -> None:
    fac = ChatHarness(app.router, "fac", "city", is_platform_admin=True)
    fac.say("!settings timezone Europe/Berlin")
    chat = ChatHarness(app.router, user="nina", workshop="city")
    chat.start()
    for line in ("yes", "1", "health", "5", "1", "No doctor nearby", "skip", "yes"):
        chat.say(line)
    assert chat.step == "scenario"
    for line in ("1", "Health office", "government", "regulator", "4", "2", "none", "none"):
        chat.say(line)
    assert chat.step == "sh_confirm"
    assert "• Also: none\n" in chat.text and "(skipped)" not in chat.text
    chat.say("yes")
    chat.say("status")
    assert "Saved so far: 1 need, 1 stakeholder, 0 relations, 0 requirements." in chat.text, (
        chat.text
    )

    fac.say("!progress")
    first = fac.text.splitlines()[0]
    assert first.startswith("1 participant. Reached macro 1"), first

    ws = store.find_workshop("city")
    assert ws is not None and ws.timezone == "Europe/Berlin"
    metrics = compute_metrics(store.snapshot(ws.id), since=SINCE)
    catalogs = load_catalogs()
    digest = render_text(metrics, catalogs, "en").splitlines()
    assert (
        "New since the last digest (Jan 1, 2026, 5:30\u202fPM): "
        "1 need, 1 stakeholder, 0 relations, 0 requirements."
    ) in digest
    assert "1. Health and care: gap 25.0 (1 need; importance 5.0, satisfaction 1.0)" in digest
    zh = render_text(metrics, catalogs, "zh")
    assert (
        "自上次摘要以来（2026年1月1日 17:30）新增：1 条需求、1 个相关方、0 条关系、0 项功能需求。"
        in zh
    )
