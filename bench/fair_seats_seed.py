"""The sessions of `bench.fair_seats`: full sessions with a waitlist, their starts spread
over the week, seeded in bulk into a migrated SQLite file (`bench.seed_ours` style)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

T0 = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
"""The simulated week's start (a Monday)."""
WEEK = timedelta(days=7)
CAPACITY = 20
POOL = 20_000
"""Member ids are drawn from a community of this many people."""


@dataclass(frozen=True)
class Layout:
    """One seeded session: its start, going members and waitlist (in order)."""

    id: str
    start: datetime
    going: tuple[str, ...]
    waiting: tuple[str, ...]


def layouts(
    prefix: str, n: int, waitlisted: int, starts: list[datetime], rnd: random.Random
) -> list[Layout]:
    """`n` full sessions with `waitlisted` members waiting, members drawn from the pool."""
    made = []
    for i in range(n):
        people = [f"U{k:05d}" for k in rnd.sample(range(POOL), CAPACITY + waitlisted)]
        made.append(
            Layout(
                f"{prefix}{i:04d}", starts[i], tuple(people[:CAPACITY]), tuple(people[CAPACITY:])
            )
        )
    return made


async def seed(path: Path, sessions: list[Layout]) -> None:
    """A migrated SQLite file with these sessions, RSVPs and reminders (bulk inserts)."""
    from adapters.sql import open_sql_store
    from adapters.sql.schema import reminders, rsvps, training_sessions
    from bench.scenarios import SessionSpec
    from bench.seed_ours import _TEMPLATE_ROW, _bulk_engine, _BulkInsert, _reminder_rows
    from core.model import RsvpStatus

    await (await open_sql_store(f"sqlite+aiosqlite:///{path}")).close()  # created, migrated
    columns = {c.name for c in rsvps.columns}
    created = T0 - timedelta(days=1)
    session_rows, rsvp_rows, reminder_rows = [], [], []
    for s in sessions:
        row = dict(_TEMPLATE_ROW)
        row.update(
            id=s.id,
            title=f"Kata {s.id}",
            start_time=s.start,
            capacity=CAPACITY,
            room_id=f"dojo-{s.id}",
            room_last_attempt_at=created,
            created_at=created,
            updated_at=created,
        )
        session_rows.append(row)
        members = [(m, RsvpStatus.GOING) for m in s.going]
        members += [(m, RsvpStatus.WAITLISTED) for m in s.waiting]
        for position, (member, status) in enumerate(members, start=1):
            rsvp = {
                "session_id": s.id,
                "member_id": member,
                "member_name": f"Member {member}",
                "status": status.value,
                "position": position,
                "created_at": created,
                "updated_at": created,
                "offer_expires_at": None,
            }
            if set(rsvp) != columns:  # seed against the current schema, or not at all
                raise SystemExit(f"rsvps columns changed: {sorted(columns ^ set(rsvp))}")
            rsvp_rows.append(rsvp)
        reminder_rows += _reminder_rows(SessionSpec(s.id, s.start, created, s.going))
    engine = _bulk_engine(path)
    try:
        with engine.begin() as connection:
            cursor = connection.connection.cursor()
            for table, rows in (
                (training_sessions, session_rows),
                (rsvps, rsvp_rows),
                (reminders, reminder_rows),
            ):
                _BulkInsert(table, engine.dialect).run(cursor, rows)
            cursor.close()
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    finally:
        engine.dispose()
