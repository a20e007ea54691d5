"""RSVP throughput: 50 concurrent clients RSVPing through one store (PostgreSQL or SQLite).

    python -m bench.rsvp_throughput [--clients 50] [--per-client 40] [--url URL]

Each client is a task of one process (as the web or chat process serves its users) calling
`SessionStore.rsvp_going` for a new member each time: "spread" sends them to 100 sessions in
turn, "one session" sends every RSVP to the same session (worst case: they all queue on its
row lock). Capacity 20; every RSVP is a write transaction. Prints a table (RSVPs/s, latency
p50/p99); PostgreSQL runs on a throwaway server (tests/pg_server.py) unless --url is given.
This is a benchmark, not a timed test: it asserts only that capacity held.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from adapters.sql import SqlSessionStore, open_sql_store
from core.model import TrainingSession

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CAPACITY = 20
PATTERNS = {"spread over 100 sessions": 100, "one session": 1}


@dataclass
class Throughput:
    store: str
    pattern: str
    clients: int
    rsvps: int
    seconds: float
    p50: float
    p99: float

    def row(self) -> str:
        return (
            f"| {self.store} | {self.pattern} | {self.clients} | {self.rsvps:,} "
            f"| {self.rsvps / self.seconds:,.0f} | {self.p50 * 1000:.1f} ms "
            f"| {self.p99 * 1000:.1f} ms |"
        )


HEADER = [
    "| store | RSVPs go to | clients | RSVPs | RSVPs/s | latency p50 | latency p99 |",
    "|---|---|---:|---:|---:|---:|---:|",
]


def _session(session_id: str) -> TrainingSession:
    return TrainingSession(
        id=session_id,
        title="Randori",
        instructor_id="terminal:sensei",
        instructor_name="Sensei",
        start_time=NOW + timedelta(days=1),
        duration_minutes=60,
        capacity=CAPACITY,
        created_at=NOW,
        updated_at=NOW,
    )


async def measure(
    store: SqlSessionStore, label: str, pattern: str, clients: int, per_client: int
) -> Throughput:
    """Run the clients against fresh sessions of `store` and time every RSVP."""
    prefix = f"{pattern[:3]}{time.time_ns()}-"
    sessions = [f"{prefix}{n:03d}" for n in range(PATTERNS[pattern])]
    for session_id in sessions:
        await store.add_session(_session(session_id))
    latencies: list[float] = []

    async def client(c: int) -> None:
        for i in range(per_client):
            session_id = sessions[(c + i * clients) % len(sessions)]
            started = time.perf_counter()
            await store.rsvp_going(session_id, f"terminal:c{c}-{i}", "Member", NOW)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client(c) for c in range(clients)))
    seconds = time.perf_counter() - started
    for session_id in sessions:
        assert await store.count_going(session_id) <= CAPACITY
    cuts = statistics.quantiles(latencies, n=100)
    return Throughput(
        label, pattern, clients, len(latencies), seconds, statistics.median(latencies), cuts[98]
    )


async def run_store(url: str, label: str, clients: int, per_client: int) -> list[Throughput]:
    store = await open_sql_store(url)
    try:
        await measure(store, label, "one session", clients, 2)  # warm-up: pool, statements
        return [await measure(store, label, p, clients, per_client) for p in PATTERNS]
    finally:
        await store.close()


async def run_all(postgres_url: str, clients: int, per_client: int) -> list[Throughput]:
    """Both stores, PostgreSQL first."""
    results = await run_store(postgres_url, "PostgreSQL", clients, per_client)
    with tempfile.TemporaryDirectory(prefix="dojobot-rsvp-") as tmp:
        sqlite_url = f"sqlite+aiosqlite:///{Path(tmp) / 'rsvp.db'}"
        results += await run_store(sqlite_url, "SQLite (WAL)", clients, per_client)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.rsvp_throughput", description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=40)
    parser.add_argument("--url", help="PostgreSQL URL (default: a throwaway server)")
    args = parser.parse_args(argv)
    from tests.pg_server import running_server

    if args.url:
        results = asyncio.run(run_all(args.url, args.clients, args.per_client))
    else:
        with running_server() as server:
            database = asyncio.run(server.create_database("dojobot_rsvp_bench"))
            results = asyncio.run(run_all(server.url(database), args.clients, args.per_client))
    print("\n".join(HEADER + [r.row() for r in results]))


if __name__ == "__main__":
    main()
