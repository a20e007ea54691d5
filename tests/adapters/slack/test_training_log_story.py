"""The training ledger on Slack, through the fake Web API over HTTP (the no-show policy off):
the ended session's summary carries a Present button for a going member who never came;
the instructor's click records the verdict; `/training-log` shows the member their record,
another member is refused with what to type, the instructor reads anyone's."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.ids import member_id
from tests.adapters.slack.world import (
    ANA,
    BEN,
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
    built = await make_world(tmp_path)
    yield built
    await built.close()


def said(reply: dict[str, Any]) -> str:
    return json.dumps(reply, ensure_ascii=False)


async def test_present_button_and_training_log(world: SlackWorld) -> None:
    reply = await world.command("/schedule-session", '"Kata" tomorrow 18:00 60m cap 20', SENSEI)
    sid = scheduled_id(reply)
    await world.command("/rsvp", sid, ANA)
    world.clock.set((await world.app.service.get(sid)).start_time)
    await world.command("/start-session", sid, SENSEI)
    await world.command("/end-session", sid, SENSEI)
    ana = member_id(TEAM, ANA)

    [summary] = [
        c
        for c in world.api.calls_of("chat.postMessage")
        if c.args.get("channel") == CHANNEL and "RSVP'd but absent" in str(c.args.get("text"))
    ]
    buttons = {b["value"]: b for b in command_buttons(summary.args["blocks"])}
    assert set(buttons) == {f"/mark-present {sid} {ana}"}  # the policy is off: still offered
    present = buttons[f"/mark-present {sid} {ana}"]
    ts = summary.result["ts"]
    refused = await world.click(present["action_id"], present["value"], BEN, CHANNEL, ts)
    assert refused["response_type"] == "ephemeral" and "Only Sensei" in said(refused)
    marked = await world.click(present["action_id"], present["value"], SENSEI, CHANNEL, ts)
    assert "Ana is marked present" in said(marked)

    log = said(await world.command("/training-log", "", ANA))
    assert "Training log of Ana" in log, log
    assert "Classes attended: 1 this year, 1 in all" in log
    assert "Kata · &lt;1 min · ✓ (marked present by Sensei)" in log  # escaped for mrkdwn
    refused_log = said(await world.command("/training-log", ana, BEN))
    assert "Only instructors and admins" in refused_log and "/training-log" in refused_log
    staff = said(await world.command("/training-log", f"<@{ANA}|ana>", SENSEI))  # a mention
    assert "Training log of Ana" in staff, staff
