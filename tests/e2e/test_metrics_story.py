"""Metrics through the whole app (bootstrap, Slack over HTTP against the fake Web API):
the counters move as the story goes, and `/metrics` never shows a member id, a title, a
token or a session id."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from adapters.metrics.registry import DojoMetrics
from bot.wiring.web import build_web
from tests.adapters.slack.recorded_waits import slack_with_recorded_waits
from tests.adapters.slack.world import (
    ADMIN,
    ANA,
    BEN,
    CAL,
    CHANNEL,
    GUEST,
    SENSEI,
    SlackWorld,
    make_world,
)
from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET

TITLE = "Zanshin Evening Kata"


def metrics_of(world: SlackWorld) -> DojoMetrics:
    assert world.app.metering is not None and world.app.metering.metrics is not None
    return world.app.metering.metrics


async def scrape(world: SlackWorld) -> str:
    assert world.app.web is not None
    async with httpx.AsyncClient(base_url=world.app.web.base_url) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    return response.text


@pytest.fixture(autouse=True)
def _no_slack_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)


async def test_a_story_moves_the_counters_and_leaks_nothing(tmp_path: Path) -> None:
    waits: list[float] = []
    world = await make_world(tmp_path, factory=slack_with_recorded_waits(waits), also=[build_web])
    metrics = metrics_of(world)
    api = world.api
    try:
        # a 429 on the announcement: waited out (Retry-After), retried, counted both ways
        api.rate_limit_next("chat.postMessage", times=1, retry_after=3)
        reply = await world.command(
            "/schedule-session", f'"{TITLE}" tomorrow 18:00 capacity 2', SENSEI
        )
        assert reply["text"].startswith("Scheduled") and len(waits) == 1
        post = {"vendor": "slack", "method": "chat.postMessage"}
        assert metrics.value("dojobot_vendor_calls_total", post | {"outcome": "429"}) == 1
        assert metrics.value("dojobot_vendor_calls_total", post | {"outcome": "2xx"}) == 1
        assert metrics.value("dojobot_vendor_retries_total", post) == 1

        card = api.channel_posts(CHANNEL)[-1]
        ts = card.result["ts"]
        sid = api.message(CHANNEL, ts).blocks[2]["elements"][0]["text"].split("`")[1]

        # RSVPs: two going, one waitlisted, one again (unchanged), a guest refused, a leave
        # that promotes the waitlisted member
        for user in (ANA, BEN, CAL, ANA, GUEST):
            await world.click("dojo_rsvp_going", sid, user, CHANNEL, ts)
        await world.click("dojo_rsvp_leave", sid, BEN, CHANNEL, ts)
        rsvps = {
            outcome: metrics.value("dojobot_rsvps_total", {"outcome": outcome})
            for outcome in ("going", "waitlisted", "unchanged", "refused", "left", "promoted")
        }
        assert rsvps == dict.fromkeys(rsvps, 1) | {"going": 2}

        # the 24 h reminder, sent 90 s late (the clock was down): Ana and Cal (the channel
        # gets only the 10-minute one by default)
        session = await world.app.service.get(sid)
        world.clock.set(session.start_time - timedelta(hours=24) + timedelta(seconds=90))
        report = await world.app.duties.run_due()
        assert report.reminders_sent == 2
        day = {"kind": "24h", "platform": "slack"}
        assert metrics.value("dojobot_reminders_due_total", day) == 2
        assert metrics.value("dojobot_reminders_sent_total", day) == 2
        assert metrics.value("dojobot_reminder_lateness_seconds_count", day) == 2
        assert metrics.value("dojobot_reminder_lateness_seconds_sum", day) == 2 * 90
        assert metrics.value("dojobot_reminder_lateness_seconds_bucket", day | {"le": "60.0"}) == 0
        assert metrics.value("dojobot_reminder_lateness_seconds_bucket", day | {"le": "120.0"}) == 2

        # down from before the 1 h reminder to 5 min before the start: the 1 h reminder is
        # stale (skipped, with the reason), the 10 min one goes out 5 min late
        world.clock.set(session.start_time - timedelta(minutes=5))
        await world.app.duties.run_due()
        skipped = {"kind": "1h", "platform": "slack", "reason": "stale"}
        assert metrics.value("dojobot_reminders_skipped_total", skipped) == 1
        hour = {"kind": "1h", "platform": "slack"}
        assert metrics.value("dojobot_reminders_sent_total", hour) == 0
        last = {"kind": "10m", "platform": "slack"}
        assert metrics.value("dojobot_reminders_sent_total", last) == 3
        assert metrics.value("dojobot_reminder_lateness_seconds_sum", last) == 3 * 300

        # a page whose path carries the session id, a join page with a token in its path
        assert world.app.web is not None
        async with httpx.AsyncClient(base_url=world.app.web.base_url) as client:
            await client.get(f"/sessions/{sid}")
            await client.get("/join/not-a-real-token-0123456789")

        text = await scrape(world)
        assert "dojobot_clock_leading 1.0" in text
        assert re.search(
            r'dojobot_http_requests_total\{method="POST",route="/slack/events",status="200"\} \d',
            text,
        )
        assert 'route="/join/{token}"' in text
        assert 'route="/sessions/{session_id}"' in text
        secrets = [ANA, BEN, CAL, GUEST, SENSEI, ADMIN, "T0DOJO", TITLE, "Zanshin", BOT_TOKEN]
        secrets += [SIGNING_SECRET, sid, "not-a-real-token", "Admiral", "Sensei"]
        assert [s for s in secrets if s in text] == []
    finally:
        await world.close()
