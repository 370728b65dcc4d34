"""Issue 14, item 5: a need that outgrows Slack's limits once escaped keeps whole entities."""

from __future__ import annotations

import html
import re

from sqlmodel import select

from storage.models import Need
from tests.e2e.slack.helpers import SlackWorld

#: Text Slack shows: plain characters and the three entities it requires.
WHOLE = re.compile(r"(?:[^&]|&amp;|&lt;|&gt;)*")


def _texts(blocks: list[dict[str, object]]) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") in ("plain_text", "mrkdwn") and isinstance(node.get("text"), str):
                found.append(str(node["text"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return found


async def test_a_need_of_a_lt_repeated_is_echoed_in_whole_entities(slack: SlackWorld) -> None:
    world = slack
    for line in ["hello", "yes", "4", "mobility", "5", "2"]:
        await world.say_and_wait("U1", line)
    need = "a<" * 1000  # 2,000 characters typed, 5,000 once escaped
    await world.say_and_wait("U1", need)
    echo = await world.say_and_wait("U1", "skip")
    assert echo, "no echo of the need"
    shown = ""
    for message in echo:
        assert WHOLE.fullmatch(message.text), "the notification text cuts an entity"
        for text in _texts(message.blocks):
            assert len(text) <= 3000
            assert WHOLE.fullmatch(text), "a section cuts an entity"
            shown += html.unescape(text)
    assert need in "".join(shown.split())
    await world.say_and_wait("U1", "yes")
    with world.store.session() as s:
        assert [n.text for n in s.exec(select(Need)).all()] == [need]
