"""A facilitator prints the workshop report and puts it in front of the city council.

Scenario: four residents took part (three in chat, one typed in by a volunteer);
the air near the ring road has the largest gap, then night buses, then housing.
City council was rated high in power and interest, Urban lab only in interest.
Two requirements are Must. The report opens with a summary built from exactly
these numbers; the domains are one ranked table; every quote in the themes
appears once and no requirement phrase is quoted as a need; a scenario nobody
chose is not listed, only counted; the method note gives the date in the
workshop's timezone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.core import load_core
from bot.digest.exports import export_files
from bot.digest.findings import Findings, find
from bot.digest.metrics import compute_metrics
from bot.digest.summary import council_summary
from bot.synthesis.encoder import default_encoder
from bot.testing.network import network_unreachable
from bot.testing.snapshots import SnapshotBuilder
from flows.kinds import HelixGroup, Origin
from flows.locale_format import format_datetime
from flows.records import Moscow
from flows.snapshot import WorkshopSnapshot

AIR = "The air near the ring road is full of exhaust fumes."
AIR_ZH = "环路附近的空气里全是汽车尾气。"
BUS = "There is no bus home after the late shift at the hospital."
BUS_2 = "Buses stop running before my night shift ends, so I walk home."
HOME = "Rents went up so much that young teachers leave the city."
PHRASE = "to book a visit by phone"
MADE = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def offline() -> Iterator[None]:
    with network_unreachable():
        yield


@pytest.fixture(scope="module")
def workshop() -> tuple[WorkshopSnapshot, Findings]:
    b = SnapshotBuilder("Riverside")
    heat, flood = b.scenarios[0], b.scenarios[1]
    a = b.participant(HelixGroup.CIVIL_SOCIETY)
    c = b.participant(HelixGroup.CIVIL_SOCIETY, locale="zh")
    d = b.participant(HelixGroup.CIVIL_SOCIETY)
    g = b.participant(HelixGroup.GOVERNMENT)
    b.need(a, "environment", 5, 1, text=AIR)  # gap 25
    b.need(c, "environment", 5, 1, text=AIR_ZH)
    b.need(d, "mobility", 4, 2, text=BUS)  # gap 16
    b.need(g, "mobility", 4, 2, text=BUS_2)
    b.need(g, "housing", 3, 3, text=HOME)  # gap 9
    b.stakeholder(a, "City council", scenario=heat.id, power=5, interest=5)
    b.stakeholder(g, "Urban lab", scenario=flood.id, power=2, interest=5)
    for who, priority in ((a, Moscow.MUST), (d, Moscow.MUST), (g, Moscow.SHOULD)):
        b.requirement(
            who, "Clinic booking", priority, scenario=heat.id, domain="mobility", i_want=PHRASE
        )
    snap = b.build()
    people = list(snap.participants)
    people[3] = replace(people[3], origin=Origin.ASSISTED)
    header = replace(snap.workshop, timezone="Asia/Shanghai")
    snap = replace(snap, participants=tuple(people), workshop=header)
    with network_unreachable():
        findings = find(snap, encoder=default_encoder(), locales=("en", "zh"))
    return snap, findings


def _reports(snap: WorkshopSnapshot, f: Findings, locale: str = "en") -> tuple[str, str]:
    catalogs = load_core().catalogs
    html = export_files(
        snap, "html", catalogs, name="w.html", locale=locale, findings=f, generated=MADE
    )["w.html"].decode()
    md = export_files(snap, "md", catalogs, name="w.md", locale=locale, findings=f, generated=MADE)
    return html, md["w.md"].decode()


def _between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def test_the_summary_names_the_largest_gap_the_key_players_and_who_was_not_heard(
    workshop: tuple[WorkshopSnapshot, Findings],
) -> None:
    snap, f = workshop
    s = council_summary(compute_metrics(snap, findings=f))
    assert s.participants == 4
    assert s.by_origin == ((Origin.CHAT, 3), (Origin.ASSISTED, 1))
    assert [n.gap.code for n in s.top_needs] == ["environment", "mobility", "housing"]
    assert s.top_needs[0].gap.gap == 25.0 and s.top_needs[0].quote in (AIR, AIR_ZH)
    assert s.key_players == ("City council",)
    assert (s.must, s.requirements) == (2, 3)
    assert s.missing_groups == (HelixGroup.INDUSTRY, HelixGroup.ACADEMIA)
    # The Chinese report quotes the Chinese resident for the same need.
    assert council_summary(compute_metrics(snap, findings=f), "zh").top_needs[0].quote == AIR_ZH

    html, md = _reports(snap, f)
    summary = _between(html, "<h2>Summary for the council</h2>", "</section>")
    assert "4 people took part: Government 1, Civil society and residents 3." in summary
    assert "How they took part: 3 in chat, 1 typed in by a volunteer." in summary
    assert "Not heard yet: Industry and business, Academia and research." in summary
    assert '<p class="title">1. Environment and climate: gap 25.0, from 2 needs</p>' in summary
    assert "Key stakeholders (high power and high interest" in summary
    assert "): City council." in summary and "Urban lab" not in summary
    assert "3 requirements written, 2 of them marked Must." in summary
    assert "no requirement yet: Environment and climate, Housing." in summary
    assert html.index("Summary for the council</h2>") < html.index("<h2>At a glance</h2>")
    assert "## Summary for the council" in md


def test_the_domains_are_one_ranked_table_with_one_number_per_rank(
    workshop: tuple[WorkshopSnapshot, Findings],
) -> None:
    snap, f = workshop
    html, md = _reports(snap, f)
    assert (
        '<tr><td class="num">1</td><td>Environment and climate</td><td class="num">25.0</td>'
        '<td class="num">2</td><td class="num">5.0</td><td class="num">1.0</td></tr>'
    ) in html
    assert "| 2 | Mobility and transport | 16\\.0 | 2 | 4\\.0 | 2\\.0 |" in md
    assert "1. Environment" not in html.replace("1. Environment and climate: gap 25.0", "")
    assert not re.search(r"^(• )?\d+\\?\. [A-Z].*: gap ", md, re.MULTILINE)


def test_each_quote_appears_once_and_requirement_phrases_are_not_quoted_as_needs(
    workshop: tuple[WorkshopSnapshot, Findings],
) -> None:
    snap, f = workshop
    html, md = _reports(snap, f)
    themes = _between(html, "<h2>What people asked for", "</section>")
    for text in (AIR, AIR_ZH, BUS, BUS_2, HOME):
        assert themes.count(f"“{text}”") <= 1
    assert BUS in themes or BUS_2 in themes
    assert PHRASE not in themes  # a requirement's "I want", not a citizen's need
    assert "mean gap –" not in html and "mean gap –" not in md
    assert "<h2>All themes</h2>" in html  # every theme stays, in a table


def test_a_scenario_nobody_chose_is_counted_not_listed(
    workshop: tuple[WorkshopSnapshot, Findings],
) -> None:
    snap, f = workshop
    html, md = _reports(snap, f)
    chosen = {snap.scenarios[0].title["en"], snap.scenarios[1].title["en"]}
    unchosen = [s.title["en"] for s in snap.scenarios if s.title["en"] not in chosen]
    for text in (html, md):
        assert not [title for title in unchosen if title in text]
        assert all(title in text for title in chosen)
        assert "domains none; stakeholders none" not in text
        assert f"Offered in the workshop and chosen by nobody: {len(unchosen)} scenarios." in text


def test_the_method_note_dates_the_report_in_the_workshop_timezone(
    workshop: tuple[WorkshopSnapshot, Findings],
) -> None:
    snap, f = workshop
    html, md = _reports(snap, f)
    when = format_datetime(MADE, "en", "Asia/Shanghai")
    assert "Mar 2, 2026" in when  # 23:30 UTC is the next morning in Shanghai
    note = html[html.index("<footer>") :]
    assert "IEC SRD 63326" in note and "approved by the moderators" in note
    assert f"Generated on {when} (Asia/Shanghai)." in note
    assert f"Generated on {when} (Asia/Shanghai)." in md
    assert '<nav class="toc">' in html and '<a href="#map">The map</a>' in html


@pytest.mark.parametrize(
    ("locale", "heading"),
    [("zh", "给市议会的摘要"), ("es", "Resumen para el concejo"), ("fr", "Résumé pour le conseil")],
)
def test_the_summary_is_in_the_report_language(
    workshop: tuple[WorkshopSnapshot, Findings], locale: str, heading: str
) -> None:
    snap, f = workshop
    html, md = _reports(snap, f, locale)
    assert f"<h2>{heading}</h2>" in html and f"## {heading}" in md
    assert "Summary for the council" not in html and "report.exec" not in html
