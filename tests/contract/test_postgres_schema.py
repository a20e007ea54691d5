"""The schema on PostgreSQL, declared without SQLAlchemy's PostgreSQL dialect (so that SQLite
processes never load it): a fresh database still gets JSONB columns and the partial index
of pending reminders, exactly as with `postgresql_where=` and the dialect's own JSONB."""

from __future__ import annotations

from sqlalchemy import text

from adapters.sql import open_sql_store
from adapters.sql.schema import PENDING_REMINDERS_INDEX
from tests.pg_server import fresh_database, require_server


async def test_a_fresh_postgresql_database_gets_jsonb_and_the_partial_index() -> None:
    async with fresh_database(require_server()) as url:
        store = await open_sql_store(url)
        try:
            async with store.engine.connect() as connection:
                rows = (
                    await connection.execute(
                        text(
                            "SELECT table_name || '.' || column_name, data_type "
                            "FROM information_schema.columns "
                            "WHERE table_schema = 'public' AND data_type LIKE 'json%'"
                        )
                    )
                ).all()
                kinds = {str(column): str(kind) for column, kind in rows}
                index = await connection.scalar(
                    text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
                    {"name": PENDING_REMINDERS_INDEX},
                )
        finally:
            await store.close()
    assert kinds["training_sessions.tags"] == "jsonb"
    assert set(kinds.values()) == {"jsonb"}
    assert index == (
        f"CREATE INDEX {PENDING_REMINDERS_INDEX} ON public.reminders "
        "USING btree (due_at, session_id, kind) WHERE (done_at IS NULL)"
    )
