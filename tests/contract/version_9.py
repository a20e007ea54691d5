"""Taking a head database back to what SQL schema version 9 left, shared by the
migration-10 tests: every table and index migration 10 added dropped at once (the audit
log's trigger goes with its table), version 10 unapplied. Each test then migrates the
database as a real version-9 database upgrades: all four parts in one step."""

from __future__ import annotations

from sqlalchemy import text

from adapters.sql import SqlSessionStore
from adapters.sql.migrations import schema_version
from adapters.sql.schema import RSVP_MEMBER_INDEX

VERSION_10_TABLES = ("training_ledger", "rank_promotions", "audit_log", "calendar_feeds")
"""The tables migration 10 adds (ledger, promotions, audit, feeds)."""


async def undo_version_10(store: SqlSessionStore) -> None:
    """Drop what migration 10 added and its `schema_version` row, in one transaction."""
    async with store.engine.begin() as connection:
        for table in VERSION_10_TABLES:
            await connection.execute(text(f"DROP TABLE {table}"))
        await connection.execute(text(f"DROP INDEX {RSVP_MEMBER_INDEX}"))
        await connection.execute(schema_version.delete().where(schema_version.c.version > 9))
