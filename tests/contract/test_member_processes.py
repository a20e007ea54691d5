"""Member codes and identities across real processes on PostgreSQL (and SQLite): two Python
processes, each with its own store, are released at once (a line on their stdin, no sleeps)
to take the same one-time codes and to claim the same identity for different profiles.
Every code goes to exactly one taker; the identity joins exactly one profile."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.sql import open_sql_store
from core.members import CodePurpose, MemberCode
from tests.contract.conftest import sqlite_url
from tests.pg_server import fresh_database, require_server

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
READY_WITHIN = 30.0
CODES = [f"RACE{n:04d}" for n in range(40)]
IDENTITY = "discord:4242"
REPO = Path(__file__).resolve().parents[2]

WORKER = """
import asyncio, json, sys
from datetime import datetime
from adapters.sql import open_sql_store
from core.errors import InvalidState
from core.members import MemberProfile

async def main(url: str, name: str, codes: list[str], now: str) -> None:
    store = await open_sql_store(url)
    at = datetime.fromisoformat(now)
    try:
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        profile = MemberProfile(
            id=f"terminal:{name}", display_name=name, identities=[f"terminal:{name}", sys.argv[5]],
            last_seen_at=at, created_at=at, updated_at=at,
        )
        async def claim() -> bool:
            try:
                await store.save_profile(profile)
            except InvalidState:
                return False
            return True
        taken, saved = await asyncio.gather(
            asyncio.gather(*(store.take_member_code(c, at) for c in codes for _ in range(2))),
            claim(),
        )
        won = [t.code for t in taken if t is not None]
        print(json.dumps({"codes": won, "saved": saved}), flush=True)
    finally:
        await store.close()

asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4]))
"""


@asynccontextmanager
async def database(kind: str, tmp_path: Path) -> AsyncIterator[str]:
    if kind == "sqlite":
        yield sqlite_url(tmp_path / "members.db")
        return
    async with fresh_database(require_server()) as url:
        yield url


async def worker(url: str, name: str) -> asyncio.subprocess.Process:
    env = os.environ | {"PYTHONPATH": str(REPO)}
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        WORKER,
        url,
        name,
        ",".join(CODES),
        (T0 + timedelta(minutes=1)).isoformat(),
        IDENTITY,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        env=env,
        cwd=REPO,
    )


async def line_of(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    return (await asyncio.wait_for(process.stdout.readline(), READY_WITHIN)).decode().strip()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_two_processes_take_each_code_once_and_one_profile_gets_the_identity(
    kind: str, tmp_path: Path
) -> None:
    async with database(kind, tmp_path) as url:
        store = await open_sql_store(url)
        try:
            for code in CODES:
                await store.add_member_code(
                    MemberCode(
                        code=code,
                        purpose=CodePurpose.LINK,
                        member_id="slack:T1:U1",
                        issued_by="slack:T1:U1",
                        expires_at=T0 + timedelta(minutes=10),
                    )
                )
            processes = [await worker(url, name) for name in ("ana", "bo")]
            try:
                assert [await line_of(p) for p in processes] == ["ready", "ready"]
                for process in processes:
                    assert process.stdin is not None
                    process.stdin.write(b"go\n")
                    await process.stdin.drain()
                results = [json.loads(await line_of(p)) for p in processes]
            finally:
                for process in processes:
                    if process.returncode is None:
                        await asyncio.wait_for(process.wait(), READY_WITHIN)
            won = [code for result in results for code in result["codes"]]
            assert sorted(won) == CODES  # every code once, over both processes
            assert [r["saved"] for r in results].count(True) == 1
            owner = await store.get_profile(IDENTITY)
            assert owner is not None and owner.id in ("terminal:ana", "terminal:bo")
            loser = "terminal:bo" if owner.id == "terminal:ana" else "terminal:ana"
            assert await store.get_profile(loser) is None
        finally:
            await store.close()
