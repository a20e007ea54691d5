"""Exactly-once reminder DMs under kill -9: a 10,000-DM fan-out, SIGKILLed at random points.

    python -m bench.fanout_crash [--members 10000] [--kills 10] [--stores sqlite,postgres]
                                 [--platforms slack,discord] [--time-scale 10] [--seed 11]
                                 [--no-lookup]

For each store × platform: one session with N going members and its 24 h reminder due; the
fake platform runs in its own process (tests/fakes/slack_api.py, tests/fakes/discord_api.py:
Discord's limits enforced, nonces remembered only for a few minutes). Dispatcher processes
(`bench.fanout_crash_worker`, the production path over the real SQL store and the real
slack_sdk / discord.py clients) are started one after the other; each of the first `kills`
is SIGKILLed once the fake has received a random number of DMs (sorted uniform targets over
the fan-out) plus a random 0–50 ms, so kills land anywhere: mid-claim, mid-send, mid-mark.
Each restart's clock starts 10 minutes later than the last one's (past the claim's 2-minute
lease, and past Discord's nonce window, whose clock the fake is told to advance alike), so
only the marker lookup can stop a re-send. A last process runs to the end.

Lost and duplicates are counted from what the fakes received (messages per member's DM
channel), not from the store. `--no-lookup` is the control: the same kills with the platform
never asked (what a re-claim did before). Prints a table; asserts nothing. PostgreSQL: a
throwaway server (tests/pg_server.py) or DOJOBOT_TEST_POSTGRES_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp

from core.model import Origin, ReminderKind, TrainingSession
from core.reminders import plan_reminders

START = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
DUE = START - timedelta(hours=24)
RESTART_STEP = timedelta(minutes=10)
"""How much later each restarted process's clock starts (lease 2 min, nonces ~3 min)."""
FIRST_DISCORD_USER = 10**17
SLACK_TEAM = "T0DOJO"
WORKER_TIMEOUT_S = 900.0


@dataclass
class Result:
    store: str
    platform: str
    members: int
    kills: int
    delivered: int
    duplicates: int
    lost: int
    lookups: int
    nonce_hits: int
    too_many: int
    seconds: float


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def member_ids(platform: str, members: int) -> list[str]:
    from tests.fakes.slack_api import bench_user

    if platform == "slack":
        return [f"slack:{SLACK_TEAM}:{bench_user(i)}" for i in range(members)]
    return [f"discord:{FIRST_DISCORD_USER + i}" for i in range(members)]


async def seed(url: str, platform: str, members: int) -> None:
    """One session, `members` going, only its 24 h reminder planned (due at DUE)."""
    from adapters.sql.store import open_sql_store

    store = await open_sql_store(url)
    try:
        now = START - timedelta(days=2)
        session = TrainingSession(
            id="fanout",
            title="Fan-out",
            instructor_id=member_ids(platform, 1)[0],
            instructor_name="sensei",
            start_time=START,
            duration_minutes=60,
            origin=Origin(platform=platform, workspace_id="1", channel_id=None),
            created_at=now,
            updated_at=now,
        )
        await store.add_session(session)
        for i, member in enumerate(member_ids(platform, members)):
            await store.rsvp_going(session.id, member, f"m{i}", now)
        reminders = plan_reminders(session, now)
        await store.replace_reminders(
            session.id, [r for r in reminders if r.kind is ReminderKind.BEFORE_24H]
        )
    finally:
        await store.close()


@asynccontextmanager
async def fake_platform(platform: str, members: int, scale: float) -> AsyncIterator[str]:
    """The fake's API base URL, the fake running in its own process meanwhile."""
    if platform == "slack":
        args = ["-m", "tests.fakes.slack_api", str(members)]
    else:
        args = ["-m", "tests.fakes.discord_api", "50", str(1.0 / scale)]
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    try:
        yield (await process.stdout.readline()).decode().strip()
    finally:
        process.terminate()
        await process.wait()


def fake_url(platform: str, base: str, path: str) -> str:
    root = base.rsplit("/api/", 1)[0]
    return f"{root}/_fake/{path}"


async def stats(http: aiohttp.ClientSession, platform: str, base: str) -> dict[str, Any]:
    async with http.get(fake_url(platform, base, "stats")) as response:
        data: dict[str, Any] = await response.json()
        return data


