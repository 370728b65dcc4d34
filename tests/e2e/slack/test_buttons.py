"""Buttons and menus: stale presses, multi-select picks, labels in the participant's language."""

from __future__ import annotations

from bot.testing.slack_events import (
    block_actions,
    button_action,
    find_element,
    multi_state,
)
from tests.e2e.slack.helpers import SlackWorld, all_text, eventually, payload_message


async def test_a_stale_button_is_caught_and_the_current_question_repeated(
    slack: SlackWorld,
) -> None:
    world = slack
    dm = world.api.dm_channel("U1")
    await world.say_and_wait("U1", "hello")
    consent = world.api.posted(dm)[-1]
    await world.say_and_wait("U1", "yes")  # typed: the consent buttons are now stale
    posts_before = len(world.api.posted(dm))
    await world.press("U1", consent, "No")
    new = world.api.posted(dm)[posts_before:]
    assert "That button belongs to an earlier question" in all_text(new[0])
    assert "Which group do you mainly speak for?" in all_text(new[-1])
    assert world.api.message(dm, consent.ts).updates == 0  # type: ignore[union-attr]
    await world.say_and_wait("U1", "2")  # the typed answer still works
    assert "Which areas of city life" in all_text(world.api.posted(dm)[-1])


async def test_picking_items_in_a_multi_select_only_acks(slack: SlackWorld) -> None:
    world = slack
    dm = world.api.dm_channel("U2")
    for line in ["hello", "yes", "4"]:
        await world.say_and_wait("U2", line)
    prompt = world.api.posted(dm)[-1]
    block_id, element = find_element(prompt.blocks, kind="multi_static_select")
    pick = {
        "action_id": element["action_id"],
        "block_id": block_id,
        "type": "multi_static_select",
        "selected_options": multi_state(block_id, element, values=["water"])["values"][block_id][
            element["action_id"]
        ]["selected_options"],
        "action_ts": "1.1",
    }
    payload = block_actions(
        "U2",
        channel=dm,
        message=payload_message(prompt),
        action=pick,
        response_url=world.api.response_url("pick"),
    )
    calls_before = len(world.api.calls)
    delivered = await world.events.interaction(payload)
    assert delivered.status == 200
    await world.bot.wait_idle(5)
    assert len(world.api.calls) == calls_before  # nothing posted, nothing looked up
    # "Send" with nothing chosen gets the error that names the valid input.
    send_block, send = find_element(prompt.blocks, kind="button")
    await world.act("U2", prompt, button_action(send_block, send))
    error = world.api.posted(dm)[-1]
    assert all_text(error).startswith("You picked 0. Please pick from 1 to 3.")
    assert find_element(error.blocks, kind="multi_static_select")  # the menu comes again


async def test_buttons_and_menus_speak_the_participants_language(slack: SlackWorld) -> None:
    world = slack
    world.api.add_user("UZH", locale="zh-CN")
    dm = world.api.dm_channel("UZH")
    for line in ["你好", "是", "4"]:
        await world.say_and_wait("UZH", line)
    prompt = world.api.posted(dm)[-1]
    _, send = find_element(prompt.blocks, kind="button")
    _, menu = find_element(prompt.blocks, kind="multi_static_select")
    assert send["text"]["text"] == "发送"
    assert menu["placeholder"]["text"] == "请选择一项或多项"
    await eventually(lambda: world.bot.stats["message.turn"] == 3)
