"""Issue 11 item 12: a Chinese citizen, and the Chinese digest and report, read no English.

A citizen who writes Chinese goes through every tier using help, the glossary,
status, my data and a wrong answer; then the workshop's digest and report are
rendered in Chinese. No Latin word (an English term, a code such as
``mobility_older``, ``civil_society``, ``zh`` or ``CODE``) may appear, apart
from the product's name; one word per concept (情境, never 情景). Both databases.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

from bot.digest.html_report import render_html
from bot.digest.metrics import compute_metrics
from bot.digest.report import render_markdown
from bot.digest.text import render_text
from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from flows.catalog import load_catalogs
from storage.store import Store

#: Latin words allowed in Chinese text: the product's name only.
ALLOWED = {"CityNeeds", "IEC", "SRD"}  # the product and the standard the method follows
_LATIN = re.compile(r"[A-Za-z][A-Za-z_'’-]*")

LINES = [
    "是",
    "帮助",
    "居民",
    "出行，健康",
    "五",
    "二",
    "公交车站离诊所太远了",
    "跳过",
    "是",
    "四",
    "1",
    "没有智能手机就约不到医生",
    "我们如何才能让老人电话预约？",
    "术语",
    "是",
    "老年居民的出行",
    "市交通局",
    "政府",
    "出钱",
    "5",
    "4",
    "无",
    "老人",
    "是",
    "是",
    "老年人协会",
    "社区",
    "受益者",
    "2",
    "5",
    "1, 2",
    "无",
    "是",
    "否",
    "是",
    "1",
    "服务",
    "1",
    "是",
    "否",
    "否",  # another situation? no
    "进度",
    "我的数据",
    "诊所巴士",
    "出行",
    "七十岁以上的居民",
    "坐车去诊所",
    "跳过",
    "必须",
    "跳过",
    "是",
    "否",
]


class _Visible(HTMLParser):
    """The text a reader sees (and hears: image descriptions), without markup or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("style", "script")
        self.parts.extend(v or "" for k, v in attrs if k in ("alt", "title", "aria-label"))

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def latin_words(text: str) -> set[str]:
    """Latin words in ``text`` other than the allowed names."""
    return set(_LATIN.findall(text)) - ALLOWED


def test_a_chinese_citizen_and_her_digest_and_report_read_only_chinese(
    app: Runtime, store: Store
) -> None:
    fac = ChatHarness(app.router, "fac", "city", is_platform_admin=True)
    fac.say("!settings timezone Asia/Shanghai")
    assert "Asia/Shanghai" in fac.text
    chat = ChatHarness(app.router, user="mei", workshop="city", locale="zh")
    chat.start()
    for line in LINES:
        chat.say(line)
    assert chat.step is None, chat.transcript[-3:]
    chat.say("语言 火星文")  # an unknown language: the valid ones are named in Chinese
    known = load_catalogs()
    names = [known.template(f"language.{code}", "zh") for code in known.locales]
    assert f"可用：{'、'.join(names)}" in chat.text and "西班牙语" in names
    chat.say("我的数据")
    assert "语言：中文" in chat.text

    shown = "\n".join(text for _, texts in chat.transcript for text in texts)
    data = app.store.participant_data(chat.last.participant_id)  # type: ignore[union-attr]
    shown = shown.replace(data.pseudonym[:8], "")
    assert "切换语言" in shown and "术语：" in shown and "情境" in shown
    assert latin_words(shown) == set()
    assert "情景" not in shown

    catalogs = load_catalogs()
    ws = store.find_workshop("city")
    assert ws is not None
    since = datetime(2026, 1, 1, 16, 30, tzinfo=UTC)
    metrics = compute_metrics(store.snapshot(ws.id), since=since)
    assert metrics.needs == 2 and len(metrics.stakeholders) == 2
    digest = render_text(metrics, catalogs, "zh")
    report = render_markdown(metrics, catalogs, locale="zh")
    page = visible_text(render_html(metrics, catalogs, locale="zh"))
    assert "老年居民的出行" in page
    assert "老年居民的出行" in report  # the scenario's title, not its code
    assert "2026年1月2日 00:30" in digest  # "since" in Shanghai time, the Chinese way
    for text in (digest, report, page):
        text = text.replace(metrics.workshop.title, "")  # the facilitator's own words
        assert latin_words(text) == set(), latin_words(text)
        assert "情景" not in text
