"""Weekly classes from Slack: /schedule-class, one card with an "Every week" button, the
button making a member go to every class, and a hostile title that never becomes a live
mention (issue 14)."""

from __future__ import annotations

import json

from core.model import RsvpStatus, SessionFilter
from tests.adapters.slack.world import ANA, CHANNEL, SENSEI, SlackWorld

SERIES = '"Kids <!channel> & <@U0ANA>" every mon,wed 17:30 60m cap 2 until 2027-06-30'


async def test_a_weekly_class_from_slack_posts_one_card_with_every_week(
    world: SlackWorld,
) -> None:
    reply = await world.command("/schedule-class", SERIES, SENSEI)
    text = json.dumps(reply)
    assert "Weekly class" in text and "set (id" in text
    assert "<!channel>" not in text and "<@U0ANA>" not in text  # escaped, never live
    [post] = world.api.channel_posts(CHANNEL)
    buttons = [
        element
        for block in post.args["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    [every] = [b for b in buttons if b["action_id"] == "dojo_every_week"]
    series_id = every["value"]
    answer = await world.click("dojo_every_week", series_id, ANA, CHANNEL, post.result["ts"])
    assert "every class" in json.dumps(answer)
    occurrences = [
        s
        for s in await world.app.store.list_sessions(SessionFilter(limit=100))
        if s.series_id == series_id
    ]
    assert len(occurrences) == 8
    for session in occurrences:
        [rsvp] = await world.app.store.list_rsvps(session.id)
        assert (rsvp.member_id.endswith(ANA), rsvp.status) == (True, RsvpStatus.GOING)
    listing = await world.command("/classes", "", ANA)
    assert series_id in json.dumps(listing)
