"""The no-show policy on Slack, through the fake Web API over HTTP: the ended session's
summary in the channel carries a Present button per absent member, the member's DM an Appeal
button; each click runs the command as the clicker (a member can't mark present or waive, the
instructor and an admin can), the reply going only to them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.ids import member_id
from bot.no_show_settings import NoShowSettings
from tests.adapters.slack.world import (
    ADMIN,
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
    built = await make_world(tmp_path, settings_extra={"no_shows": NoShowSettings(enabled=True)})
    yield built
    await built.close()


def said(reply: dict[str, Any]) -> str:
    return json.dumps(reply, ensure_ascii=False)


async def test_present_appeal_and_waive_buttons(world: SlackWorld) -> None:
    reply = await world.command("/schedule-session", '"Kata" tomorrow 18:00 60m cap 20', SENSEI)
    sid = scheduled_id(reply)
    await world.command("/rsvp", sid, ANA)
    await world.command("/rsvp", sid, BEN)
    world.clock.set((await world.app.service.get(sid)).start_time)
    await world.command("/start-session", sid, SENSEI)
    await world.command("/end-session", sid, SENSEI)
    ben, ana = member_id(TEAM, BEN), member_id(TEAM, ANA)

    [summary] = [
        c
        for c in world.api.calls_of("chat.postMessage")
        if c.args.get("channel") == CHANNEL and "RSVP'd but absent" in str(c.args.get("text"))
    ]
    present = {b["value"]: b for b in command_buttons(summary.args["blocks"])}
    assert set(present) == {f"/mark-present {sid} {ana}", f"/mark-present {sid} {ben}"}
    ben_button = present[f"/mark-present {sid} {ben}"]
    assert ben_button["text"]["text"] == "Present: Ben"
    ts = summary.result["ts"]
    refused = await world.click(ben_button["action_id"], ben_button["value"], CAL, CHANNEL, ts)
    assert refused["response_type"] == "ephemeral" and "Only Sensei" in said(refused)
    marked = await world.click(ben_button["action_id"], ben_button["value"], SENSEI, CHANNEL, ts)
    assert "marked present" in said(marked)
    record = said(await world.command("/my-record", ben, SENSEI))
    assert "no-show" in record and "marked present" in record

    [to_ana] = [c for c in world.api.dms_to(ANA) if "no-show" in c.args["text"]]
    [appeal] = command_buttons(to_ana.args["blocks"])
    assert appeal["value"] == f"/appeal {sid}" and appeal["text"]["text"] == "Appeal"
    dm_channel = to_ana.args["channel"]
    appealed = await world.click(
        appeal["action_id"], appeal["value"], ANA, dm_channel, to_ana.result["ts"]
    )
    assert "appeal is recorded" in said(appealed)
    [to_admins] = [
        c
        for c in world.api.calls_of("chat.postMessage")
        if c.args.get("channel") == CHANNEL and "appeals" in str(c.args.get("text"))
    ]
    [waive] = command_buttons(to_admins.args["blocks"])
    assert waive["value"] == f"/waive {sid} {ana}"
    ts = to_admins.result["ts"]
    denied = await world.click(waive["action_id"], waive["value"], SENSEI, CHANNEL, ts)
    assert "Only admins can waive" in said(denied)
    waived = await world.click(waive["action_id"], waive["value"], ADMIN, CHANNEL, ts)
    assert "Waived" in said(waived)
    assert [c for c in world.api.dms_to(ANA) if "waived your mark" in c.args["text"]]
