"""SQL migration 10, its ledger part, on SQLite and PostgreSQL: a version-9 database (a
session with RSVPs and a stay, no `training_ledger`) keeps its rows and takes the ledger at
once: the table, its primary key (session × member) and its three indexes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from adapters.sql import SqlSessionStore, open_sql_store
from core.training_ledger import LedgerQuery, Verdict
from tests.contract.test_ledger_store import entry
from tests.contract.test_start_time_migration import assert_at_head, database
from tests.contract.version_8 import T0, a_session
from tests.contract.version_9 import undo_version_10


def ledger_indexes(connection: Connection) -> set[str] | None:
    """The indexes of `training_ledger` (None: no such table)."""
    inspector = inspect(connection)
    if not inspector.has_table("training_ledger"):
        return None
    return {str(i["name"]) for i in inspector.get_indexes("training_ledger")}


async def make_version_9(url: str) -> None:
    """A database as version 9 left it as far as the ledger goes: session `s1` with two
    RSVPs and a stay, no `training_ledger` table, version 10 not applied."""
    store = await open_sql_store(url)
    try:
        await store.add_session(a_session(capacity=2))
        await store.rsvp_going("s1", "terminal:ana", "ana", T0)
        await store.rsvp_going("s1", "terminal:bo", "bo", T0 + timedelta(seconds=1))
        await store.record_join("s1", "terminal:ana", "ana", T0 + timedelta(days=2))
        await undo_version_10(store)
        async with store.engine.connect() as connection:
            assert await connection.run_sync(ledger_indexes) is None
    finally:
        await store.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_version_9_keeps_its_rows_and_takes_the_training_ledger(
    kind: str, tmp_path: Path
) -> None:
    async with database(kind, tmp_path) as url:
        await make_version_9(url)
        store: SqlSessionStore = await open_sql_store(url)
        try:
            await assert_at_head(store)
            async with store.engine.connect() as connection:
                indexes = await connection.run_sync(ledger_indexes)
            assert indexes == {
                "ix_training_ledger_member_id_starts_at",
                "ix_training_ledger_series_id_starts_at",
                "ix_training_ledger_starts_at_session_id_member_id",
            }
            assert [r.member_id for r in await store.list_rsvps("s1")] == [
                "terminal:ana",
                "terminal:bo",
            ]
            assert [s.member_id for s in await store.list_attendance("s1")] == ["terminal:ana"]
            recorded = entry("s1", "terminal:ana")
            await store.save_ledger([recorded, recorded.model_copy(update={"title": "Kata 2"})])
            decided = recorded.model_copy(
                update={"verdict": Verdict.ABSENT, "verdict_by": "t:x", "attended": False}
            )
            assert await store.set_verdict(decided) is not None  # the key came with the table
            read = [e async for e in store.read_ledger(LedgerQuery(session_id="s1"))]
            assert read == [decided.model_copy(update={"title": "Kata 2"})]  # the verdict only
        finally:
            await store.close()
