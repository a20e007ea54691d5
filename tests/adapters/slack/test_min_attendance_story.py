"""Minimum attendance on Slack, through the fake Web API over HTTP: a session scheduled with
`min 3` shows it on its card; at the decision time the instructor's DM carries Keep
(primary) and Cancel (danger); a member clicking Cancel is refused, the instructor's click
cancels the session like a typed cancel (the going member is told the reason), and a Keep
clicked afterwards says it was canceled already."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from core.model import SessionStatus
from tests.adapters.slack.world import (
    ANA,
    CHANNEL,
    SENSEI,
    SlackWorld,
    command_buttons,
    make_world,
    scheduled_id,
)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[SlackWorld]:
    built = await make_world(tmp_path)
    yield built
    await built.close()


async def test_the_cancel_button_cancels_for_the_instructor_only(world: SlackWorld) -> None:
    reply = await world.command(
        "/schedule-session", '"Kata" tomorrow 18:00 60m cap 10 min 3', SENSEI
    )
    sid = scheduled_id(reply)
    card = json.dumps(world.api.messages_in(CHANNEL)[-1].blocks, ensure_ascii=False)
    assert "0/10 going · min 3" in card, card
    await world.command("/rsvp", sid, ANA)
    session = await world.app.service.get(sid)

    world.clock.set(session.start_time - timedelta(hours=3))
    await world.app.duties.run_due()
    [ask] = [c for c in world.api.dms_to(SENSEI) if "Keep it or cancel?" in c.args["text"]]
    assert "Only 1 of the minimum 3 is going to “Kata”" in ask.args["text"]
    keep, cancel = command_buttons(ask.args["blocks"])
    assert (keep["value"], keep["style"], keep["text"]["text"]) == (
        f"/keep-session {sid}",
        "primary",
        "Keep",
    )
    assert (cancel["value"], cancel["style"]) == (
        f"/cancel-session {sid} Fewer than 3 going",
        "danger",
    )

    ts = ask.result["ts"]
    refused = await world.click(cancel["action_id"], cancel["value"], ANA, f"D{SENSEI}", ts)
    assert "Only" in json.dumps(refused, ensure_ascii=False)
    assert (await world.app.service.get(sid)).status is SessionStatus.SCHEDULED
    await world.click(cancel["action_id"], cancel["value"], SENSEI, f"D{SENSEI}", ts)
    assert (await world.app.service.get(sid)).status is SessionStatus.CANCELED
    told = [c.args["text"] for c in world.api.dms_to(ANA) if "was canceled" in c.args["text"]]
    assert len(told) == 1 and "Reason: Fewer than 3 going" in told[0], told
    late = await world.click(keep["action_id"], keep["value"], SENSEI, f"D{SENSEI}", ts)
    assert "“Kata” was already canceled at" in json.dumps(late, ensure_ascii=False), late
