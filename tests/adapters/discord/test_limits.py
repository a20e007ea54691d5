"""Discord's documented limits: the fake refuses what Discord refuses, and long lists are
answered in pages (Previous / Next) that each fit, so every session can be reached."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import discord
import pytest
from discord.http import handle_message_parameters

from adapters.discord import limits
from adapters.discord.paging import TEMPLATE, listing_of, page_id
from adapters.discord.render_list import session_line
from core.commands import CreateEvent, ListSessions, ScheduleSession, ShowEvent
from core.model import Member, Role, SessionStatus
from tests.adapters.discord.conftest import START, Rig
from tests.adapters.discord.harness import CHANNEL, GUILD, INSTRUCTOR_ROLE, text_of
from tests.fakes.discord_api import Person, button_press, slash_command

SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])
TEACHER = Member(id="discord:501", display_name="sensei", role=Role.ADMIN)
LONG_TITLE = ("Kata <@&1> & [belts] @here " * 10)[:200]


async def refused(rig: Rig, **message: Any) -> dict[str, Any]:
    """What Discord answers when the bot posts this message (it must be a 400)."""
    params = handle_message_parameters(**message)
    with pytest.raises(discord.HTTPException) as caught:
        await rig.frontend.rest().send(CHANNEL, params)
    assert caught.value.status == 400 and caught.value.code == 50035
    [call] = rig.fake.refusals
    return dict(call.answer)


async def test_the_fake_refuses_content_and_descriptions_over_discords_limits(rig: Rig) -> None:
    rest = rig.frontend.rest()
    await rest.send(CHANNEL, handle_message_parameters(content="x" * limits.CONTENT.max))
    answer = await refused(rig, content="x" * (limits.CONTENT.max + 1))
    assert answer == {
        "code": 50035,
        "errors": {
            "content": {
                "_errors": [
                    {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}
                ]
            }
        },
        "message": "Invalid Form Body",
    }
    rig.fake.refusals.clear()
    fits = discord.Embed(description="y" * limits.EMBED_DESCRIPTION.max)
    await rest.send(CHANNEL, handle_message_parameters(embed=fits))
    answer = await refused(rig, embed=discord.Embed(description="y" * 4097))
    assert answer["errors"] == {
        "embeds": {
            "0": {
                "description": {
                    "_errors": [
                        {
                            "code": "BASE_TYPE_MAX_LENGTH",
                            "message": "Must be 4096 or fewer in length.",
                        }
                    ]
                }
            }
        }
    }


async def test_the_fake_refuses_embeds_over_6000_in_all_and_too_many_buttons(rig: Rig) -> None:
    big = [discord.Embed(description="z" * 4000), discord.Embed(description="z" * 2001)]
    answer = await refused(rig, embeds=big)
    assert answer["errors"]["embeds"]["_errors"][0]["code"] == "MAX_EMBED_SIZE_EXCEEDED"
    button = {"type": 2, "style": 1, "label": "b", "custom_id": "b"}
    row = {"type": 1, "components": [button] * 6}  # discord.py's View would not build it
    rig.fake.refusals.clear()
    with pytest.raises(discord.HTTPException):
        await rig.frontend.rest().http.request(
            discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=CHANNEL),
            json={"content": "x", "components": [row]},
        )
    assert "components" in rig.fake.refusals[-1].answer["errors"]


def message_of(rig: Rig, answer: dict[str, Any]) -> dict[str, Any]:
    """The ephemeral message an answer created, as a later interaction carries it."""
    [message] = [
        m
        for m in rig.fake.messages.values()
        if m["components"] == (answer["data"].get("components") or [])
    ][-1:]
    return message | {"channel_id": str(CHANNEL)}


async def every_page(rig: Rig, answer: dict[str, Any]) -> list[str]:
    """The text of each page, pressing Next until there is none."""
    message = message_of(rig, answer)
    texts = [text_of(answer)]
    while True:
        nexts = [
            c["custom_id"]
            for row in message["components"]
            for c in row["components"]
            if c["label"] == "Next"
        ]
        if not nexts:
            return texts
        turned = await rig.gateway.interact(button_press(nexts[0], SENSEI, GUILD, CHANNEL, message))
        assert turned["type"] == 7, turned  # the list is replaced in place
        message = message | turned["data"]
        texts.append(text_of(turned))
        assert len(texts) < 20


async def test_sessions_with_25_long_titles_are_answered_in_pages(rig: Rig) -> None:
    sessions = [
        await rig.service.schedule(
            TEACHER,
            ScheduleSession(title=LONG_TITLE, start_time=START + timedelta(days=1, hours=i)),
        )
        for i in range(25)
    ]
    assert len("\n".join(session_line(s) for s in sessions)) > limits.EMBED_DESCRIPTION.max
    answer = await rig.gateway.interact(slash_command("sessions", SENSEI, GUILD, CHANNEL))
    texts = await every_page(rig, answer)
    assert len(texts) > 1 and "Page 1 of" in texts[0]
    shown = "\n".join(texts)
    assert all(f"`{s.id}`" in shown for s in sessions)
    assert rig.fake.refusals == []


async def test_an_event_with_40_sessions_is_answered_in_pages(rig: Rig) -> None:
    event = await rig.service.create_event(TEACHER, CreateEvent(title="Winter camp"))
    sessions = [
        await rig.service.schedule(
            TEACHER,
            ScheduleSession(
                title=f"Kata basics {i}",
                start_time=START + timedelta(days=1, hours=i),
                event_id=event.id,
            ),
        )
        for i in range(40)
    ]
    answer = await rig.gateway.interact(
        slash_command("event", SENSEI, GUILD, CHANNEL, event=event.id)
    )
    texts = await every_page(rig, answer)
    assert len(texts) >= 4 and "Winter camp" in texts[0]
    shown = "\n".join(texts)
    assert all(f"`{s.id}`" in shown for s in sessions)
    assert rig.fake.refusals == []


def test_every_limit_names_the_page_it_comes_from() -> None:
    found = [v for v in vars(limits).values() if isinstance(v, limits.Limit)]
    assert len(found) >= 25
    assert all(v.doc.startswith("https://discord.com/developers/docs/") for v in found)


def test_page_buttons_carry_the_query_within_100_characters() -> None:
    widest = ListSessions(status=list(SessionStatus), mine=True, event_id="e" * 60)
    custom_id = page_id(widest, 9999)
    assert custom_id is not None and len(custom_id) <= limits.CUSTOM_ID.max
    match = re.fullmatch(TEMPLATE, custom_id)
    assert match is not None and listing_of(match["key"]) == (widest, 9999)
    assert listing_of(f"e:{'x' * 60}:3") == (ShowEvent(event_id="x" * 60), 3)
    assert page_id(ListSessions(event_id="not an id!"), 1) is None  # no buttons, no 400
    assert limits.pages(["a" * 10, "b" * 10, "c" * 5000], 25, 10) == [
        ["a" * 10, "b" * 10],  # 21 characters with the newline
        ["c" * 24 + "…"],
    ]
