"""SqlSessionStore: the SessionStore port on SQLAlchemy 2 async Core.

Rules shared with `core.testing.store.InMemorySessionStore` (both pass tests/contract):
starts_after inclusive, starts_before and finished_before exclusive; RSVP positions grow per
session; writes that create rows of a session raise NotFound when it does not exist;
finished reminders survive `replace_reminders` (unless replaced by one for another start
time); deliveries are unique per session × recipient × kind × start time; a claim is stale
once `lease` has passed.

Atomic writes run in write transactions: `BEGIN IMMEDIATE` on SQLite (one writer per file,
also across processes; in-process writers queue on an asyncio.Lock in arrival order), and
`SELECT … FOR UPDATE` on the session row, which serialises RSVPs of one session on
PostgreSQL (across processes; within one, they first queue per session in arrival order,
`KeyedLocks`), while writes to different sessions run concurrently. Deliveries rely on the
unique key plus conditional writes (`delivery_ops`). On PostgreSQL, writes that can move
the next wake-up NOTIFY the clock process (`schedule_changes`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import NoReturn

from sqlalchemy import ColumnElement, and_, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.keyed_locks import KeyedLocks
from adapters.sql import (
    delivery_ops,
    once_ops,
    queries,
    rsvp_ops,
    schedule_changes,
    webhook_ops,
)
from adapters.sql.audit_records import SqlAudit
from adapters.sql.batching import chunks
from adapters.sql.copy_records import SqlCopies
from adapters.sql.engine import (
    create_engine,
    is_sqlite,
    prepare,
    read_engine,
    snapshot_engine,
    upsert,
    write_engine,
)
from adapters.sql.feed_records import SqlFeeds
from adapters.sql.ledger_records import SqlLedger
from adapters.sql.ledger_summary_records import SqlLedgerSummary
from adapters.sql.mapping import (
    row_to_event,
    row_to_interval,
    row_to_reminder,
    row_to_rsvp,
    row_to_session,
    session_to_row,
)
from adapters.sql.member_records import SqlMembers
from adapters.sql.migrations import migrate
from adapters.sql.min_attendance_records import SqlMinAttendance
from adapters.sql.no_show_records import SqlNoShows
from adapters.sql.offer_records import SqlOffers
from adapters.sql.rank_records import SqlPromotions
from adapters.sql.schema import (
    attendance_intervals,
    deliveries,
    events,
    rsvps,
    training_sessions,
)
from adapters.sql.schema import reminders as reminder_table
from adapters.sql.series_records import SqlSeries
from adapters.sql.substitute_records import SqlSubstitutes
from core.errors import InvalidState, NotFound
from core.model import (
    AttendanceInterval,
    DeliveryKey,
    Event,
    Reminder,
    ReminderKind,
    Rsvp,
    RsvpChange,
    RsvpStatus,
    SessionFilter,
    SessionStatus,
    TrainingSession,
    ensure_utc,
)
from core.ports import DeliveryClaim
from core.reminders import check_reminders

_a = attendance_intervals.c
_d = deliveries.c
_r = reminder_table.c
_s = training_sessions.c
_v = rsvps.c


async def open_sql_store(url: str) -> SqlSessionStore:
    """Connect to `url`, apply pending migrations and return the store (close it when done)."""
    engine = create_engine(url)
    try:
        await prepare(engine)
        await migrate(engine)
    except BaseException:
        await engine.dispose()
        raise
    return SqlSessionStore(engine)


class SqlSessionStore(
    SqlSeries,
    SqlCopies,
    SqlMembers,
    SqlOffers,
    SqlSubstitutes,
    SqlNoShows,
    SqlMinAttendance,
    SqlAudit,
    SqlFeeds,
    SqlLedger,
    SqlPromotions,
    SqlLedgerSummary,
):
    """SessionStore on a migrated SQLAlchemy async engine (see `open_sql_store`)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._writer = write_engine(engine)
        self._snapshot = snapshot_engine(engine)
        self._reader = read_engine(engine)
        self._write_lock = asyncio.Lock() if is_sqlite(engine) else None
        self._session_locks = KeyedLocks()

    async def close(self) -> None:
        """Release every connection."""
        await self.engine.dispose()

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction (committed on success, rolled back on error)."""
        if self._write_lock is None:
            async with self._writer.begin() as connection:
                yield connection
            return
        async with self._write_lock, self._writer.begin() as connection:
            yield connection

    @asynccontextmanager
    async def _write_session(self, session_id: str) -> AsyncIterator[AsyncConnection]:
        """A write transaction about one session's RSVPs, begun in arrival order per session."""
        if self._write_lock is not None:  # SQLite: the global write lock already queues
            async with self._write() as connection:
                yield connection
            return
        async with self._session_locks.hold([session_id]), self._write() as connection:
            yield connection

    @asynccontextmanager
    async def _read(self, statements: int = 1) -> AsyncIterator[AsyncConnection]:
        """A read; reads of more than one statement see one snapshot (`BEGIN` on SQLite)."""
        engine = self._reader if statements <= 1 else self._snapshot
        async with engine.connect() as connection:
            yield connection

    @staticmethod
    async def _require_session(connection: AsyncConnection, session_id: str) -> None:
        if not await rsvp_ops.lock_session(connection, session_id):
            raise NotFound(f"No session with id {session_id}.")

    # sessions -------------------------------------------------------------------------
    async def add_session(self, session: TrainingSession) -> None:
        """Insert a new session (InvalidState when the id is taken)."""
        try:
            async with self._write() as connection:
                await connection.execute(insert(training_sessions), session_to_row(session))
                await schedule_changes.announce(connection, session.id)
        except IntegrityError as error:
            raise InvalidState(f"A session with id {session.id} already exists.") from error

    async def get_session(self, session_id: str) -> TrainingSession | None:
        """The session with this id, or None."""
        found = await self.get_sessions([session_id])
        return found[0] if found else None

    async def get_sessions(self, session_ids: list[str]) -> list[TrainingSession]:
        """The sessions with these ids that exist, each once, in the order asked."""
        wanted = list(dict.fromkeys(session_ids))
        found: dict[str, TrainingSession] = {}
        parts = list(chunks(wanted))
        async with self._read(len(parts)) as connection:
            for part in parts:
                result = await connection.execute(select(training_sessions).where(_s.id.in_(part)))
                found.update((row["id"], row_to_session(row)) for row in result.mappings())
        return [found[i] for i in wanted if i in found]

    async def save_session(self, session: TrainingSession) -> None:
        """Overwrite an existing session (NotFound when it does not exist)."""
        async with self._write() as connection:
            result = await connection.execute(
                update(training_sessions).where(_s.id == session.id).values(session_to_row(session))
            )
            if result.rowcount == 0:
                raise NotFound(f"No session with id {session.id}.")
            await schedule_changes.announce(connection, session.id)

    async def transition_session(self, session: TrainingSession, expected: SessionStatus) -> bool:
        """Overwrite the session only if its stored status is still `expected` (one UPDATE
        … WHERE status = expected: one winner across processes)."""
        async with self._write() as connection:
            result = await connection.execute(
                update(training_sessions)
                .where(_s.id == session.id, _s.status == expected.value)
                .values(session_to_row(session))
            )
            if result.rowcount == 0:
                if await connection.scalar(select(_s.id).where(_s.id == session.id)) is None:
                    raise NotFound(f"No session with id {session.id}.")
                return False
            await schedule_changes.announce(connection, session.id)
            return True

    async def save_within_capacity(self, session: TrainingSession) -> int | None:
        """Overwrite the session unless more are going than its capacity (then: that count),
        under the session row lock the RSVPs take."""
        async with self._write_session(session.id) as connection:
            await self._require_session(connection, session.id)
            if session.capacity is not None:
                going = int(await connection.scalar(queries.count_going(session.id)) or 0)
                if going > session.capacity:
                    return going
            await connection.execute(
                update(training_sessions).where(_s.id == session.id).values(session_to_row(session))
            )
            await schedule_changes.announce(connection, session.id)
            return None

    async def list_sessions(self, criteria: SessionFilter) -> list[TrainingSession]:
        """Matching sessions ordered by (start_time, id), reversed when descending, paged."""
        async with self._read() as connection:
            result = await connection.execute(queries.select_sessions(criteria))
            return [row_to_session(row) for row in result.mappings()]

    async def session_ends(self, criteria: SessionFilter) -> list[datetime]:
        """The scheduled end of each session `list_sessions` returns, in its order (two
        columns read, not the rows)."""
        async with self._read() as connection:
            result = await connection.execute(queries.select_session_ends(criteria))
            return [start + timedelta(minutes=minutes) for start, minutes in result]

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
        self,
        session_id: str,
        member_id: str,
        member_name: str,
        now: datetime,
        waitlist_only: bool = False,
        passed_over: frozenset[str] = frozenset(),
    ) -> RsvpChange:
        """Going while a seat is free (capacity read under the row lock; never with
        `waitlist_only`), else waitlisted at the back; active rows are kept."""
        now = ensure_utc(now)
        async with self._write_session(session_id) as connection:
            capacity = await rsvp_ops.locked_capacity(connection, session_id)
            if isinstance(capacity, rsvp_ops.Missing):
                raise NotFound(f"No session with id {session_id}.")
            return await rsvp_ops.going(
                connection,
                session_id,
                member_id,
                member_name,
                capacity,
                now,
                waitlist_only,
                passed_over,
            )

    async def rsvp_leave(
        self, session_id: str, member_id: str, now: datetime, promote: bool = True
    ) -> RsvpChange:
        """Mark the member left; a freed seat goes to the first waitlisted member (to nobody
        unless `promote`: the caller offers it)."""
        now = ensure_utc(now)
        async with self._write_session(session_id) as connection:
            capacity = await rsvp_ops.locked_capacity(connection, session_id)
            if isinstance(capacity, rsvp_ops.Missing):
                return RsvpChange(rsvp=None, changed=False)
            return await rsvp_ops.leave(connection, session_id, member_id, capacity, now, promote)

    async def promote_waitlisted(self, session_id: str, now: datetime) -> list[Rsvp]:
        """RecordPromotion waitlisted members in position order while seats are free."""
        now = ensure_utc(now)
        async with self._write_session(session_id) as connection:
            capacity = await rsvp_ops.locked_capacity(connection, session_id)
            if isinstance(capacity, rsvp_ops.Missing):
                return []
            return await rsvp_ops.promote(connection, session_id, capacity, now)

    async def list_rsvps(self, session_id: str, status: RsvpStatus | None = None) -> list[Rsvp]:
        """RSVPs of a session by position, optionally of one status."""
        return await self.list_rsvps_of_sessions([session_id], status)

    async def list_rsvps_of_sessions(
        self, session_ids: list[str], status: RsvpStatus | None = None
    ) -> list[Rsvp]:
        """RSVPs of these sessions ordered by (session_id, position), optionally of one status."""
        found: list[Rsvp] = []
        parts = list(chunks(sorted(set(session_ids))))
        async with self._read(len(parts)) as connection:
            for part in parts:
                query = select(rsvps).where(_v.session_id.in_(part))
                if status is not None:
                    query = query.where(_v.status == status.value)
                result = await connection.execute(query.order_by(_v.session_id, _v.position))
                found += [row_to_rsvp(row) for row in result.mappings()]
        return found

    async def count_rsvps_of_sessions(
        self, session_ids: list[str], status: RsvpStatus
    ) -> dict[str, int]:
        """How many RSVPs of `status` each of these sessions has: one GROUP BY per chunk
        of ids on the (session_id, status) index, no row read (none: left out)."""
        counted: dict[str, int] = {}
        parts = list(chunks(sorted(set(session_ids))))
        async with self._read(len(parts)) as connection:
            for part in parts:
                result = await connection.execute(queries.count_rsvps(part, status))
                counted.update((str(sid), int(n)) for sid, n in result.all())
        return counted

    async def members_of_sessions(
        self, session_ids: list[str], status: RsvpStatus
    ) -> dict[str, list[str]]:
        """Member ids of each session's RSVPs of `status`, in position order (none: left
        out): two columns per row read, no model built."""
        members: dict[str, list[str]] = {}
        parts = list(chunks(sorted(set(session_ids))))
        async with self._read(len(parts)) as connection:
            for part in parts:
                result = await connection.execute(queries.members_of(part, status))
                for session_id, member_id in result:
                    members.setdefault(session_id, []).append(member_id)
        return members

    async def count_going(self, session_id: str) -> int:
        """How many members are going."""
        async with self._read() as connection:
            return int(await connection.scalar(queries.count_going(session_id)) or 0)

    # attendance -----------------------------------------------------------------------
    async def record_join(
        self, session_id: str, member_id: str, member_name: str, at: datetime
    ) -> None:
        """Open an attendance interval for the member at `at`; a second join at the same `at`
        opens nothing (unique index, `ON CONFLICT DO NOTHING`, also across processes)."""
        interval = AttendanceInterval(
            session_id=session_id, member_id=member_id, member_name=member_name, joined_at=at
        )
        async with self._write() as connection:
            await self._require_session(connection, session_id)
            statement = upsert(connection.dialect.name, attendance_intervals)
            await connection.execute(
                statement.values(interval.model_dump()).on_conflict_do_nothing()
            )

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
        """Drop unfinished reminders of the session and store these; a kind already
        finished for the same start time stays finished (one for another start is replaced)."""
        check_reminders(session_id, reminders)
        async with self._write() as connection:
            await self._require_session(connection, session_id)
            await connection.execute(
                delete(reminder_table).where(_r.session_id == session_id, _r.done_at.is_(None))
            )
            finished = {
                kind: start
                for kind, start in await connection.execute(
                    select(_r.kind, _r.start_time).where(_r.session_id == session_id)
                )
            }
            fresh = [r for r in reminders if finished.get(r.kind.value) != r.start_time]
            stale = [r.kind.value for r in fresh if r.kind.value in finished]
            if stale:
                await connection.execute(
                    delete(reminder_table).where(_r.session_id == session_id, _r.kind.in_(stale))
                )
            rows = [r.model_dump() for r in fresh]
            if rows:
                await connection.execute(insert(reminder_table), rows)
            await schedule_changes.announce(connection, session_id)

    async def add_reminders(self, session_id: str, reminders: list[Reminder]) -> None:
        """Store the reminders of kinds the session holds none of for the same start (one
        for another start is replaced), for the session's start only: under the session's
        row lock, as `replace_reminders` and RSVP writes, so concurrent adds all stay."""
        check_reminders(session_id, reminders)
        async with self._write() as connection:
            await self._require_session(connection, session_id)
            start = await connection.scalar(select(_s.start_time).where(_s.id == session_id))
            held = {
                kind: held_start
                for kind, held_start in await connection.execute(
                    select(_r.kind, _r.start_time).where(_r.session_id == session_id)
                )
            }
            fresh = [
                r
                for r in reminders
                if ensure_utc(r.start_time) == start
                and held.get(r.kind.value) != ensure_utc(r.start_time)
            ]
            stale = [r.kind.value for r in fresh if r.kind.value in held]
            if stale:
                await connection.execute(
                    delete(reminder_table).where(_r.session_id == session_id, _r.kind.in_(stale))
                )
            if fresh:
                await connection.execute(insert(reminder_table), [r.model_dump() for r in fresh])
                await schedule_changes.announce(connection, session_id)

    async def due_reminders(self, now: datetime, limit: int) -> list[Reminder]:
        """Unfinished reminders with due_at <= now, by (due_at, session_id, kind)."""
        async with self._read() as connection:
            result = await connection.execute(queries.select_due_reminders(now, limit))
            return [row_to_reminder(row) for row in result.mappings()]

    async def next_reminder_due(self) -> datetime | None:
        """The earliest due_at among unfinished reminders and held deliveries."""
        async with self._read() as connection:
            due, held = (await connection.execute(queries.select_next_due_and_held())).one()
        return min((d for d in (due, held) if d is not None), default=None)

    async def finish_reminders(self, reminders: list[Reminder], at: datetime) -> None:
        """Mark these reminders done at `at` (missing, already done or replaced by one for
        another start time are left alone)."""
        keys = sorted({(r.session_id, r.kind.value, r.start_time) for r in reminders})
        if not keys:
            return
        done_at = ensure_utc(at)
        rows = [
            {"key_session_id": s, "key_kind": k, "key_start_time": t, "done_at": done_at}
            for s, k, t in keys
        ]
        async with self._write() as connection:
            await connection.execute(_FINISH_REMINDER, rows)

    async def postpone_reminder(
        self,
        session_id: str,
        kind: ReminderKind,
        due_at: datetime,
        start_time: datetime | None = None,
    ) -> None:
        """Move an unfinished reminder's due_at (no-op if missing, already done, or — with
        `start_time` — replaced by one for another start)."""
        statement = update(reminder_table).where(
            _r.session_id == session_id, _r.kind == kind.value, _r.done_at.is_(None)
        )
        if start_time is not None:
            statement = statement.where(_r.start_time == ensure_utc(start_time))
        async with self._write() as connection:
            await connection.execute(statement.values(due_at=due_at))
            await schedule_changes.announce(connection, session_id)

    # deliveries -----------------------------------------------------------------------
    async def claim_deliveries(
        self, keys: list[DeliveryKey], now: datetime, lease: timedelta
    ) -> list[DeliveryKey]:
        """Claim each new delivery, or each unsent one claimed `lease` or longer ago."""
        if not keys:
            return []
        try:
            async with self._write() as connection:
                return await delivery_ops.claim(connection, keys, ensure_utc(now), lease)
        except IntegrityError as error:
            await self._raise_missing_session({k.session_id for k in keys}, error)

    async def mark_deliveries_sent(self, keys: list[DeliveryKey], at: datetime) -> None:
        """Record that these deliveries went out (never-claimed ones are recorded too)."""
        if not keys:
            return
        try:
            async with self._write() as connection:
                await delivery_ops.mark_sent(connection, keys, ensure_utc(at))
        except IntegrityError as error:
            await self._raise_missing_session({k.session_id for k in keys}, error)

    async def _raise_missing_session(
        self, session_ids: set[str], error: IntegrityError
    ) -> NoReturn:
        """After a delivery write failed (rolled back): NotFound naming a missing session.

        Delivery writes leave the existence check to the foreign key. Sessions are never
        deleted, so one missing now was missing then; if none is, the error was another one.
        """
        wanted = sorted(session_ids)
        found = {s.id for s in await self.get_sessions(wanted)}
        missing = [s for s in wanted if s not in found]
        if missing:
            raise NotFound(f"No session with id {missing[0]}.") from error
        raise error

    async def record_and_claim(
        self, sent: list[DeliveryKey], keys: list[DeliveryKey], now: datetime, lease: timedelta
    ) -> DeliveryClaim:
        """Record `sent` as sent at `now` and claim `keys` in one statement of one write
        transaction; its RETURNING says which were claimed before (no read of its own)."""
        if not sent and not keys:
            return DeliveryClaim()
        now = ensure_utc(now)
        try:
            async with self._write() as connection:
                claimed, reclaimed = await delivery_ops.record_and_claim(
                    connection, sent, keys, now, lease
                )
        except IntegrityError as error:
            await self._raise_missing_session({k.session_id for k in [*sent, *keys]}, error)
        return DeliveryClaim(claimed=claimed, reclaimed=reclaimed)

    async def delivery_sent(self, key: DeliveryKey) -> bool:
        """Whether that delivery is recorded as sent."""
        async with self._read() as connection:
            sent = await connection.scalar(select(_d.sent_at).where(_delivery_key(key)))
        return sent is not None

    async def reclaimed_deliveries(self, keys: list[DeliveryKey]) -> list[DeliveryKey]:
        """Those of `keys` claimed more than once and not recorded sent (order kept)."""
        async with self._read() as connection:
            return await delivery_ops.reclaimed(connection, keys)

    async def release_deliveries(self, keys: list[DeliveryKey], claimed_at: datetime) -> None:
        """Make unsent claims made at `claimed_at` claimable at once (their count is kept)."""
        if not keys:
            return
        async with self._write() as connection:
            await delivery_ops.release(connection, keys, ensure_utc(claimed_at))

    async def delivery_attempts(self, key: DeliveryKey) -> int:
        """How many times the delivery was claimed, 0 if never (diagnostics, not in the port)."""
        async with self._read() as connection:
            attempts = await connection.scalar(select(_d.attempts).where(_delivery_key(key)))
        return int(attempts or 0)

    # video-provider webhooks (SQL in `webhook_ops`) -------------------------------------
    async def find_session_by_room(self, room_id: str) -> TrainingSession | None:
        """The session whose room has this provider id (archived ones too), or None."""
        async with self._read() as connection:
            return await webhook_ops.session_by_room(connection, room_id)

    async def webhook_seen(self, delivery_id: str) -> bool:
        """Whether a webhook delivery with this id was remembered."""
        async with self._read() as connection:
            return await webhook_ops.seen(connection, delivery_id)

    async def remember_webhook(self, delivery_id: str, at: datetime) -> bool:
        """Remember a processed delivery; True the first time, False when already known."""
        async with self._write() as connection:
            return await webhook_ops.remember(connection, delivery_id, at)

    # once across processes --------------------------------------------------------------
    async def claim_once(self, key: str, now: datetime, ttl: timedelta) -> bool:
        """Claim `key` until `now + ttl` (`once_ops`); False while an earlier claim holds."""
        async with self._write() as connection:
            return await once_ops.claim(connection, key, now, ttl)

    async def release_once(self, key: str) -> None:
        """Drop a claim of `key` at once."""
        async with self._write() as connection:
            await once_ops.release(connection, key)


_FINISH_REMINDER = (
    update(reminder_table)
    .where(
        _r.session_id == bindparam("key_session_id"),
        _r.kind == bindparam("key_kind"),
        _r.start_time == bindparam("key_start_time", type_=_r.start_time.type),
        _r.done_at.is_(None),
    )
    .values(done_at=bindparam("done_at"))
)
"""Executed over one parameter set per reminder: compiled once, unlike OR-ed key matches."""


def _delivery_key(key: DeliveryKey) -> ColumnElement[bool]:
    return and_(
        _d.session_id == key.session_id,
        _d.recipient_id == key.recipient_id,
        _d.kind == key.kind.value,
        _d.start_time == key.start_time,
    )
