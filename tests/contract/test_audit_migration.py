"""SQL migration 10, its audit part, on SQLite and PostgreSQL: a version-9 database (a
session with RSVPs, no `audit_log`) keeps its rows and takes the audit log at once: the
table, its indexes and the trigger refusing UPDATE."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from adapters.sql import SqlSessionStore, open_sql_store
from core.audit import AuditQuery
from tests.contract.test_audit_store import an_entry
from tests.contract.test_start_time_migration import assert_at_head, database
from tests.contract.version_8 import T0, a_session
from tests.contract.version_9 import undo_version_10


def audit_indexes(connection: Connection) -> set[str] | None:
    """The indexes of `audit_log` (None: no such table)."""
    inspector = inspect(connection)
    if not inspector.has_table("audit_log"):
        return None
    return {str(i["name"]) for i in inspector.get_indexes("audit_log")}


async def make_version_9(url: str) -> None:
    """A database as version 9 left it as far as the audit log goes: session `s1` with an
    RSVP, no `audit_log` table, version 10 not applied."""
    store = await open_sql_store(url)
    try:
        await store.add_session(a_session(capacity=2))
        await store.rsvp_going("s1", "terminal:ana", "ana", T0)
        await undo_version_10(store)
        async with store.engine.connect() as connection:
            assert await connection.run_sync(audit_indexes) is None
    finally:
        await store.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_version_9_keeps_its_rows_and_takes_the_audit_log(kind: str, tmp_path: Path) -> None:
    async with database(kind, tmp_path) as url:
        await make_version_9(url)
        store: SqlSessionStore = await open_sql_store(url)
        try:
            await assert_at_head(store)
            async with store.engine.connect() as connection:
                indexes = await connection.run_sync(audit_indexes)
            assert indexes is not None
            assert {
                "ix_audit_log_at_id",
                "ix_audit_log_actor_id_at",
                "ix_audit_log_target_at",
            } <= indexes
            assert [r.member_id for r in await store.list_rsvps("s1")] == ["terminal:ana"]
            entry = an_entry("a")
            await store.append_audit(entry)
            assert await store.list_audit(AuditQuery()) == [entry]
            with pytest.raises(DBAPIError, match="append-only"):  # the guard came with it
                async with store.engine.begin() as connection:
                    await connection.execute(text("UPDATE audit_log SET target = 'x'"))
        finally:
            await store.close()
