"""Substitute instructors on Slack, through the fake Web API over HTTP: `/need-sub` DMs the
eligible instructors an Accept button; the first click makes them the instructor (the card
is edited in place, members are told), the second is told who took it; a member clicking
Accept gets a refusal, never the session."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.ids import member_id
from bot.substitute_settings import SubstituteSettings
from tests.adapters.slack.world import (
    ANA,
    BEN,
    CAL,
    CHANNEL,
    SENSEI,
    SlackWorld,
    command_buttons,
    make_world,
    scheduled_id,
)
from tests.fakes.slack_api import TEAM


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[SlackWorld]:
    substitutes = SubstituteSettings(instructors=(member_id(TEAM, BEN), member_id(TEAM, CAL)))
    built = await make_world(tmp_path, settings_extra={"substitutes": substitutes})
    yield built
    await built.close()


def accept_of(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    buttons = command_buttons(blocks)
    assert len(buttons) == 1
    return buttons[0]


async def test_accept_button_first_click_teaches_second_is_told(world: SlackWorld) -> None:
    reply = await world.command("/schedule-session", '"Kata" tomorrow 18:00 60m cap 20', SENSEI)
    sid = scheduled_id(reply)
    await world.command("/rsvp", sid, ANA)
    reply = await world.command("/need-sub", sid, SENSEI)
    assert "Substitute request sent to 2 instructors" in json.dumps(reply, ensure_ascii=False)

    [to_ben] = world.api.dms_to(BEN)
    [to_cal] = world.api.dms_to(CAL)
    assert "needs a substitute" in to_cal.args["text"]
    accept = accept_of(to_cal.args["blocks"])
    assert accept["value"] == f"/take-sub {sid}" and accept["style"] == "primary"
    assert accept["text"]["text"] == "Accept"

    updates = len(world.api.calls_of("chat.update"))
    won = await world.click(
        accept["action_id"], accept["value"], CAL, f"D{CAL}", to_cal.result["ts"]
    )
    assert won["response_type"] == "ephemeral"
    assert "You teach" in json.dumps(won, ensure_ascii=False)
    session = await world.app.service.get(sid)
    assert session.instructor_id == member_id(TEAM, CAL)
    card = world.api.calls_of("chat.update")[updates:]
    assert card and card[-1].args["channel"] == CHANNEL  # the announcement, edited in place
    assert f"<@{CAL}>" in json.dumps(card[-1].args["blocks"]) and SENSEI not in json.dumps(
        card[-1].args["blocks"]
    )
    told = [c for c in world.api.dms_to(ANA) if "instead of" in c.args["text"]]
    assert len(told) == 1

    ben_accept = accept_of(to_ben.args["blocks"])
    lost = await world.click(
        ben_accept["action_id"], ben_accept["value"], BEN, f"D{BEN}", to_ben.result["ts"]
    )
    assert "already taken by Cal" in json.dumps(lost, ensure_ascii=False)
    refused = await world.click(
        ben_accept["action_id"], ben_accept["value"], ANA, f"D{BEN}", to_ben.result["ts"]
    )
    assert refused["response_type"] == "ephemeral"
    assert (await world.app.service.get(sid)).instructor_id == member_id(TEAM, CAL)
    assert len([c for c in world.api.dms_to(ANA) if "instead of" in c.args["text"]]) == 1
