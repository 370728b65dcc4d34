"""``/cityneeds`` sub-commands, staff refusals, escaping of what citizens type."""

from __future__ import annotations

import io
import json
import zipfile

from sqlmodel import func, select

from storage.models import AuditLog, ChannelBinding, Need, Participant, Workshop
from tests.e2e.slack.helpers import SlackWorld, all_text, eventually

CHANNEL = "C0WORKSHOP"


def _count(world: SlackWorld, model: type) -> int:
    with world.store.session() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


async def test_help_lists_the_slash_commands_and_the_typed_ones(slack: SlackWorld) -> None:
    texts = await slack.command_and_wait("U1", CHANNEL, "help")
    assert len(texts) == 1
    for word in ("/cityneeds join", "/cityneeds status", "help", "back", "skip", "forget me"):
        assert word in texts[0]
    assert slack.api.calls_to("chat.postMessage") == []  # private: response_url only


async def test_status_before_joining_says_how_to_join_and_stores_nothing(slack: SlackWorld) -> None:
    texts = await slack.command_and_wait("U1", CHANNEL, "status")
    assert texts == ["You have not joined a workshop yet. Type /cityneeds join to start."]
    assert _count(slack, Participant) == 0


async def test_status_after_some_answers_is_private(slack: SlackWorld) -> None:
    world = slack
    for line in ["hello", "yes", "4"]:
        await world.say_and_wait("U1", line)
    texts = await world.command_and_wait("U1", CHANNEL, "status")
    assert any("You are at:" in t for t in texts), texts


async def test_non_staff_are_refused_privately_and_nothing_changes(slack: SlackWorld) -> None:
    world = slack
    ws_before = world.store.find_workshop("city")
    assert ws_before is not None
    refused = await world.command_and_wait("U2", CHANNEL, "open meso")
    assert refused == ["Only a facilitator can use “!open”. Nothing was changed."]
    refused = await world.command_and_wait("U2", CHANNEL, "setup elsewhere")
    assert refused == [
        "Only a workspace admin or a facilitator of elsewhere can do that. Nothing was changed."
    ]
    refused = await world.command_and_wait("U2", "C0OTHER", "moderators city")
    assert refused[0].startswith("Only a workspace admin or a facilitator of city")
    ws_after = world.store.find_workshop("city")
    assert ws_after is not None and ws_after.open_tiers == ws_before.open_tiers
    assert world.store.find_workshop("elsewhere") is None
    assert _count(world, ChannelBinding) == 0
    assert world.api.calls_to("chat.postMessage") == []


async def test_a_workspace_admin_becomes_facilitator_and_runs_staff_commands(
    slack: SlackWorld,
) -> None:
    world = slack
    texts = await world.command_and_wait("UADMIN", CHANNEL, "close meso")
    assert texts == [
        "You are now a facilitator of city (as a platform admin).\n"
        "Open tiers in city: Macro (city domains), Micro (requirements)."
    ]
    ws = world.store.find_workshop("city")
    assert ws is not None and "meso" not in ws.open_tiers
    texts = await world.command_and_wait("UADMIN", CHANNEL, "staff")
    assert texts[0].startswith("Staff commands:")
    with world.store.session() as s:
        actions = [a.action for a in s.exec(select(AuditLog)).all()]
    assert "tier.close" in actions and "role.bootstrap" in actions


async def test_a_facilitator_named_by_an_admin_can_set_up_a_channel(slack: SlackWorld) -> None:
    world = slack
    texts = await world.command_and_wait("UADMIN", CHANNEL, "role <@U3|carla> facilitator")
    assert texts[-1].endswith("&lt;@U3|carla&gt; is now facilitator.")
    texts = await world.command_and_wait("U3", "C0CARLA", "setup city")
    assert texts == ["This channel now runs the workshop city. Digests are posted here."]
    welcome = world.api.posted("C0CARLA")
    assert len(welcome) == 1 and "/cityneeds join" in all_text(welcome[0])


