"""429s honoured through slack_sdk's retry handlers; chat.postMessage paced per channel."""

from __future__ import annotations

from pathlib import Path

from adapters.slack.pacing import ChannelPacer
from core.model import SessionFilter
from tests.adapters.slack.recorded_waits import slack_with_recorded_waits
from tests.adapters.slack.world import CHANNEL, SENSEI, make_world


async def test_a_429_burst_is_retried_after_retry_after(tmp_path: Path) -> None:
    waits: list[float] = []
    factory = slack_with_recorded_waits(waits)
    world = await make_world(tmp_path, factory=factory, rate_limit_retries=3)
    try:
        world.api.rate_limit_next("chat.postMessage", times=3, retry_after=7)
        reply = await world.command("/schedule-session", '"Kata" tomorrow 18:00', SENSEI)
        assert reply["text"].startswith("Scheduled")
        assert len(world.api.calls_of("chat.postMessage")) == 4  # 3 × 429, then posted
        assert len(waits) == 3 and all(7 <= w < 8 for w in waits)
        session = (await world.app.store.list_sessions(SessionFilter()))[0]
        assert session.origin is not None and session.origin.message_ref is not None

        # a burst longer than the retries: the card fails, the session and the reply do not
        world.api.rate_limit_next("chat.postMessage", times=4, retry_after=1)
        reply = await world.command("/schedule-session", '"Kata 2" tomorrow 19:00', SENSEI)
        assert reply["text"].startswith("Scheduled")
        assert "couldn't post the announcement" in str(reply["blocks"])
        assert len(world.api.channel_posts(CHANNEL)) == 4 + 4
    finally:
        await world.close()


async def test_pacer_spaces_posts_per_channel_only() -> None:
    now = [100.0]
    slept: list[tuple[str, float]] = []
    current = [""]

    async def sleep(seconds: float) -> None:
        slept.append((current[0], round(seconds, 3)))

    pacer = ChannelPacer(1.0, monotonic=lambda: now[0], sleep=sleep)
    for channel in ("C1", "C1", "C1", "D1", "D2"):
        current[0] = channel
        await pacer.wait_turn(channel)
    assert slept == [("C1", 1.0), ("C1", 2.0)]
    now[0] = 110.0
    current[0] = "C1"
    await pacer.wait_turn("C1")
    assert len(slept) == 2  # long idle: no wait
    await ChannelPacer(0).wait_turn("C1")  # no pacing at all: returns at once
