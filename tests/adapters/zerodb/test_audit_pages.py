"""An audit page on ZeroDB costs a bounded number of requests however long the log is,
when the dialect sorts on the server (newest first, read only what the page needs); the
pages still walk every entry once, ties on an instant included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.zerodb.dialect import PRESETS, ZeroDBDialect
from core.audit import AuditAction, AuditEntry, AuditQuery
from tests.fakes.zerodb_standin import ZeroDBStandIn, open_standin_store

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def an_entry(n: int) -> AuditEntry:
    return AuditEntry(
        id=f"e{n:04d}",
        at=T0 + timedelta(seconds=n // 3),  # three entries per instant
        actor_id="slack:T1:U1",
        actor_name="Sensei",
        front_end="slack",
        action=AuditAction.UPDATE,
        target="s-1",
    )


async def test_a_page_reads_only_what_it_shows() -> None:
    dialect = ZeroDBDialect.model_validate(PRESETS["python-sdk"] | {"max_limit": 50})
    fake = ZeroDBStandIn(dialect=dialect)
    store = await open_standin_store(await fake.start(), fake)
    try:
        for n in range(600):
            await store.append_audit(an_entry(n))
        before = store.tables.requests
        first = await store.list_audit(AuditQuery(limit=10))
        assert store.tables.requests - before == 1  # not the 12 pages of the whole log
        assert [e.id for e in first] == [f"e{n:04d}" for n in range(599, 589, -1)]
        seen: list[str] = []
        cursor: str | None = None
        while page := await store.list_audit(AuditQuery(limit=7, before_id=cursor)):
            seen += [e.id for e in page]
            cursor = page[-1].id
        assert seen == [f"e{n:04d}" for n in range(599, -1, -1)]
    finally:
        await store.close()
        await fake.close()
