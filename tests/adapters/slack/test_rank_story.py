"""Rank progress on Slack, through the fake Web API over HTTP: a member attends a class (a
join-link click), `/progress` counts it; a mention names the member in `/promote` (a
member is refused; the promoted member gets one congratulation DM); an admin corrects with
`/promotion-fix` and removes with `/promotion-remove`. Every reply goes only to the typer."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.ids import member_id
from bot.rank_settings import RankSettings
from core.model import Member
from tests.adapters.slack.world import ADMIN, ANA, BEN, SENSEI, SlackWorld, make_world, scheduled_id
from tests.fakes.slack_api import TEAM

LADDER = '[{"name": "White", "min_classes": 1}, {"name": "Orange", "min_classes": 2}]'


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[SlackWorld]:
    ranks = RankSettings.model_validate({"ladder": LADDER})
    built = await make_world(tmp_path, settings_extra={"ranks": ranks})
    yield built
    await built.close()


def said(reply: dict[str, Any]) -> str:
    return json.dumps(reply, ensure_ascii=False)


async def test_progress_promote_fix_and_remove(world: SlackWorld) -> None:
    reply = await world.command("/schedule-session", '"Kata" tomorrow 18:00 60m cap 20', SENSEI)
    sid = scheduled_id(reply)
    await world.command("/rsvp", sid, ANA)
    session = await world.app.service.get(sid)
    world.clock.set(session.start_time)
    await world.command("/start-session", sid, SENSEI)
    ana = member_id(TEAM, ANA)
    await world.app.service.open_room(Member(id=ana, display_name="Ana"), sid)  # presence
    world.clock.set(session.start_time + timedelta(minutes=session.duration_minutes))
    await world.command("/end-session", sid, SENSEI)

    mine = await world.command("/progress", "", ANA)
    assert mine["response_type"] == "ephemeral"
    assert "1/1 classes toward White" in said(mine), said(mine)
    refused = await world.command("/progress", f"<@{ANA}|ana>", BEN)
    assert "Only instructors and admins" in said(refused), said(refused)
    refused = await world.command("/promote", f"<@{ANA}|ana> White", BEN)
    assert "Only instructors and admins can record" in said(refused), said(refused)

    promoted = await world.command("/promote", f"<@{ANA}|ana> white", SENSEI)
    assert "Ana promoted to White" in said(promoted), said(promoted)
    told = [c for c in world.api.dms_to(ANA) if "Congratulations" in str(c.args.get("text"))]
    assert len(told) == 1
    theirs = await world.command("/progress", f"<@{ANA}|ana>", SENSEI)
    assert "Progress of Ana" in said(theirs) and "toward Orange" in said(theirs), said(theirs)

    fixed = await world.command("/promotion-fix", f"<@{ANA}|ana> Orange", ADMIN)
    assert "latest promotion is now Orange" in said(fixed), said(fixed)
    removed = await world.command("/promotion-remove", f"<@{ANA}|ana>", ADMIN)
    assert "Removed Ana's promotion to Orange" in said(removed), said(removed)
