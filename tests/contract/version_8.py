"""The stand-in for a database as SQL schema version 8 left it, shared by the migration-9
tests: one session (`s1`) with RSVPs, then what migration 9 added dropped again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from adapters.sql import open_sql_store
from adapters.sql.migrations import schema_version
from core.model import Rsvp, TrainingSession

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = T0 + timedelta(days=2)


def a_session(capacity: int) -> TrainingSession:
    """Session `s1`, "Kata" by Sensei at `START`, of `capacity` seats."""
    return TrainingSession(
        id="s1",
        title="Kata",
        instructor_id="terminal:sensei",
        instructor_name="Sensei",
        start_time=START,
        duration_minutes=60,
        capacity=capacity,
        created_at=T0,
        updated_at=T0,
    )


async def make_version_8(
    url: str,
    *,
    capacity: int,
    undo: Sequence[str],
    going: Sequence[tuple[str, str]] = (("ana", "ana"), ("bo", "bo")),
    left: Sequence[str] = (),
) -> tuple[TrainingSession, list[Rsvp]]:
    """A version-8 database at `url`: `a_session(capacity)`; `going` (member, name)
    pairs RSVP a second apart (beyond `capacity`: waitlisted); `left` members leave a minute
    after `T0`; then the `undo` statements run and the versions above 8 are deleted.
    Returns the session and its RSVPs as version 8 kept them."""
    store = await open_sql_store(url)
    try:
        await store.add_session(a_session(capacity))
        for n, (member, name) in enumerate(going):
            await store.rsvp_going("s1", f"terminal:{member}", name, T0 + timedelta(seconds=n))
        for member in left:
            await store.rsvp_leave("s1", f"terminal:{member}", T0 + timedelta(minutes=1))
        session, rsvps = await store.get_session("s1"), await store.list_rsvps("s1")
        async with store.engine.begin() as connection:
            for statement in undo:
                await connection.execute(text(statement))
            await connection.execute(schema_version.delete().where(schema_version.c.version > 8))
        assert session is not None
        return session, rsvps
    finally:
        await store.close()