async def test_setup_in_a_channel_the_bot_is_not_in_asks_for_an_invite(slack: SlackWorld) -> None:
    world = slack
    world.api.not_member.add("C0PRIVATE")
    texts = await world.command_and_wait("UADMIN", "C0PRIVATE", "setup city")
    assert texts == [
        "I cannot post in this channel yet. Invite me (type /invite @CityNeeds), then try again. "
        "Nothing was changed."
    ]
    assert _count(world, ChannelBinding) == 0


async def test_setup_creates_a_missing_workshop_for_an_admin(slack: SlackWorld) -> None:
    world = slack
    await world.command_and_wait("UADMIN", "C0RIVER", "setup riverside-2026")
    ws = world.store.find_workshop("riverside-2026")
    assert ws is not None
    binding = world.store.workshop_of_channel("slack", "C0RIVER")
    assert binding is not None and binding.workshop_slug == "riverside-2026"
    texts = await world.command_and_wait("UADMIN", "C0RIVER", "setup Not A Slug!")
    assert texts == ["Usage: /cityneeds setup WORKSHOP"]
    assert _count(world, Workshop) == 2


async def test_unknown_sub_commands_point_to_help(slack: SlackWorld) -> None:
    texts = await slack.command_and_wait("U1", CHANNEL, "dance now")
    assert texts == ["I do not know “/cityneeds dance”. Type /cityneeds help to see what works."]


async def test_join_in_a_dm_starts_there(slack: SlackWorld) -> None:
    world = slack
    dm = world.api.dm_channel("U4")
    delivered, key = await world.command("U4", dm, "join")
    assert delivered.status == 200
    await world.api.wait_for(lambda: len(world.api.posted(dm)) == 3)
    await world.bot.wait_idle(10)
    assert "Do you agree?" in all_text(world.api.posted(dm)[-1])
    assert key not in world.api.responses  # no "I sent you a DM" inside the DM itself
    with world.store.session() as s:
        person = s.exec(select(Participant)).one()
    assert person.address == dm  # reminders can reach them


async def test_what_citizens_type_is_shown_verbatim_and_pings_nobody(slack: SlackWorld) -> None:
    world = slack
    typed = "<!channel> <@U2> & *bold* <https://evil.example|click>"
    for line in ["hello", "yes", "4", "mobility", "5", "2"]:
        await world.say_and_wait("U1", line)
    posts = await world.say_and_wait("U1", typed)
    posts += await world.say_and_wait("U1", "skip")
    summary = all_text(posts[-1])
    assert "&lt;!channel&gt; &lt;@U2&gt; &amp; *bold* &lt;https://evil.example|click&gt;" in summary
    everything = json.dumps(
        [{"text": m.text, "blocks": m.blocks} for m in world.api.posted()], ensure_ascii=False
    )
    for raw in ("<!channel>", "<@U2>", "<https://"):
        assert raw not in everything
    assert all(not m.mrkdwn for m in world.api.posted())
    for message in world.api.posted():
        for block in message.blocks:
            if "text" in block:
                assert block["text"]["type"] == "plain_text"
    await world.say_and_wait("U1", "yes")
    with world.store.session() as s:
        need = s.exec(select(Need)).one()
    assert need.text == typed  # stored as typed, not as Slack escaped it


async def test_an_export_is_uploaded_to_the_facilitators_direct_message_only(
    slack: SlackWorld,
) -> None:
    world = slack
    for line in ["hello", "yes", "4", "mobility", "5", "2", "Buses <!channel> at night", "skip"]:
        await world.say_and_wait("U1", line)
    texts = await world.command_and_wait("UADMIN", CHANNEL, "export html")
    assert "Here is the export: city-html.zip" in texts[-1]
    await eventually(lambda: world.api.calls_to("files.completeUploadExternal", ok=True))
    [complete] = world.api.calls_to("files.completeUploadExternal", ok=True)
    dm = world.api.dm_channel("UADMIN")
    assert complete.params["channel_id"] == dm  # never the public channel
    [file_id] = list(world.api.uploads)
    archive = zipfile.ZipFile(io.BytesIO(world.api.uploads[file_id]))
    html = archive.read("city.html").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<!channel>" not in html
    refused = await world.command_and_wait("U1", CHANNEL, "export csv")
    assert refused == ["Only a facilitator can use “!export”. Nothing was changed."]
    assert len(world.api.calls_to("files.completeUploadExternal", ok=True)) == 1
