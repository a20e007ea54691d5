"""Clock leadership through a PostgreSQL advisory lock: one leader, prompt takeover."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import pytest

from adapters.sql.leader import ClockLeader, LocalLeader, lead, leader_for
from tests.pg_server import PostgresServer

INTERVAL = 0.05
"""Followers retry this often here (5 s by default)."""
WITHIN = 10.0
"""Bound on every wait: a takeover taking longer fails the test instead of hanging it."""
REPO = Path(__file__).resolve().parents[3]


async def test_one_of_two_leads(pg_url: str) -> None:
    async with (
        ClockLeader(pg_url, interval=INTERVAL) as a,
        ClockLeader(pg_url, interval=INTERVAL) as b,
    ):
        assert await a.try_acquire()
        assert not await b.try_acquire()
        assert a.is_leader
        assert not b.is_leader
        assert await a.try_acquire()  # already leading
        assert not await b.wait_until_leader(within=INTERVAL * 3)


async def test_release_hands_over(pg_url: str) -> None:
    async with (
        ClockLeader(pg_url, interval=INTERVAL) as a,
        ClockLeader(pg_url, interval=INTERVAL) as b,
    ):
        await a.acquire()
        follower = asyncio.create_task(b.acquire())
        await a.release()
        await asyncio.wait_for(a.lost(), WITHIN)
        await asyncio.wait_for(follower, WITHIN)
        assert b.is_leader
        assert not a.is_leader


async def test_killed_connection_hands_over(pg_url: str, pg_server: PostgresServer) -> None:
    """The leader's backend is terminated (its process died, the network dropped): the lock
    is released by PostgreSQL, the leader notices, the follower takes over."""
    async with (
        ClockLeader(pg_url, interval=INTERVAL) as a,
        ClockLeader(pg_url, interval=INTERVAL) as b,
    ):
        await a.acquire()
        follower = asyncio.create_task(b.acquire())
        await terminate_backend(pg_server, a.backend_pid)
        await asyncio.wait_for(a.lost(), WITHIN)
        await asyncio.wait_for(follower, WITHIN)
        assert b.is_leader
        assert not a.is_leader
        assert not await a.try_acquire()  # reconnects, and now follows


async def terminate_backend(server: PostgresServer, pid: int | None) -> None:
    import asyncpg  # type: ignore[import-untyped]

    assert pid is not None
    admin = await asyncpg.connect(server.dsn("postgres"))
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


LEADER_PROCESS = """
import asyncio, sys
from adapters.sql.leader import ClockLeader

async def main():
    leader = ClockLeader(sys.argv[1], interval=0.05)
    await leader.acquire()
    print("leading", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)

asyncio.run(main())
"""


async def test_killed_process_hands_over(pg_url: str) -> None:
    """A leading process killed with SIGKILL: another process takes over."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        LEADER_PROCESS,
        pg_url,
        cwd=REPO,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), WITHIN)
        assert line.strip() == b"leading"
        async with ClockLeader(pg_url, interval=INTERVAL) as survivor:
            assert not await survivor.try_acquire()
            process.send_signal(signal.SIGKILL)
            assert await survivor.wait_until_leader(within=WITHIN)
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()
    assert process.returncode == -signal.SIGKILL


async def test_lead_runs_the_clock_only_while_leading(
    pg_url: str, pg_server: PostgresServer
) -> None:
    events: list[str] = []
    started = asyncio.Event()
    stopped = asyncio.Event()

    async def start() -> None:
        events.append("start")
        started.set()

    async def stop() -> None:
        events.append("stop")
        stopped.set()

    async with (
        ClockLeader(pg_url, interval=INTERVAL) as holder,
        ClockLeader(pg_url, interval=INTERVAL) as mine,
    ):
        await holder.acquire()
        assert not await mine.wait_until_leader(within=INTERVAL * 3)  # cancelled attempts
        assert events == []
        task = asyncio.create_task(lead(mine, start, stop))
        with pytest.raises(TimeoutError):  # several attempts, none successful
            await asyncio.wait_for(asyncio.shield(started.wait()), INTERVAL * 4)
        assert events == []
        await holder.release()
        await asyncio.wait_for(started.wait(), WITHIN)
        started.clear()
        await terminate_backend(pg_server, mine.backend_pid)  # leadership lost …
        await asyncio.wait_for(stopped.wait(), WITHIN)
        await asyncio.wait_for(started.wait(), WITHIN)  # … and, the lock free, won back
        assert events == ["start", "stop", "start"]
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert events == ["start", "stop", "start", "stop"]


async def test_connection_check_notices_a_dead_server_connection(pg_url: str) -> None:
    """A leader whose lock connection stops answering gives up leadership by itself."""
    async with ClockLeader(pg_url, interval=INTERVAL) as leader:
        await leader.acquire()
        leader._connection.terminate()  # the socket is gone, as after a network failure
        await asyncio.wait_for(leader.lost(), WITHIN)
        assert not leader.is_leader


async def test_advisory_lock_is_visible_to_the_server(
    pg_url: str, pg_server: PostgresServer
) -> None:
    import asyncpg

    async with ClockLeader(pg_url, interval=INTERVAL) as leader:
        await leader.acquire()
        admin = await asyncpg.connect(pg_url.replace("postgresql+asyncpg", "postgresql"))
        try:
            holders = await admin.fetch(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            )
        finally:
            await admin.close()
        assert [r["pid"] for r in holders] == [leader.backend_pid]


async def test_sqlite_has_one_local_leader(tmp_path: Path) -> None:
    leader = leader_for(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    assert isinstance(leader, LocalLeader)
    await leader.acquire()
    assert leader.is_leader
    waiting = asyncio.create_task(leader.lost())
    await asyncio.sleep(0)
    assert not waiting.done()
    await leader.release()
    await asyncio.wait_for(waiting, WITHIN)
    assert not leader.is_leader


def test_postgres_urls_get_an_advisory_lock_leader() -> None:
    for url in ("postgres://u:p@db/x", "postgresql://u@db/x", "postgresql+asyncpg://u@db/x"):
        assert isinstance(leader_for(url), ClockLeader)
    with pytest.raises(ValueError, match="positive"):
        ClockLeader("postgresql://u@db/x", interval=0)
