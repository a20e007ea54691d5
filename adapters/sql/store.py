"""SqlSessionStore: the SessionStore port on SQLAlchemy 2 async Core.

Rules shared with `core.testing.store.InMemorySessionStore` (both pass tests/contract):
starts_after inclusive, starts_before and finished_before exclusive; RSVP positions grow per
session; writes that create rows of a session raise NotFound when it does not exist;
finished reminders survive `replace_reminders`.

Atomic writes run in write transactions: `BEGIN IMMEDIATE` on SQLite (one writer per file,
also across processes; in-process writers queue on an asyncio.Lock in arrival order), and
`SELECT … FOR UPDATE` on the session row, which serialises RSVPs of one session on
PostgreSQL. Deliveries rely on the unique key plus conditional updates.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sql import queries
from adapters.sql.engine import create_engine, insert_ignoring_conflict, is_sqlite, write_engine
from adapters.sql.mapping import (
    row_to_event,
    row_to_interval,
    row_to_reminder,
    row_to_rsvp,
    row_to_session,
    session_to_row,
)
from adapters.sql.migrations import migrate
from adapters.sql.schema import (
    attendance_intervals,
    deliveries,
    events,
    rsvps,
    training_sessions,
)
from adapters.sql.schema import reminders as reminder_table
from core.errors import InvalidInput, InvalidState, NotFound
from core.model import (
    AttendanceInterval,
    Event,
    Reminder,
    ReminderKind,
    Rsvp,
    RsvpChange,
    RsvpStatus,
    SessionFilter,
    TrainingSession,
    ensure_utc,
)

_ACTIVE = (RsvpStatus.GOING.value, RsvpStatus.WAITLISTED.value)
_a = attendance_intervals.c
_d = deliveries.c
_r = reminder_table.c
_v = rsvps.c


async def open_sql_store(url: str) -> SqlSessionStore:
    """Connect to `url`, apply pending migrations and return the store (close it when done)."""
    engine = create_engine(url)
    try:
        await migrate(engine)
    except BaseException:
        await engine.dispose()
        raise
    return SqlSessionStore(engine)


class SqlSessionStore:
    """SessionStore on a migrated SQLAlchemy async engine (see `open_sql_store`)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._writer = write_engine(engine)
        self._write_lock = asyncio.Lock() if is_sqlite(engine) else None

    async def close(self) -> None:
        """Release every connection."""
        await self.engine.dispose()

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        if self._write_lock is None:
            async with self._writer.begin() as connection:
                yield connection
            return
        async with self._write_lock, self._writer.begin() as connection:
            yield connection

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as connection:
            yield connection

    @staticmethod
    async def _lock_session(connection: AsyncConnection, session_id: str) -> bool:
        """Lock the session row for this transaction; False when there is no such session."""
        found = await connection.scalar(
            select(training_sessions.c.id)
            .where(training_sessions.c.id == session_id)
            .with_for_update()
        )
        return found is not None

    async def _require_session(self, connection: AsyncConnection, session_id: str) -> None:
        if not await self._lock_session(connection, session_id):
            raise NotFound(f"No session with id {session_id}.")

    # sessions -------------------------------------------------------------------------
    async def add_session(self, session: TrainingSession) -> None:
        """Insert a new session (InvalidState when the id is taken)."""
        try:
            async with self._write() as connection:
                await connection.execute(insert(training_sessions), session_to_row(session))
        except IntegrityError as error:
            raise InvalidState(f"A session with id {session.id} already exists.") from error

    async def get_session(self, session_id: str) -> TrainingSession | None:
        """The session with this id, or None."""
        async with self._read() as connection:
            result = await connection.execute(
                select(training_sessions).where(training_sessions.c.id == session_id)
            )
            row = result.mappings().first()
        return None if row is None else row_to_session(row)

    async def save_session(self, session: TrainingSession) -> None:
        """Overwrite an existing session (NotFound when it does not exist)."""
        async with self._write() as connection:
            result = await connection.execute(
                update(training_sessions)
                .where(training_sessions.c.id == session.id)
                .values(session_to_row(session))
            )
            if result.rowcount == 0:
                raise NotFound(f"No session with id {session.id}.")

    async def list_sessions(self, criteria: SessionFilter) -> list[TrainingSession]:
        """Matching sessions ordered by (start_time, id), reversed when descending, paged."""
        async with self._read() as connection:
            result = await connection.execute(queries.select_sessions(criteria))
            return [row_to_session(row) for row in result.mappings()]

    async def count_sessions(self, criteria: SessionFilter) -> int:
        """How many sessions match, ignoring limit and offset."""
        async with self._read() as connection:
            return int(await connection.scalar(queries.count_sessions(criteria)) or 0)

    # events ---------------------------------------------------------------------------
    async def add_event(self, event: Event) -> None:
        """Insert a new event (InvalidState when the id is taken)."""
        try:
            async with self._write() as connection:
                await connection.execute(insert(events), event.model_dump())
        except IntegrityError as error:
            raise InvalidState(f"An event with id {event.id} already exists.") from error

    async def get_event(self, event_id: str) -> Event | None:
        """The event with this id, or None."""
        async with self._read() as connection:
            result = await connection.execute(select(events).where(events.c.id == event_id))
            row = result.mappings().first()
        return None if row is None else row_to_event(row)

    async def list_events(self) -> list[Event]:
        """All events ordered by (created_at, id)."""
        async with self._read() as connection:
            result = await connection.execute(
                select(events).order_by(events.c.created_at, events.c.id)
            )
            return [row_to_event(row) for row in result.mappings()]

    # RSVPs ----------------------------------------------------------------------------
    async def rsvp_going(
        self, session_id: str, member_id: str, member_name: str, capacity: int | None, now: datetime
    ) -> RsvpChange:
        """Going while a seat is free, else waitlisted at the back; active rows are kept."""
        now = ensure_utc(now)
        key = and_(_v.session_id == session_id, _v.member_id == member_id)
        async with self._write() as connection:
            await self._require_session(connection, session_id)
            found = (await connection.execute(select(rsvps).where(key))).mappings().first()
            if found is not None and found["status"] in _ACTIVE:
                return RsvpChange(rsvp=row_to_rsvp(found), changed=False)
            going = int(await connection.scalar(queries.count_going(session_id)) or 0)
            last = await connection.scalar(
                select(func.max(_v.position)).where(_v.session_id == session_id)
            )
            free = capacity is None or going < capacity
            rsvp = Rsvp(
                session_id=session_id,
                member_id=member_id,
                member_name=member_name,
                status=RsvpStatus.GOING if free else RsvpStatus.WAITLISTED,
                position=int(last or 0) + 1,
                created_at=found["created_at"] if found is not None else now,
                updated_at=now,
            )
            if found is None:
                await connection.execute(insert(rsvps), rsvp.model_dump())
            else:
                await connection.execute(update(rsvps).where(key).values(rsvp.model_dump()))
            return RsvpChange(rsvp=rsvp)

    async def rsvp_leave(
        self, session_id: str, member_id: str, capacity: int | None, now: datetime
    ) -> RsvpChange:
        """Mark the member left; a freed seat goes to the first waitlisted member."""
        now = ensure_utc(now)
        key = and_(_v.session_id == session_id, _v.member_id == member_id)
        async with self._write() as connection:
            await self._lock_session(connection, session_id)
            found = (await connection.execute(select(rsvps).where(key))).mappings().first()
            if found is None or found["status"] not in _ACTIVE:
                return RsvpChange(rsvp=None, changed=False)
            left = row_to_rsvp(found).model_copy(
                update={"status": RsvpStatus.LEFT, "updated_at": now}
            )
            await connection.execute(
                update(rsvps).where(key).values(status=left.status.value, updated_at=now)
            )
            promoted = None
            if found["status"] == RsvpStatus.GOING.value:
                promoted = await self._promote_first(connection, session_id, capacity, now)
            return RsvpChange(rsvp=left, promoted=promoted)

    @staticmethod
    async def _promote_first(
        connection: AsyncConnection, session_id: str, capacity: int | None, now: datetime
    ) -> Rsvp | None:
        going = int(await connection.scalar(queries.count_going(session_id)) or 0)
        if capacity is not None and going >= capacity:
            return None
        first = (
            (
                await connection.execute(
                    select(rsvps)
                    .where(
                        _v.session_id == session_id,
                        _v.status == RsvpStatus.WAITLISTED.value,
                    )
                    .order_by(_v.position)
                    .limit(1)
                )
            )
            .mappings()
            .first()
        )
        if first is None:
            return None
        promoted = row_to_rsvp(first).model_copy(
            update={"status": RsvpStatus.GOING, "updated_at": now}
        )
        await connection.execute(
            update(rsvps)
            .where(_v.session_id == session_id, _v.member_id == promoted.member_id)
            .values(status=RsvpStatus.GOING.value, updated_at=now)
        )
        return promoted

    async def list_rsvps(self, session_id: str, status: RsvpStatus | None = None) -> list[Rsvp]:
        """RSVPs of a session by position, optionally of one status."""
        query = select(rsvps).where(_v.session_id == session_id).order_by(_v.position)
        if status is not None:
            query = query.where(_v.status == status.value)
        async with self._read() as connection:
            result = await connection.execute(query)
            return [row_to_rsvp(row) for row in result.mappings()]

    async def count_going(self, session_id: str) -> int:
        """How many members are going."""
        async with self._read() as connection:
            return int(await connection.scalar(queries.count_going(session_id)) or 0)

    # attendance -----------------------------------------------------------------------
    async def record_join(
        self, session_id: str, member_id: str, member_name: str, at: datetime
    ) -> None:
        """Open an attendance interval for the member at `at`."""
        interval = AttendanceInterval(
            session_id=session_id, member_id=member_id, member_name=member_name, joined_at=at
        )
        async with self._write() as connection:
            await self._require_session(connection, session_id)
            await connection.execute(insert(attendance_intervals), interval.model_dump())

    async def record_leave(self, session_id: str, member_id: str, at: datetime) -> None:
        """Close the member's latest open interval (latest joined_at) at `at`, if any."""
        async with self._write() as connection:
            latest = await connection.scalar(
                select(_a.id)
                .where(_a.session_id == session_id, _a.member_id == member_id, _a.left_at.is_(None))
                .order_by(_a.joined_at.desc(), _a.id.desc())
                .limit(1)
            )
            if latest is not None:
                await connection.execute(
                    update(attendance_intervals)
                    .where(_a.id == latest)
                    .values(left_at=ensure_utc(at))
                )

    async def list_attendance(self, session_id: str) -> list[AttendanceInterval]:
        """All intervals of a session by joined_at (then recording order)."""
        async with self._read() as connection:
            result = await connection.execute(
                select(attendance_intervals)
                .where(_a.session_id == session_id)
                .order_by(_a.joined_at, _a.id)
            )
            return [row_to_interval(row) for row in result.mappings()]

    # reminders ------------------------------------------------------------------------
    async def replace_reminders(self, session_id: str, reminders: list[Reminder]) -> None:
        """Drop unfinished reminders of the session and store these (finished kinds stay)."""
        _check_reminders(session_id, reminders)
        async with self._write() as connection:
            await self._require_session(connection, session_id)
            await connection.execute(
                delete(reminder_table).where(_r.session_id == session_id, _r.done_at.is_(None))
            )
            finished = set(
                await connection.scalars(select(_r.kind).where(_r.session_id == session_id))
            )
            rows = [r.model_dump() for r in reminders if r.kind.value not in finished]
            if rows:
                await connection.execute(insert(reminder_table), rows)

    async def due_reminders(self, now: datetime, limit: int) -> list[Reminder]:
        """Unfinished reminders with due_at <= now, by (due_at, session_id, kind)."""
        async with self._read() as connection:
            result = await connection.execute(queries.select_due_reminders(now, limit))
            return [row_to_reminder(row) for row in result.mappings()]

    async def next_reminder_due(self) -> datetime | None:
        """The earliest due_at among unfinished reminders."""
        async with self._read() as connection:
            due: datetime | None = await connection.scalar(queries.select_next_due())
            return due

    async def finish_reminder(self, session_id: str, kind: ReminderKind, at: datetime) -> None:
        """Mark an unfinished reminder done at `at` (no-op if missing or already done)."""
        async with self._write() as connection:
            await connection.execute(
                update(reminder_table)
                .where(_r.session_id == session_id, _r.kind == kind.value, _r.done_at.is_(None))
                .values(done_at=at)
            )

    async def postpone_reminder(
        self, session_id: str, kind: ReminderKind, due_at: datetime
    ) -> None:
        """Move an unfinished reminder's due_at (no-op if missing or already done)."""
        async with self._write() as connection:
            await connection.execute(
                update(reminder_table)
                .where(_r.session_id == session_id, _r.kind == kind.value, _r.done_at.is_(None))
                .values(due_at=due_at)
            )

    # deliveries -----------------------------------------------------------------------
    async def claim_delivery(
        self,
        session_id: str,
        recipient_id: str,
        kind: ReminderKind,
        now: datetime,
        lease: timedelta,
    ) -> bool:
        """Claim one delivery: new, or an unsent claim older than `lease` (attempts + 1)."""
        now = ensure_utc(now)
        async with self._write() as connection:
            await self._require_session(connection, session_id)
            created = await connection.execute(
                insert_ignoring_conflict(self.engine, deliveries).values(
                    session_id=session_id,
                    recipient_id=recipient_id,
                    kind=kind.value,
                    claimed_at=now,
                    attempts=1,
                )
            )
            if created.rowcount == 1:
                return True
            reclaimed = await connection.execute(
                update(deliveries)
                .where(
                    _delivery_key(session_id, recipient_id, kind),
                    _d.sent_at.is_(None),
                    _d.claimed_at < now - lease,
                )
                .values(claimed_at=now, attempts=_d.attempts + 1)
            )
            return reclaimed.rowcount == 1

    async def mark_delivery_sent(
        self, session_id: str, recipient_id: str, kind: ReminderKind, at: datetime
    ) -> None:
        """Record that the delivery went out (a record is created if it was never claimed)."""
        at = ensure_utc(at)
        async with self._write() as connection:
            await self._require_session(connection, session_id)
            created = await connection.execute(
                insert_ignoring_conflict(self.engine, deliveries).values(
                    session_id=session_id,
                    recipient_id=recipient_id,
                    kind=kind.value,
                    claimed_at=at,
                    sent_at=at,
                    attempts=1,
                )
            )
            if created.rowcount == 0:
                await connection.execute(
                    update(deliveries)
                    .where(_delivery_key(session_id, recipient_id, kind), _d.sent_at.is_(None))
                    .values(sent_at=at)
                )

    async def delivery_sent(self, session_id: str, recipient_id: str, kind: ReminderKind) -> bool:
        """Whether that delivery is recorded as sent."""
        async with self._read() as connection:
            sent = await connection.scalar(
                select(_d.sent_at).where(_delivery_key(session_id, recipient_id, kind))
            )
        return sent is not None


def _delivery_key(session_id: str, recipient_id: str, kind: ReminderKind) -> ColumnElement[bool]:
    return and_(_d.session_id == session_id, _d.recipient_id == recipient_id, _d.kind == kind.value)


def _check_reminders(session_id: str, reminders: list[Reminder]) -> None:
    if any(r.session_id != session_id for r in reminders):
        raise InvalidInput("Every reminder must belong to the session being updated.")
    kinds = [r.kind for r in reminders]
    if len(set(kinds)) != len(kinds):
        raise InvalidInput("A session has at most one reminder of each kind.")
