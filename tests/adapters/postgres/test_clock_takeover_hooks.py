"""A process that takes the clock over from a dead one runs its `on_lead` hooks first (the
Discord pacer starts quiet: the dead process may have used Discord's current window)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from core.testing.clock import FakeClock
from tests.adapters.postgres.test_processes import WITHIN, first_leader, process


async def test_the_process_taking_over_runs_its_on_lead_hooks(pg_url: str, tmp_path: Path) -> None:
    clock = FakeClock()
    async with (
        process(pg_url, tmp_path / "a", clock) as a,
        process(pg_url, tmp_path / "b", clock) as b,
    ):
        leader = await first_leader(a, b)
        follower = b if leader is a else a
        took_over: list[bool] = []
        follower.clock.on_lead.append(lambda: took_over.append(follower.alarm.running))
        assert took_over == []
        await leader.clock.stop()
        await asyncio.wait_for(follower.clock.leading.wait(), WITHIN)
        assert took_over == [False]  # called once, before its alarm started
