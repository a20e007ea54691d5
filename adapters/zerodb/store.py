"""ZeroDBSessionStore: the SessionStore port on ZeroDB NoSQL tables (see docs/storage.md, "ZeroDB").

ZeroDB documents no transactions, unique constraints or conditional writes, so:

* Within one process every write of a session (RSVPs, attendance, reminders, save) runs
  under an asyncio lock of that session, and every delivery claim under locks of its keys:
  one process never races itself.
* Across processes, RSVP writes, capacity changes and status transitions also hold a
  per-session lease row (`lease.SessionLease`), and every "only once" write (session and
  event ids, delivery claims, webhook ids, `claim_once` keys, attendance stays) is an
  insert-then-verify (`exclusive.insert_exclusive`). Both are safe as long as the service's
  reads see completed inserts (see `exclusive`); the documentation does not promise it.
* Multi-row writes (`finish_reminders`, `mark_deliveries_sent`, a promotion) are a series of
  single-row writes: a failure part-way leaves the earlier ones done.

Rules shared with the SQL and in-memory stores (tests/contract): starts_after inclusive,
starts_before and finished_before exclusive; RSVP positions grow per session; writes that
create rows of a session raise NotFound when it does not exist; finished reminders survive
`replace_reminders` (unless replaced by one for another start time); deliveries are unique
per session × recipient × kind × start time; a claim is stale once `lease` has passed.

Rows written before reminders and deliveries carried their start time get the session's
start time when the store opens (`backfill_start_times`, the SQL store's migration 5).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

from adapters.keyed_locks import KeyedLocks
from adapters.zerodb import delivery_ops, rsvp_ops, session_query
from adapters.zerodb.audit_records import AUDIT_TABLES, ZeroDBAudit
from adapters.zerodb.copy_records import COPY_TABLES, ZeroDBCopies
from adapters.zerodb.delivery_ops import Deliveries
from adapters.zerodb.exclusive import insert_exclusive
from adapters.zerodb.feed_records import FEED_TABLES
from adapters.zerodb.lease import SessionLease
from adapters.zerodb.ledger_records import LEDGER_TABLES, ZeroDBLedger
from adapters.zerodb.ledger_summary_records import ZeroDBLedgerSummary
from adapters.zerodb.member_records import MEMBER_TABLES, ZeroDBMembers
from adapters.zerodb.min_attendance_records import MIN_ATTENDANCE_TABLES, ZeroDBMinAttendance
from adapters.zerodb.no_show_records import NO_SHOW_TABLES, ZeroDBNoShows
from adapters.zerodb.offer_records import ZeroDBOffers
from adapters.zerodb.rank_records import PROMOTION_TABLES, ZeroDBPromotions
from adapters.zerodb.rows import (
    event_to_row,
    instant,
    interval_to_row,
    reminder_to_row,
    row_to_event,
    row_to_interval,
    row_to_reminder,
    row_to_rsvp,
    row_to_session,
    rsvp_to_row,
    session_to_row,
)
from adapters.zerodb.series_records import SERIES_TABLES, ZeroDBSeries
from adapters.zerodb.settings import ZeroDBSettings
from adapters.zerodb.substitute_records import SUBSTITUTE_TABLES, ZeroDBSubstitutes
from adapters.zerodb.tables import Pause, Row, ZeroDBTables
from core import rsvp_policy
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

TABLES: dict[str, str] = {
    "training_sessions": "Training sessions (one row per session)",
    "events": "Events that sessions belong to",
    "rsvps": "RSVPs: one row per session and member",
    "attendance_intervals": "Attendance: one row per stay in a room",
    "reminders": "Reminders: one row per session and kind",
    "deliveries": "Reminder deliveries: one row per claim",
    "webhook_deliveries": "Video-provider webhook deliveries already processed",
    "session_locks": "Per-session lease rows serialising RSVP writes",
    "once_keys": "Keys claimed once across processes until they expire",
    **SERIES_TABLES,
    **COPY_TABLES,
    **MEMBER_TABLES,
    **SUBSTITUTE_TABLES,
    **NO_SHOW_TABLES,
    **MIN_ATTENDANCE_TABLES,
    **LEDGER_TABLES,
    **FEED_TABLES,
    **AUDIT_TABLES,
    **PROMOTION_TABLES,
}
"""Logical table → description; the stored name is `table_prefix` + logical name."""

ID_CHUNK = 100
"""Ids per `$in` query."""

STAY_KEY = "stay_key"
"""Attendance rows: session|member|joined_at, unique per stay (redelivered joins)."""
ONCE_KEY = "once_key"
"""`once_keys` rows: the claimed key."""
ONCE_PRUNE_BATCH = 20
"""Expired `once_keys` rows deleted after each successful claim at most."""


async def open_zerodb_store(settings: ZeroDBSettings) -> ZeroDBSessionStore:
    """A store on the configured project; creates missing tables unless told not to."""
    store = ZeroDBSessionStore(
        ZeroDBTables.from_settings(settings),
        prefix=settings.table_prefix,
        lock_lease=timedelta(seconds=settings.session_lock_seconds),
        lock_tries=settings.session_lock_tries,
    )
    try:
        if settings.create_tables:
            await store.create_tables()
        await store.backfill_start_times()
    except BaseException:
        await store.close()
        raise
    return store


class ZeroDBSessionStore(
    ZeroDBSeries,
    ZeroDBCopies,
    ZeroDBMembers,
    ZeroDBOffers,
    ZeroDBSubstitutes,
    ZeroDBNoShows,
    ZeroDBMinAttendance,
    ZeroDBAudit,
    ZeroDBLedger,
    ZeroDBPromotions,
    ZeroDBLedgerSummary,  # after ZeroDBLedger: it reads through its read_ledger
):
    """SessionStore over `ZeroDBTables`; `pause` is how contended claims wait (injectable)."""

    def __init__(
        self,
        tables: ZeroDBTables,
        *,
        prefix: str = "dojobot_",
        lock_lease: timedelta = timedelta(seconds=30),
        lock_tries: int = 8,
        claim_tries: int = 5,
        pause: Pause = asyncio.sleep,
    ) -> None:
        self.tables = tables
        self._prefix = prefix
        self._pause = pause
        self._claim_tries = claim_tries
        self._session_locks = KeyedLocks()
        self._key_locks = KeyedLocks()
        self._lease = SessionLease(tables, self._t("session_locks"), lock_lease, lock_tries, pause)
        self._deliveries = Deliveries(tables, self._t("deliveries"), claim_tries, pause)

    def _t(self, logical: str) -> str:
        return self._prefix + logical

    def table_name(self, logical: str) -> str:
        """The stored name of a logical table (`adapters.zerodb.dump` reads and fills them)."""
        return self._t(logical)

    async def create_tables(self) -> None:
        """Create every table that does not exist yet."""
        for logical, description in TABLES.items():
            await self.tables.create_table(self._t(logical), description)

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self.tables.close()

    async def backfill_start_times(self) -> int:
        """Give reminder and delivery rows written without a start time their session's.

        Two queries when there is nothing to do; returns how many rows were completed.
        """
        done = 0
        for logical in ("reminders", "deliveries"):
            rows = await self._rows(logical, {"start_time": None})
            ids = sorted({str(r.get("session_id")) for r in rows})
            starts = {s.id: instant(s.start_time) for s in await self.get_sessions(ids)}
            for row in rows:
                start = starts.get(str(row.get("session_id")))
                if start is not None:
                    await self._overwrite(logical, row, {"start_time": start})
                    done += 1
        return done

    # helpers ------------------------------------------------------------------------------
    async def _rows(self, logical: str, filters: dict[str, Any]) -> list[Row]:
        return await self.tables.query_all(self._t(logical), filters)

    async def _first(self, logical: str, filters: dict[str, Any]) -> Row | None:
        rows, _ = await self.tables.query(self._t(logical), filters, limit=1)
        return rows[0] if rows else None

    async def _overwrite(self, logical: str, old: Row, new: Row) -> None:
        """Replace a stored row by `new`, keeping our bookkeeping fields of `old`."""
        id_field = self.tables.dialect.id_field
        merged = {k: v for k, v in (old | new).items() if k != id_field}
        await self.tables.replace(self._t(logical), self.tables.row_id(old), merged)

    async def _require_session(self, session_id: str) -> None:
        if await self._first("training_sessions", {"session_id": session_id}) is None:
            raise NotFound(f"No session with id {session_id}.")

    async def _add_once(self, logical: str, field: str, value: str, row: Row) -> bool:
        """Insert `row` unless a row with `field == value` exists (or wins a race)."""
        async with self._key_locks.hold([(logical, value)]):
            if await self._first(logical, {field: value}) is not None:
                return False

            async def read() -> list[Row]:
                return await self._rows(logical, {field: value})

            won = await insert_exclusive(
                self.tables,
                self._t(logical),
                [(value, row)],
                read,
                lambda r: str(r.get(field)),
                lambda _r: True,
                tries=self._claim_tries,
                pause=self._pause,
            )
            return value in won

    @asynccontextmanager
    async def _serialised(self, session_id: str, now: datetime) -> AsyncIterator[None]:
        """The session's in-process lock and its cross-process lease row.

        Callers enter before their first await, so in-process writers of one session queue
        in arrival order (asyncio.Lock is FIFO).
        """
        async with self._session_locks.hold([session_id]):
            mine = await self._lease.acquire(session_id, now)
            try:
                yield
            finally:
                await self._lease.release(mine)

    # sessions -----------------------------------------------------------------------------
    async def add_session(self, session: TrainingSession) -> None:
        """Insert a new session (InvalidState when the id is taken)."""
        row = session_to_row(session)
        if not await self._add_once("training_sessions", "session_id", session.id, row):
            raise InvalidState(f"A session with id {session.id} already exists.")

    async def get_session(self, session_id: str) -> TrainingSession | None:
        """The session with this id, or None."""
        row = await self._first("training_sessions", {"session_id": session_id})
        return None if row is None else row_to_session(row)

    async def get_sessions(self, session_ids: list[str]) -> list[TrainingSession]:
        """The sessions with these ids that exist, each once, in the order asked."""
        wanted = list(dict.fromkeys(session_ids))
        found: dict[str, TrainingSession] = {}
        for start in range(0, len(wanted), ID_CHUNK):
            part = wanted[start : start + ID_CHUNK]
            for row in await self._rows("training_sessions", {"session_id": {"$in": part}}):
                session = row_to_session(row)
                found.setdefault(session.id, session)
        return [found[i] for i in wanted if i in found]

    async def save_session(self, session: TrainingSession) -> None:
        """Overwrite an existing session (NotFound when it does not exist)."""
        async with self._session_locks.hold([session.id]):
            row = await self._first("training_sessions", {"session_id": session.id})
            if row is None:
                raise NotFound(f"No session with id {session.id}.")
            await self._overwrite("training_sessions", row, session_to_row(session))

    async def transition_session(self, session: TrainingSession, expected: SessionStatus) -> bool:
        """Overwrite the session only if its stored status is still `expected`; checked and
        written under the session's lease (its `updated_at` is the time the lease is judged by).
        """
        async with self._serialised(session.id, ensure_utc(session.updated_at)):
            row = await self._first("training_sessions", {"session_id": session.id})
            if row is None:
                raise NotFound(f"No session with id {session.id}.")
            if row.get("status") != expected.value:
                return False
            await self._overwrite("training_sessions", row, session_to_row(session))
            return True

    async def save_within_capacity(self, session: TrainingSession) -> int | None:
        """Overwrite the session unless more are going than its capacity (then: that count),
        under the session's lease, as RSVPs are."""
        async with self._serialised(session.id, ensure_utc(session.updated_at)):
            row = await self._first("training_sessions", {"session_id": session.id})
            if row is None:
                raise NotFound(f"No session with id {session.id}.")
            if session.capacity is not None:
                going = await self.count_going(session.id)
                if going > session.capacity:
                    return going
            await self._overwrite("training_sessions", row, session_to_row(session))
            return None

    async def _capacity(self, session_id: str) -> tuple[bool, int | None]:
        """(whether the session exists, its capacity), read while its lease is held."""
        session = await self.get_session(session_id)
        return (False, None) if session is None else (True, session.capacity)

    async def list_sessions(self, criteria: SessionFilter) -> list[TrainingSession]:
        """Matching sessions ordered by (start_time, id), reversed when descending, paged.

        Paged by the server when the dialect can sort and every criterion is the server's;
        otherwise every match is read and paged here.
        """
        table = self._t("training_sessions")
        filters = session_query.server_filter(criteria)
        if self.tables.dialect.sort_key and not session_query.needs_local_filter(criteria):
            rows, _ = await self.tables.query(
                table,
                filters,
                limit=criteria.limit,
                offset=criteria.offset,
                sort=session_query.sort_order(criteria),
            )
            return [row_to_session(r) for r in rows]
        matching = sorted(
            (
                s
                for s in map(row_to_session, await self.tables.query_all(table, filters))
                if session_query.local_match(s, criteria)
            ),
            key=session_query.sort_key,
            reverse=criteria.descending,
        )
        return matching[criteria.offset : criteria.offset + criteria.limit]

    async def session_ends(self, criteria: SessionFilter) -> list[datetime]:
        """The scheduled end of each session `list_sessions` returns, in its order."""
        return [s.end_time for s in await self.list_sessions(criteria)]

    async def count_sessions(self, criteria: SessionFilter) -> int:
        """How many sessions match, ignoring limit and offset."""
        filters = session_query.server_filter(criteria)
        if not session_query.needs_local_filter(criteria):
            return await self.tables.count(self._t("training_sessions"), filters)
        rows = await self._rows("training_sessions", filters)
        return sum(1 for r in rows if session_query.local_match(row_to_session(r), criteria))

    # events -------------------------------------------------------------------------------
    async def add_event(self, event: Event) -> None:
        """Insert a new event (InvalidState when the id is taken)."""
        if not await self._add_once("events", "event_id", event.id, event_to_row(event)):
            raise InvalidState(f"An event with id {event.id} already exists.")

    async def get_event(self, event_id: str) -> Event | None:
        """The event with this id, or None."""
        row = await self._first("events", {"event_id": event_id})
        return None if row is None else row_to_event(row)

    async def list_events(self) -> list[Event]:
        """All events ordered by (created_at, id)."""
        found = {e.id: e for e in map(row_to_event, await self._rows("events", {}))}
        return sorted(found.values(), key=lambda e: (e.created_at, e.id))

    # RSVPs --------------------------------------------------------------------------------
    async def _stored_rsvps(self, session_id: str) -> dict[str, rsvp_ops.Stored]:
        stored: dict[str, rsvp_ops.Stored] = {}
        for row in await self._rows("rsvps", {"session_id": session_id}):
            rsvp = row_to_rsvp(row)
            stored.setdefault(rsvp.member_id, rsvp_ops.Stored(rsvp, row))
        return stored

    async def _write_rsvps(self, writes: list[rsvp_ops.Stored]) -> None:
        fresh = [rsvp_to_row(w.rsvp) for w in writes if w.row is None]
        for write in writes:
            if write.row is not None:
                await self._overwrite("rsvps", write.row, rsvp_to_row(write.rsvp))
        if fresh:
            await self.tables.insert(self._t("rsvps"), fresh)

    async def rsvp_going(
        self,
        session_id: str,
        member_id: str,
        member_name: str,
        now: datetime,
        waitlist_only: bool = False,
        passed_over: frozenset[str] = frozenset(),
    ) -> RsvpChange:
        """Going while a seat is free (capacity read under the lease; never with
        `waitlist_only`), else waitlisted at the back; active rows are kept."""
        now = ensure_utc(now)
        async with self._serialised(session_id, now):
            exists, capacity = await self._capacity(session_id)
            if not exists:
                raise NotFound(f"No session with id {session_id}.")
            stored = await self._stored_rsvps(session_id)
            decision = rsvp_policy.going(
                rsvp_ops.queue_of(stored, capacity),
                rsvp_ops.own_row(stored, member_id),
                session_id,
                member_id,
                member_name,
                now,
                waitlist_only,
                passed_over,
            )
            await self._write_rsvps(rsvp_ops.writes_for(stored, decision.writes))
            return decision.change

    async def rsvp_leave(
        self, session_id: str, member_id: str, now: datetime, promote: bool = True
    ) -> RsvpChange:
        """Mark the member left; a freed seat goes to the first waitlisted member (to nobody
        unless `promote`: the caller offers it)."""
        now = ensure_utc(now)
        async with self._serialised(session_id, now):
            _, capacity = await self._capacity(session_id)
            stored = await self._stored_rsvps(session_id)
            queue = rsvp_ops.queue_of(stored, capacity)
            own = rsvp_ops.own_row(stored, member_id)
            decision = rsvp_policy.leave(queue, own, now, promote)
            await self._write_rsvps(rsvp_ops.writes_for(stored, decision.writes))
            return decision.change

    async def promote_waitlisted(self, session_id: str, now: datetime) -> list[Rsvp]:
        """RecordPromotion waitlisted members in position order while seats are free."""
        now = ensure_utc(now)
        async with self._serialised(session_id, now):
            _, capacity = await self._capacity(session_id)
            stored = await self._stored_rsvps(session_id)
            promoted = rsvp_policy.promotions(rsvp_ops.queue_of(stored, capacity), now)
            await self._write_rsvps(rsvp_ops.writes_for(stored, promoted))
            return promoted

    async def list_rsvps(self, session_id: str, status: RsvpStatus | None = None) -> list[Rsvp]:
        """RSVPs of a session by position, optionally of one status."""
        return await self.list_rsvps_of_sessions([session_id], status)

    async def list_rsvps_of_sessions(
        self, session_ids: list[str], status: RsvpStatus | None = None
    ) -> list[Rsvp]:
        """RSVPs of these sessions ordered by (session_id, position), optionally of one status."""
        wanted = sorted(set(session_ids))
        found: dict[tuple[str, str], Rsvp] = {}
        for start in range(0, len(wanted), ID_CHUNK):
            filters: dict[str, Any] = {"session_id": {"$in": wanted[start : start + ID_CHUNK]}}
            if status is not None:
                filters["status"] = status.value
            for row in await self._rows("rsvps", filters):
                rsvp = row_to_rsvp(row)
                found.setdefault((rsvp.session_id, rsvp.member_id), rsvp)
        return sorted(found.values(), key=lambda r: (r.session_id, r.position))

    async def count_rsvps_of_sessions(
        self, session_ids: list[str], status: RsvpStatus
    ) -> dict[str, int]:
        """How many RSVPs of `status` each of these sessions has (none: left out): the
        chunked reads of `list_rsvps_of_sessions`, counted by key without building models."""
        wanted = sorted(set(session_ids))
        keys: set[tuple[str, str]] = set()
        for start in range(0, len(wanted), ID_CHUNK):
            filters = {"session_id": {"$in": wanted[start : start + ID_CHUNK]}}
            rows = await self._rows("rsvps", filters | {"status": status.value})
            keys.update((str(row["session_id"]), str(row["member_id"])) for row in rows)
        return dict(Counter(session_id for session_id, _ in keys))

    async def members_of_sessions(
        self, session_ids: list[str], status: RsvpStatus
    ) -> dict[str, list[str]]:
        """Member ids of each session's RSVPs of `status`, in position order (none: left
        out), from `list_rsvps_of_sessions`."""
        members: dict[str, list[str]] = {}
        for rsvp in await self.list_rsvps_of_sessions(session_ids, status):
            members.setdefault(rsvp.session_id, []).append(rsvp.member_id)
        return members

    async def count_going(self, session_id: str) -> int:
        """How many members are going."""
        filters = {"session_id": session_id, "status": RsvpStatus.GOING.value}
        return await self.tables.count(self._t("rsvps"), filters)

    # attendance ---------------------------------------------------------------------------
    async def record_join(
        self, session_id: str, member_id: str, member_name: str, at: datetime
    ) -> None:
        """Open an attendance interval for the member at `at`, once per member and `at`
        (an insert-then-verify on the stay's key, like every "only once" write here)."""
        interval = AttendanceInterval(
            session_id=session_id, member_id=member_id, member_name=member_name, joined_at=at
        )
        async with self._session_locks.hold([session_id]):
            await self._require_session(session_id)
            stay = f"{session_id}|{member_id}|{instant(interval.joined_at)}"
            row = interval_to_row(interval) | {STAY_KEY: stay}
            await self._add_once("attendance_intervals", STAY_KEY, stay, row)

    async def record_leave(self, session_id: str, member_id: str, at: datetime) -> None:
        """Close the member's latest open interval (latest joined_at) at `at`, if any."""
        async with self._session_locks.hold([session_id]):
            filters = {"session_id": session_id, "member_id": member_id, "left_at": None}
            rows = await self._rows("attendance_intervals", filters)
            if not rows:
                return
            latest = max(enumerate(rows), key=lambda p: (str(p[1].get("joined_at")), p[0]))[1]
            await self._overwrite("attendance_intervals", latest, {"left_at": instant(at)})

    async def list_attendance(self, session_id: str) -> list[AttendanceInterval]:
        """All intervals of a session by joined_at (then the server's order)."""
        rows = await self._rows("attendance_intervals", {"session_id": session_id})
        return sorted(map(row_to_interval, rows), key=lambda i: i.joined_at)

    # reminders ----------------------------------------------------------------------------
    async def replace_reminders(self, session_id: str, reminders: list[Reminder]) -> None:
        """Drop unfinished reminders of the session and store these; a kind already
        finished for the same start time stays finished (one for another start is replaced)."""
        check_reminders(session_id, reminders)
        async with self._session_locks.hold([session_id]):
            await self._require_session(session_id)
            table = self._t("reminders")
            finished: dict[str, Row] = {}
            for row in await self._rows("reminders", {"session_id": session_id}):
                if row.get("done_at") is None:
                    await self.tables.delete(table, self.tables.row_id(row))
                else:
                    finished[str(row.get("kind"))] = row
            fresh = []
            for reminder in reminders:
                old = finished.get(reminder.kind.value)
                if old is not None and old.get("start_time") == instant(reminder.start_time):
                    continue
                if old is not None:
                    await self.tables.delete(table, self.tables.row_id(old))
                fresh.append(reminder_to_row(reminder))
            if fresh:
                await self.tables.insert(table, fresh)

    async def add_reminders(self, session_id: str, reminders: list[Reminder]) -> None:
        """Store the reminders of kinds the session holds none of for the same start (one
        for another start is replaced), for the session's start only. Each kind is an
        insert-then-verify keyed by the session and kind (`exclusive`): across processes,
        adds of different kinds all stay; of one kind, the first (or an existing row) wins.
        """
        check_reminders(session_id, reminders)
        async with self._session_locks.hold([session_id]):
            session = await self.get_session(session_id)
            if session is None:
                raise NotFound(f"No session with id {session_id}.")
            table = self._t("reminders")

            async def read() -> list[Row]:
                return await self._rows("reminders", {"session_id": session_id})

            held = {str(row.get("kind")): row for row in await read()}
            fresh: list[tuple[str, Row]] = []
            for reminder in reminders:
                if reminder.start_time != session.start_time:
                    continue
                old = held.get(reminder.kind.value)
                if old is not None and old.get("start_time") == instant(reminder.start_time):
                    continue
                if old is not None:
                    await self.tables.delete(table, self.tables.row_id(old))
                fresh.append((reminder.kind.value, reminder_to_row(reminder)))
            await insert_exclusive(
                self.tables,
                table,
                fresh,
                read,
                lambda row: str(row.get("kind")),
                lambda _row: True,
                tries=self._claim_tries,
                pause=self._pause,
            )

    async def due_reminders(self, now: datetime, limit: int) -> list[Reminder]:
        """Unfinished reminders with due_at <= now, by (due_at, session_id, kind)."""
        filters = {"done_at": None, "due_at": {"$lte": instant(ensure_utc(now))}}
        order = [("due_at", 1), ("session_id", 1), ("kind", 1)]
        return (await self._pending_reminders(filters, order, limit))[:limit]

    async def next_reminder_due(self) -> datetime | None:
        """The earliest due_at among unfinished reminders and held deliveries."""
        found = await self._pending_reminders({"done_at": None}, [("due_at", 1)], 1)
        held = await self._next_deferred_due()
        return min(
            [*(r.due_at for r in found[:1]), *([] if held is None else [held])], default=None
        )

    async def _pending_reminders(
        self, filters: dict[str, Any], order: list[tuple[str, int]], limit: int
    ) -> list[Reminder]:
        """Reminders matching `filters` in `order`: sorted by the server when it can."""
        table = self._t("reminders")
        if self.tables.dialect.sort_key:
            rows, _ = await self.tables.query(table, filters, limit=limit, sort=order)
        else:
            rows = await self.tables.query_all(table, filters)
        return sorted(
            map(row_to_reminder, rows), key=lambda r: (r.due_at, r.session_id, r.kind.value)
        )

    async def finish_reminders(self, reminders: list[Reminder], at: datetime) -> None:
        """Mark these reminders done at `at` (missing, already done or replaced by one for
        another start time are left alone)."""
        keys = {(r.session_id, r.kind.value, instant(r.start_time)) for r in reminders}
        if not keys:
            return
        done_at = instant(ensure_utc(at))
        session_ids = sorted({k[0] for k in keys})
        async with self._session_locks.hold(session_ids):
            for start in range(0, len(session_ids), ID_CHUNK):
                part = session_ids[start : start + ID_CHUNK]
                rows = await self._rows("reminders", {"session_id": {"$in": part}, "done_at": None})
                for row in rows:
                    if (row.get("session_id"), row.get("kind"), row.get("start_time")) in keys:
                        await self._overwrite("reminders", row, {"done_at": done_at})

    async def postpone_reminder(
        self,
        session_id: str,
        kind: ReminderKind,
        due_at: datetime,
        start_time: datetime | None = None,
    ) -> None:
        """Move an unfinished reminder's due_at (no-op if missing, already done, or — with
        `start_time` — replaced by one for another start)."""
        async with self._session_locks.hold([session_id]):
            filters = {"session_id": session_id, "kind": kind.value, "done_at": None}
            if start_time is not None:
                filters["start_time"] = instant(ensure_utc(start_time))
            for row in await self._rows("reminders", filters):
                await self._overwrite("reminders", row, {"due_at": instant(ensure_utc(due_at))})

    # deliveries ---------------------------------------------------------------------------
    async def _require_sessions(self, keys: list[DeliveryKey]) -> None:
        wanted = sorted({k.session_id for k in keys})
        found = {s.id for s in await self.get_sessions(wanted)}
        missing = [s for s in wanted if s not in found]
        if missing:
            raise NotFound(f"No session with id {missing[0]}.")

    async def claim_deliveries(
        self, keys: list[DeliveryKey], now: datetime, lease: timedelta
    ) -> list[DeliveryKey]:
        """Claim each new delivery, or each unsent one claimed `lease` or longer ago."""
        unique = list(dict.fromkeys(keys))
        if not unique:
            return []
        await self._require_sessions(unique)
        wanted = [delivery_ops.as_key(k) for k in unique]
        async with self._key_locks.hold(wanted):
            won = await self._deliveries.claim(wanted, ensure_utc(now), lease)
        return [k for k in unique if delivery_ops.as_key(k) in won]

    async def mark_deliveries_sent(self, keys: list[DeliveryKey], at: datetime) -> None:
        """Record that these deliveries went out (never-claimed ones are recorded too)."""
        unique = list(dict.fromkeys(keys))
        if not unique:
            return
        await self._require_sessions(unique)
        wanted = [delivery_ops.as_key(k) for k in unique]
        async with self._key_locks.hold(wanted):
            await self._deliveries.mark_sent(wanted, ensure_utc(at))

    async def record_and_claim(
        self, sent: list[DeliveryKey], keys: list[DeliveryKey], now: datetime, lease: timedelta
    ) -> DeliveryClaim:
        """Record `sent`, then claim `keys`, one after the other (no transactions here: a
        failure in between leaves `sent` recorded and nothing claimed)."""
        await self._require_sessions(list(dict.fromkeys([*sent, *keys])))
        await self.mark_deliveries_sent(sent, now)
        claimed = await self.claim_deliveries(keys, now, lease)
        return DeliveryClaim(claimed=claimed, reclaimed=await self.reclaimed_deliveries(claimed))

    async def delivery_sent(self, key: DeliveryKey) -> bool:
        """Whether that delivery is recorded as sent."""
        return await self._deliveries.sent(delivery_ops.as_key(key))

    async def reclaimed_deliveries(self, keys: list[DeliveryKey]) -> list[DeliveryKey]:
        """Those of `keys` claimed more than once and not recorded sent (order kept)."""
        unique = list(dict.fromkeys(keys))
        if not unique:
            return []
        found = await self._deliveries.reclaimed([delivery_ops.as_key(k) for k in unique])
        return [k for k in unique if delivery_ops.as_key(k) in found]

    async def release_deliveries(self, keys: list[DeliveryKey], claimed_at: datetime) -> None:
        """Make unsent claims made at `claimed_at` claimable at once (their count is kept)."""
        wanted = [delivery_ops.as_key(k) for k in dict.fromkeys(keys)]
        if not wanted:
            return
        async with self._key_locks.hold(wanted):
            await self._deliveries.release(wanted, ensure_utc(claimed_at))

    async def delivery_attempts(self, key: DeliveryKey) -> int:
        """How many times the delivery was claimed, 0 if never (diagnostics, not in the port)."""
        return await self._deliveries.attempts(delivery_ops.as_key(key))

    # video-provider webhooks --------------------------------------------------------------
    async def find_session_by_room(self, room_id: str) -> TrainingSession | None:
        """The session whose room has this provider id (the oldest if several), or None."""
        rows = await self._rows("training_sessions", {"room_id": room_id})
        sessions = sorted(map(row_to_session, rows), key=lambda s: (s.created_at, s.id))
        return sessions[0] if sessions else None

    async def webhook_seen(self, delivery_id: str) -> bool:
        """Whether a webhook delivery with this id was remembered."""
        return await self._first("webhook_deliveries", {"delivery_id": delivery_id}) is not None

    async def remember_webhook(self, delivery_id: str, at: datetime) -> bool:
        """Remember a processed delivery; True the first time, False when already known."""
        row = {"delivery_id": delivery_id, "received_at": instant(ensure_utc(at))}
        return await self._add_once("webhook_deliveries", "delivery_id", delivery_id, row)

    # once across processes ----------------------------------------------------------------
    async def claim_once(self, key: str, now: datetime, ttl: timedelta) -> bool:
        """Claim `key` until `now + ttl`: insert-then-verify where a rival is another unexpired
        claim of the key; the key's expired rows are deleted by the winner."""
        stamp = instant(ensure_utc(now))
        table = self._t("once_keys")
        async with self._key_locks.hold([("once_keys", key)]):
            rows = await self._rows("once_keys", {ONCE_KEY: key})
            if any(str(r.get("expires_at") or "") > stamp for r in rows):
                return False

            async def read() -> list[Row]:
                return await self._rows("once_keys", {ONCE_KEY: key})

            won = await insert_exclusive(
                self.tables,
                table,
                [(key, {ONCE_KEY: key, "expires_at": instant(ensure_utc(now) + ttl)})],
                read,
                lambda r: str(r.get(ONCE_KEY)),
                lambda r: str(r.get("expires_at") or "") > stamp,
                tries=self._claim_tries,
                pause=self._pause,
            )
            if key not in won:
                return False
        expired, _ = await self.tables.query(
            table, {"expires_at": {"$lte": stamp}}, limit=ONCE_PRUNE_BATCH
        )
        for row in expired:  # a few expired claims, so old keys go away
            await self.tables.delete(table, self.tables.row_id(row))
        return True

    async def release_once(self, key: str) -> None:
        """Drop every claim row of `key` at once."""
        async with self._key_locks.hold([("once_keys", key)]):
            for row in await self._rows("once_keys", {ONCE_KEY: key}):
                await self.tables.delete(self._t("once_keys"), self.tables.row_id(row))
