"""A long ledger read from a start date pages in linear time on SQLite.

After the first page the keyset (the last row's start, session, member) is the lower bound;
a page that still carried `starts_at >= since` gave SQLite two lower bounds, and it ranged
from `since` on every page: a year's CSV export from a start date walked the whole year
again for each of its ~1,500 pages (bench.training_record: 3,800 rows/s instead of tens of
thousands)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from adapters.sql import open_sql_store
from core.training_ledger import LedgerEntry, LedgerQuery

T0 = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)


def entry(n: int) -> LedgerEntry:
    return LedgerEntry(
        session_id=f"s{n:03d}",
        member_id="slack:T1:U1",
        member_name="Aiko",
        title="Randori",
        instructor_id="slack:T1:I1",
        starts_at=T0 + timedelta(days=n),
        session_seconds=3600,
        seconds_present=3600,
        attended=True,
        recorded_at=T0 + timedelta(days=n, hours=1),
    )


async def test_pages_after_the_first_are_bounded_by_the_keyset_only(tmp_path: Path) -> None:
    store = await open_sql_store(f"sqlite+aiosqlite:///{tmp_path / 'ledger.sqlite'}")
    try:
        await store.save_ledger([entry(n) for n in range(40)])
        since = T0 + timedelta(days=5)
        pages: list[tuple[Any, ...]] = []

        def seen(_c: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
            if "FROM training_ledger" in statement:
                pages.append(tuple(params))

        event.listen(store.engine.sync_engine, "before_cursor_execute", seen)
        query = LedgerQuery(since=since, until=T0 + timedelta(days=100))
        read = [e.session_id async for e in store.read_ledger(query, batch=10)]
    finally:
        await store.close()
    assert read == [f"s{n:03d}" for n in range(5, 40)]
    assert len(pages) == 4
    since_text = since.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    assert since_text in pages[0]
    assert all(since_text not in page for page in pages[1:]), pages
