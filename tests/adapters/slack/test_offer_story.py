"""Waitlist offers on Slack, through the fake Web API over HTTP: a freed seat is DMed to the
first waitlisted member with Claim (primary) and Pass buttons; someone else clicking Claim is
told it is not their turn, the member's own click takes the seat, once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.slack.ids import member_id
from bot.offer_settings import OfferSettings
from core.model import RsvpStatus
from tests.adapters.slack.world import (
    ANA,
    BEN,
    CAL,
    SENSEI,
    SlackWorld,
    command_buttons,
    make_world,
    scheduled_id,
)
from tests.fakes.slack_api import TEAM


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[SlackWorld]:
    built = await make_world(tmp_path, settings_extra={"offers": OfferSettings(enabled=True)})
    yield built
    await built.close()


async def test_claim_button_takes_the_offered_seat_for_its_member_only(world: SlackWorld) -> None:
    reply = await world.command("/schedule-session", '"Kata" tomorrow 18:00 60m cap 1', SENSEI)
    sid = scheduled_id(reply)
    for who in (ANA, BEN, CAL):
        await world.command("/rsvp", sid, who)
    await world.command("/unrsvp", sid, ANA)

    [offer] = [c for c in world.api.dms_to(BEN) if "A seat in “Kata” is free" in c.args["text"]]
    claim, pass_ = command_buttons(offer.args["blocks"])
    assert (claim["value"], claim["style"], claim["text"]["text"]) == (
        f"/claim {sid}",
        "primary",
        "Claim",
    )
    assert (pass_["value"], pass_["text"]["text"]) == (f"/pass {sid}", "Pass")
    assert not [c for c in world.api.dms_to(CAL) if "A seat" in c.args["text"]]

    ts = offer.result["ts"]
    refused = await world.click(claim["action_id"], claim["value"], CAL, f"D{BEN}", ts)
    assert "No seat in “Kata” is offered to you yet." in json.dumps(refused, ensure_ascii=False)
    won = await world.click(claim["action_id"], claim["value"], BEN, f"D{BEN}", ts)
    assert "is yours: you're going" in json.dumps(won, ensure_ascii=False)
    again = await world.click(claim["action_id"], claim["value"], BEN, f"D{BEN}", ts)
    assert "already going" in json.dumps(again, ensure_ascii=False)
    view = await world.app.service.view(sid)
    assert [r.member_id for r in view.going] == [member_id(TEAM, BEN)]
    assert [r.status for r in view.waitlisted] == [RsvpStatus.WAITLISTED]
