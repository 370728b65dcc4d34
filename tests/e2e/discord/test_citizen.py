"""Must-show 1: a citizen answers all three tiers on Discord, through discord.py and the fake.

Slash commands, buttons, selects, the requirement form (a modal) and typed
messages are mixed; the answers end up stored exactly as on the console, and
the fake saw the REST calls a real Discord would have.
"""

from __future__ import annotations

from collections import Counter

from bot.testing import discord_payloads as p
from bot.testing.discord_api import SentMessage
from bot.testing.discord_harness import DiscordHarness
from storage.models import Conversation, Participant
from storage.store import Store
from tests.citizen import CITIZEN_LINES, assert_citizen_stored
from tests.e2e.discord.helpers import assert_no_mentions, assert_within_limits, rejected

#: The steps the requirement form answers in one go.
FORM_STEPS = ("as_a", "i_want", "so_that", "moscow", "acceptance")


def _pick(message: SentMessage, step: str, line: str) -> tuple[str, list[str] | None] | None:
    """The component that gives ``line`` as the answer to ``step``: (custom id, select values)."""
    comps = list(p.walk_components(message.components))
    wanted = line.strip().lower()
    buttons = [c for c in comps if str(c.get("custom_id", "")).startswith(f"cn:b:{step}:")]
    if buttons:
        by_label = [b for b in buttons if b["label"].lower() == wanted]
        if by_label:
            return by_label[0]["custom_id"], None
        if wanted.isdigit() and 1 <= int(wanted) <= len(buttons):
            return buttons[int(wanted) - 1]["custom_id"], None
        named = [b for b in buttons if b["custom_id"].endswith(f":{wanted}")]
        return (named[0]["custom_id"], None) if named else None
    select = next((c for c in comps if c.get("custom_id") == f"cn:s:{step}"), None)
    if select is None:
        return None
    options = select["options"]
    if wanted == "none":
        return (select["custom_id"], []) if select["min_values"] == 0 else None
    values = []
    for token in (t.strip() for t in wanted.split(",")):
        if token.isdigit():
            values.append(options[int(token) - 1]["value"])
            continue
        match = [o for o in options if token in (o["value"], o["label"].lower())]
        match = match or [o for o in options if o["label"].lower().startswith(token)]
        if len(match) != 1:
            return None
        values.append(match[0]["value"])
    return select["custom_id"], values


async def test_a_citizen_completes_every_tier_with_commands_buttons_a_form_and_typing(
    discord: DiscordHarness, store: Store
) -> None:
    h = discord
    fake = h.fake
    alice = h.user("alice")

    record, handled = await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    assert handled.error is None and handled.step == "consent"
    thread = h.thread_of("alice")
    notice = record.followups[-1]
    assert notice.ephemeral and f"<#{thread}>" in notice.content

    used: Counter[str] = Counter()
    step: str | None = "consent"
    index = 0
    while index < len(CITIZEN_LINES):
        line, expected = CITIZEN_LINES[index]
        assert step is not None
        prompt = fake.sent_to(thread)[-1]
        if step == "as_a":
            # The form replaces the five prompts from "as a" to the acceptance criterion.
            assert "cn:f:as_a" in prompt.custom_ids()
            opened, handled = await h.click("alice", prompt, "cn:f:as_a")
            assert opened.modal is not None and handled.error is None
            assert len(opened.modal["components"]) == 5
            lines = [line for line, _ in CITIZEN_LINES[index : index + len(FORM_STEPS)]]
            values = {f"cn:form:{s}": v for s, v in zip(FORM_STEPS, lines, strict=True)}
            _, handled = await h.submit("alice", opened, values)
            used["form"] += 1
            index += len(FORM_STEPS)
            step = CITIZEN_LINES[index - 1][1]
            assert handled.step == step == "req_confirm", handled
            continue
        if index == 12:
            # A slash command in the middle changes nothing about where she is.
            _, shown = await h.slash("alice", thread, "cityneeds", "status")
            assert shown.error is None and shown.sent
            used["slash"] += 1
        pick = _pick(prompt, step, line) if index % 3 != 2 else None
        if pick is None:
            handled = await h.say("alice", thread, line)
            used["typed"] += 1
        elif pick[1] is None:
            _, handled = await h.click("alice", prompt, pick[0])
            used["button"] += 1
        else:
            _, handled = await h.choose("alice", prompt, pick[0], pick[1])
            used["select"] += 1
        assert handled.error is None, handled
        assert not handled.duplicate
        assert handled.step == expected, (index, line, handled)
        assert handled.sent, f"no reply to {line!r}"
        step = expected
        index += 1

    assert used["typed"] >= 10 and used["button"] >= 8 and used["select"] >= 3, used
    assert used["form"] == 1 and used["slash"] == 1

    pseudonym = h.adapter.pseudonym(int(alice))
    assert pseudonym == runtime_pseudonym(h, alice)
    assert_citizen_stored(store, pseudonym)
    with store.session() as s:
        from sqlmodel import select

        person = s.exec(select(Participant).where(Participant.pseudonym == pseudonym)).one()
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).one()
        assert conv.finished and person.platform == "discord"
        assert person.address is None  # no DMs: she never opted in

    # What Discord saw.
    routes = Counter(r.route for r in fake.requests if r.status < 300)
    assert routes["PUT /applications/{application_id}/commands"] == 1
    assert routes["POST /channels/{channel_id}/threads"] == 1
    assert routes["PUT /channels/{channel_id}/thread-members/{user_id}"] == 1
    assert routes["POST /users/@me/channels"] == 0
    created = fake.requests_to("POST /channels/{channel_id}/threads")[0]
    assert created.json["type"] == p.PRIVATE_THREAD and created.json["invitable"] is False
    kinds = Counter(i.response_type for i in fake.interactions.values())
    assert kinds[5] == 2  # the two slash commands, deferred first
    assert kinds[9] == 1  # the form
    assert kinds[6] == used["button"] + used["select"] + 1  # components and the form submit
    latencies = [i.latency for i in fake.interactions.values()]
    assert all(lat is not None and lat < 3.0 for lat in latencies), latencies
    assert not rejected(fake) and not fake.unhandled
    assert_within_limits(fake.sent)
    assert_no_mentions(fake)
    for message in fake.sent:
        assert all(cid.startswith("cn:") for cid in message.custom_ids())
    # Clicks are dispatched from their custom ids; no view per message piles up in memory.
    assert h.bot.persistent_views == []
    in_thread = fake.sent_to(thread)
    assert any("The bus stop is too far from the clinic" in m.content for m in in_thread)
    assert any("Senior citizens' club" in m.content for m in in_thread)
    # Nothing the citizen said leaked into the public channel.
    public = [m for m in fake.sent_to(h.world.workshop_channel) if not m.ephemeral]
    assert public == []


def runtime_pseudonym(h: DiscordHarness, user_id: str) -> str:
    return h.bot.runtime.router.pseudonym_for("discord", user_id)
