"""Arabic on Slack: sections, buttons and menu options carry the right-to-left marks.

A citizen whose Slack locale is Arabic talks in her DM (signed events against the
loopback Web API double). Every line of text starts with RLM (U+200F); values
filled into messages are isolated with FSI (U+2068) … PDI (U+2069); menu options
read ``RLM 1) FSI label PDI``. An English citizen's messages have no marks at all.
"""

from __future__ import annotations

import json

from bot.adapters.slack.blocks import Labels, choice_blocks
from bot.core import load_core
from bot.testing.slack_events import find_element
from flows.direction import BIDI_CONTROLS
from flows.messages import ReplyKind
from flows.render import Button, RenderedReply
from tests.e2e.slack.helpers import SlackWorld, all_text

RLM, FSI, PDI = "\u200f", "\u2068", "\u2069"


async def test_an_arabic_citizen_gets_marked_text_buttons_and_menus(slack: SlackWorld) -> None:
    world = slack
    world.api.add_user("UAR", locale="ar")
    dm = world.api.dm_channel("UAR")
    await world.say_and_wait("UAR", "مرحبا")
    consent = world.api.posted(dm)[-1]
    lines = all_text(consent).split("\n")
    assert all(line.startswith(RLM) for line in lines), lines
    assert lines[-3:-1] == [f"{RLM}  1) {FSI}{RLM}نعم{PDI}", f"{RLM}  2) {FSI}{RLM}لا{PDI}"]
    _, yes = find_element(consent.blocks, action_id="cn_pick_1")
    assert yes["text"]["text"] == f"{RLM}نعم"

    await world.press("UAR", consent, f"{RLM}نعم")
    posted = await world.say_and_wait("UAR", "Bus 42")  # no such group: the error quotes it
    assert all_text(posted[0]).split("\n")[0] == (
        f"{RLM}لم أجد خيارًا يطابق «{FSI}Bus 42{PDI}». "
        f"اكتب رقمًا من 1 إلى {FSI}4{PDI}، أو اسم الخيار."
    )

    await world.say_and_wait("UAR", "4")
    domains = world.api.posted(dm)[-1]
    _, menu = find_element(domains.blocks, kind="multi_static_select")
    labels = [option["text"]["text"] for option in menu["options"]]
    assert labels[0] == f"{RLM}1) {FSI}{RLM}الحوكمة والمشاركة{PDI}"
    assert labels[12] == f"{RLM}13) {FSI}{RLM}التنقل والمواصلات{PDI}"
    assert all(len(label) <= 75 for label in labels)


async def test_an_english_citizen_gets_no_direction_marks(slack: SlackWorld) -> None:
    world = slack
    dm = world.api.dm_channel("U1")
    for line in ["hello", "yes", "4"]:
        await world.say_and_wait("U1", line)
    shown = json.dumps([m.blocks for m in world.api.posted(dm)], ensure_ascii=False)
    assert "Mobility and transport" in shown
    assert not BIDI_CONTROLS.search(shown)


def test_long_arabic_menu_options_keep_their_marks_within_slacks_limits() -> None:
    catalogs = load_core().catalogs
    label = RLM + "خيار طويل جدًا فيه " * 8 + "Bus 42"
    buttons = tuple(Button(f"v{n}", label, n) for n in range(1, 9))
    reply = RenderedReply("?", ReplyKind.PROMPT, buttons, step="x", step_kind="choice")
    [menu] = choice_blocks(reply, Labels.of(catalogs, "ar"))[0]["elements"]
    texts = [option["text"]["text"] for option in menu["options"]]
    assert texts[7].startswith(f"{RLM}8) {FSI}{RLM}خيار طويل")
    assert all(len(text) <= 75 for text in texts), texts
