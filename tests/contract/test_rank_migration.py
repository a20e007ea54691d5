"""SQL migration 10, its rank-promotions part, on SQLite and PostgreSQL: a version-9
database (a session with an RSVP, no `rank_promotions`) keeps its rows and takes the
promotions table at once, with its index."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from adapters.sql import SqlSessionStore, open_sql_store
from tests.contract.test_rank_store import promotion
from tests.contract.test_start_time_migration import assert_at_head, database
from tests.contract.version_8 import T0, a_session
from tests.contract.version_9 import undo_version_10


def promotion_indexes(connection: Connection) -> set[str] | None:
    """The indexes of `rank_promotions` (None: no such table)."""
    inspector = inspect(connection)
    if not inspector.has_table("rank_promotions"):
        return None
    return {str(i["name"]) for i in inspector.get_indexes("rank_promotions")}


async def make_version_9(url: str) -> None:
    """A database as version 9 left it as far as promotions go: session `s1` with an RSVP,
    no `rank_promotions` table, version 10 not applied."""
    store = await open_sql_store(url)
    try:
        await store.add_session(a_session(capacity=2))
        await store.rsvp_going("s1", "terminal:ana", "ana", T0)
        await undo_version_10(store)
        async with store.engine.connect() as connection:
            assert await connection.run_sync(promotion_indexes) is None
    finally:
        await store.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_version_9_keeps_its_rows_and_takes_rank_promotions(
    kind: str, tmp_path: Path
) -> None:
    async with database(kind, tmp_path) as url:
        await make_version_9(url)
        store: SqlSessionStore = await open_sql_store(url)
        try:
            await assert_at_head(store)
            async with store.engine.connect() as connection:
                indexes = await connection.run_sync(promotion_indexes)
            assert indexes == {"ix_rank_promotions_member_id_promoted_on"}
            assert [r.member_id for r in await store.list_rsvps("s1")] == ["terminal:ana"]
            given = promotion("p-1", "Orange", date(2026, 3, 1), member="terminal:ana")
            assert await store.save_promotion(given) is None
            assert await store.list_promotions(["terminal:ana"]) == [given]
        finally:
            await store.close()
