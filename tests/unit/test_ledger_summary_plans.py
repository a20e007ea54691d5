"""The overview's and the class page's reads on SQLite: what the database is asked to do.

At full scale (bench.training_record: ~320,000 ledger rows in the overview's 12 weeks)
the overview grouped the whole range by a CASE of the week and counted two DISTINCTs, so
SQLite sorted every row of the range three times (504 ms on a quiet machine); and the
class page built an RSVP model per going member (~4,700) only to count them. Now the one
statement reading the whole range streams in index order (no sort at all), the distinct
members are counted week by week, and the going RSVPs are counted from the index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.queries import count_rsvps
from adapters.sql.schema import LEDGER_ORDER_INDEX
from core.model import RsvpStatus
from core.training_ledger import LedgerEntry

MONDAY = datetime(2026, 11, 2, tzinfo=UTC)
BOUNDS = [MONDAY + timedelta(weeks=n) for n in range(13)]


def entry(n: int, member: int) -> LedgerEntry:
    at = MONDAY + timedelta(days=n, hours=18)
    return LedgerEntry(
        session_id=f"s{n:03d}",
        member_id=f"slack:T1:U{member}",
        member_name="Aiko",
        title="Randori",
        series_id="c-randori" if n % 2 else None,
        instructor_id="slack:T1:I1",
        starts_at=at,
        session_seconds=3600,
        seconds_present=3600 * (member % 2),
        attended=bool(member % 2),
        recorded_at=at + timedelta(hours=1),
    )


async def explained(store: SqlSessionStore, statements: list[tuple[str, Any]]) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN of each executed statement, as one string each."""
    plans = []
    async with store.engine.connect() as connection:
        for statement, params in statements:
            rows = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
            plans.append(" | ".join(str(row[-1]) for row in rows))
    return plans


async def summary_plans(store: SqlSessionStore, series_id: str | None) -> list[str]:
    executed: list[tuple[str, Any]] = []

    def seen(_c: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        if "training_ledger" in statement:
            executed.append((statement, params))

    event.listen(store.engine.sync_engine, "before_cursor_execute", seen)
    try:
        await store.ledger_summary(BOUNDS, 5, series_id=series_id)
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", seen)
    return await explained(store, executed)


async def test_no_read_of_the_overview_sorts_its_whole_range(tmp_path: Path) -> None:
    store = await open_sql_store(f"sqlite+aiosqlite:///{tmp_path / 'ledger.sqlite'}")
    try:
        await store.save_ledger([entry(n, m) for n in range(0, 84, 3) for m in range(4)])
        overview = await summary_plans(store, None)
        one_class = await summary_plans(store, "c-randori")
    finally:
        await store.close()
    assert len(overview) == 2, overview  # no session's entries differ: no third read
    whole_range, weekly = overview
    assert LEDGER_ORDER_INDEX in whole_range, whole_range
    assert "TEMP B-TREE" not in whole_range, whole_range  # streams in index order
    assert "DISTINCT" not in weekly, weekly
    assert weekly.count(f"INDEX {LEDGER_ORDER_INDEX} (starts_at>? AND starts_at<?)") == 12
    assert one_class, "the class overview ran no ledger read"
    assert all("ix_training_ledger_series_id_starts_at" in plan for plan in one_class)


async def test_going_rsvps_are_counted_from_the_index(tmp_path: Path) -> None:
    store = await open_sql_store(f"sqlite+aiosqlite:///{tmp_path / 'rsvps.sqlite'}")
    try:
        statement = count_rsvps(["s1", "s2"], RsvpStatus.GOING)
        compiled = statement.compile(
            store.engine.sync_engine, compile_kwargs={"literal_binds": True}
        )
        (plan,) = await explained(store, [(str(compiled), ())])
    finally:
        await store.close()
    assert "COVERING INDEX ix_rsvps_session_id_status_position" in plan, plan
