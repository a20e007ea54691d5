"""Several dojobot processes on one PostgreSQL database: exactly one runs the clock, another
takes over when it dies, and the leading clock hears what the others scheduled."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from adapters.sql.leader import ClockLeader
from adapters.web import WebSettings
from bot.bootstrap import App, bootstrap
from bot.settings import Settings
from core.commands import ScheduleSession
from core.model import Member, Origin, Role
from core.testing.clock import FakeClock

INTERVAL = 0.2
WITHIN = 10.0
SENSEI = Member(id="terminal:sensei", display_name="sensei", role=Role.INSTRUCTOR)
ORIGIN = Origin(platform="terminal", workspace_id="local", channel_id="dojo")


@asynccontextmanager
async def process(
    url: str, tmp: Path, clock: FakeClock, on_replan: Callable[[App], None] | None = None
) -> AsyncIterator[App]:
    """One dojobot process (no HTTP) whose clock campaigns with a short retry interval;
    `on_replan` is told each time its alarm re-reads the next due time."""
    settings = Settings(
        data_dir=tmp, database_url=url, web=WebSettings(enabled=False), _env_file=None
    )
    leader = ClockLeader(url, interval=INTERVAL)
    app = await bootstrap(
        settings, clock=clock, write=lambda _line: None, serve_http=False, leader=leader
    )
    if on_replan is not None:
        replan = app.alarm.replan

        async def replan_and_tell() -> None:
            await replan()
            on_replan(app)

        app.alarm.replan = replan_and_tell  # type: ignore[method-assign]
    await app.start()
    try:
        yield app
    finally:
        await app.close()


async def first_leader(*apps: App) -> App:
    waits = {asyncio.ensure_future(app.clock.leading.wait()): app for app in apps}
    done, pending = await asyncio.wait(waits, timeout=WITHIN, return_when="FIRST_COMPLETED")
    for future in pending:
        future.cancel()
    assert done, "no process took the clock"
    return waits[done.pop()]


async def test_one_clock_runs_and_another_takes_over(pg_url: str, tmp_path: Path) -> None:
    clock = FakeClock()
    async with (
        process(pg_url, tmp_path / "a", clock) as a,
        process(pg_url, tmp_path / "b", clock) as b,
    ):
        leader = await first_leader(a, b)
        follower = b if leader is a else a
        assert leader.alarm.running and not follower.alarm.running
        assert leader.clock.healthy and follower.clock.healthy  # standing by is healthy
        await leader.clock.stop()  # the leading process goes away; its lock goes with it
        await asyncio.wait_for(follower.clock.leading.wait(), WITHIN)
        assert follower.alarm.running and not leader.alarm.running


async def test_the_leading_clock_hears_what_another_process_scheduled(
    pg_url: str, tmp_path: Path
) -> None:
    clock = FakeClock()
    start = clock.now() + timedelta(hours=30)
    planned = asyncio.Event()

    def check(app: App) -> None:
        if app.alarm.planned_for == start - timedelta(hours=24):
            planned.set()

    async with process(pg_url, tmp_path / "clock", clock, on_replan=check) as clock_process:
        await asyncio.wait_for(clock_process.clock.leading.wait(), WITHIN)
        assert not planned.is_set()
        settings = Settings(
            data_dir=tmp_path / "web",
            database_url=pg_url,
            web=WebSettings(enabled=False),
            _env_file=None,
        )
        web = await bootstrap(settings, clock=clock, write=lambda _line: None, serve_http=False)
        try:
            await web.service.schedule(
                SENSEI, ScheduleSession(title="Kata", start_time=start), ORIGIN
            )
        finally:
            await web.store.close()
        await asyncio.wait_for(planned.wait(), WITHIN)