def per_member(platform: str, data: dict[str, Any]) -> list[int]:
    if platform == "slack":
        return [int(n) for channel, n in data["messages"].items() if channel.startswith("DU")]
    return [int(n) for n in data["dm_messages"].values()]


async def one_run(store: str, url: str, platform: str, args: argparse.Namespace) -> Result:
    rng = random.Random(f"{args.seed}-{store}-{platform}")
    members, kills, scale = args.members, args.kills, args.time_scale
    log(f"{store} × {platform}: seeding {members:,} members …")
    await seed(url, platform, members)
    targets = sorted(rng.sample(range(1, members), kills))
    state = Path(tempfile.mkdtemp(prefix="fanout-crash-"))
    began = time.perf_counter()
    async with fake_platform(platform, members, scale) as base, aiohttp.ClientSession() as http:
        for restart in range(kills + 1):
            now = DUE + restart * RESTART_STEP
            worker = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench.fanout_crash_worker",
                url,
                platform,
                base,
                now.isoformat(),
                str(state),
                str(scale),
                *(["blind"] if args.no_lookup else []),
                stdout=asyncio.subprocess.PIPE,
            )
            if restart < kills:
                target = targets[restart]
                while sum(per_member(platform, await stats(http, platform, base))) < target:
                    if worker.returncode is not None:
                        break
                    await asyncio.sleep(0.01)
                await asyncio.sleep(rng.uniform(0, 0.05))
                if worker.returncode is None:
                    worker.kill()
                await worker.wait()
                sent = sum(per_member(platform, await stats(http, platform, base)))
                log(f"  kill {restart + 1}/{kills} at {sent:,} DMs (target {target:,})")
                if platform == "discord":  # the restart took longer than Discord keeps nonces
                    seconds = RESTART_STEP.total_seconds() / scale
                    async with http.post(fake_url(platform, base, f"advance?seconds={seconds}")):
                        pass
            else:
                assert worker.stdout is not None
                done = await asyncio.wait_for(worker.stdout.read(), WORKER_TIMEOUT_S)
                await worker.wait()
                log(f"  last process: {done.decode().strip()!r}, exit {worker.returncode}")
        data = await stats(http, platform, base)
    counts = per_member(platform, data)
    delivered = sum(1 for n in counts if n >= 1)
    lookups = data["history_calls"] if platform == "slack" else data["history_reads"]
    return Result(
        store=store,
        platform=platform,
        members=members,
        kills=kills,
        delivered=delivered,
        duplicates=sum(n - 1 for n in counts if n > 1),
        lost=members - delivered,
        lookups=int(lookups),
        nonce_hits=int(data.get("nonce_hits", 0)),
        too_many=int(data.get("global_429s", 0)) + int(data.get("route_429s", 0)),
        seconds=time.perf_counter() - began,
    )


@asynccontextmanager
async def database(store: str, index: int) -> AsyncIterator[str]:
    if store == "sqlite":
        directory = Path(tempfile.mkdtemp(prefix="fanout-crash-db-"))
        yield f"sqlite+aiosqlite:///{directory / 'dojo.db'}"
        return
    from tests.pg_server import running_server

    with running_server() as server:
        name = await server.create_database(f"fanout_crash_{index}")
        try:
            yield server.url(name)
        finally:
            await server.drop_database(name)


def table(results: list[Result]) -> str:
    head = (
        "| store | platform | DMs due | SIGKILLs | delivered | lost | duplicates "
        "| platform look-ups | nonce hits | 429s | wall s |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|"
    )
    rows = [
        f"| {r.store} | {r.platform} | {r.members:,} | {r.kills} | {r.delivered:,} | {r.lost} "
        f"| {r.duplicates} | {r.lookups} | {r.nonce_hits} | {r.too_many} | {r.seconds:.0f} |"
        for r in results
    ]
    return "\n".join([head, *rows])


async def main_async(args: argparse.Namespace) -> None:
    results = []
    index = 0
    for store in args.stores.split(","):
        for platform in args.platforms.split(","):
            index += 1
            async with database(store, index) as url:
                results.append(await one_run(store, url, platform, args))
            log(table(results[-1:]))
    print(table(results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--platforms", default="slack,discord")
    parser.add_argument("--time-scale", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-lookup", action="store_true", help="control: never ask the platform")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
