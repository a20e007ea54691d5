"""InMemorySessionStore: the SessionStore port kept in dicts, for tests and scripted runs.

It follows exactly the rules of the SQL adapter (both run through tests/contract):

* `list_sessions`: `starts_after` is inclusive (start_time >= starts_after), `starts_before`
  exclusive (start_time < starts_before), `finished_before` exclusive on ended_at or
  canceled_at; ordered by (start_time, id), both reversed when `descending`.
* RSVP positions grow per session (max + 1); a member who left re-enters at the back.
  A seat is free while going < capacity (None: unlimited).
* Writes that create rows of a session (RSVP, attendance, reminders, deliveries) raise
  NotFound when the session does not exist.
* `replace_reminders` keeps finished reminders; a new reminder of a kind already finished
  for the same start time is ignored, one for another start time replaces it.
  `finish_reminders` finishes only the stored reminder of the same start time. Reminder ties
  are broken by (session_id, kind).
* A delivery is unique per session × recipient × kind × start time.
* `claim_once`: a key is claimable again once `now >= claimed now + ttl` (expired keys are
  dropped at each claim); `record_join` stores one stay per member and join time;
  `transition_session` writes only when the stored status is the expected one.
* A delivery claim is reclaimable once `now - claimed_at >= lease` and it was never sent;
  keys repeated in one call are claimed once. Batch writes are all-or-nothing.

Every record is copied in and out, so callers can never mutate stored state.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

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
from core.ports import RELEASED_CLAIM, DeliveryClaim, StoreRecord
from core.reminders import check_reminders
from core.testing import dump
from core.testing.audit_store import InMemoryAudit
from core.testing.copies_store import InMemoryCopies
from core.testing.feed_store import InMemoryFeeds
from core.testing.ledger_store import InMemoryLedger
from core.testing.ledger_summary_store import InMemoryLedgerSummary
from core.testing.member_store import InMemoryMembers
from core.testing.min_attendance_store import InMemoryMinAttendance
from core.testing.no_show_store import InMemoryNoShows
from core.testing.offer_store import InMemoryOffers
from core.testing.rank_store import InMemoryPromotions
from core.testing.series_store import InMemorySeries
from core.testing.substitute_store import InMemorySubstitutes


@dataclass
class _Delivery:
    claimed_at: datetime
    attempts: int
    sent_at: datetime | None = None


def matches(session: TrainingSession, criteria: SessionFilter) -> bool:
    """Whether `session` satisfies every field of `criteria` (limit and offset aside)."""
    c = criteria
    finished = c.finished_before
    checks = (
        c.status is None or session.status in c.status,
        c.instructor_id is None or session.instructor_id == c.instructor_id,
        c.event_id is None or session.event_id == c.event_id,
        c.series_id is None or session.series_id == c.series_id,
        c.starts_after is None or session.start_time >= c.starts_after,
        c.starts_before is None or session.start_time < c.starts_before,
        c.room_states is None or session.room.state in c.room_states,
        finished is None
        or (session.ended_at is not None and session.ended_at < finished)
        or (session.canceled_at is not None and session.canceled_at < finished),
        c.include_archived or session.archived_at is None,
    )
    return all(checks)


class InMemorySessionStore(
    InMemorySeries,
    InMemoryMembers,
    InMemoryCopies,
    InMemoryOffers,
    InMemorySubstitutes,
    InMemoryNoShows,
    InMemoryMinAttendance,
    InMemoryAudit,
    InMemoryFeeds,
    InMemoryLedger,
    InMemoryPromotions,
    InMemoryLedgerSummary,  # after InMemoryLedger: it reads through its read_ledger
):
    """A complete SessionStore held in memory; one asyncio.Lock makes each write atomic."""

    def __init__(self) -> None:
        InMemorySeries.__init__(self)
        InMemoryMembers.__init__(self)
        InMemoryCopies.__init__(self)
        InMemorySubstitutes.__init__(self)
        InMemoryNoShows.__init__(self)
        InMemoryMinAttendance.__init__(self)
        InMemoryAudit.__init__(self)
        InMemoryPromotions.__init__(self)
        InMemoryFeeds.__init__(self)
        InMemoryLedger.__init__(self)
        self._lock = asyncio.Lock()
        self._sessions: dict[str, TrainingSession] = {}
        self._events: dict[str, Event] = {}
        self._rsvps: dict[str, dict[str, Rsvp]] = {}
        self._attendance: dict[str, list[AttendanceInterval]] = {}
        self._reminders: dict[tuple[str, ReminderKind], Reminder] = {}
        self._deliveries: dict[DeliveryKey, _Delivery] = {}
        self._webhooks: dict[str, datetime] = {}
        self._once: dict[str, datetime] = {}

    async def close(self) -> None:
        """Nothing to release."""

    def _require_session(self, session_id: str) -> None:
        if session_id not in self._sessions:
            raise NotFound(f"No session with id {session_id}.")

    # sessions -------------------------------------------------------------------------
    async def add_session(self, session: TrainingSession) -> None:
        """Insert a new session (InvalidState when the id is taken)."""
        async with self._lock:
            if session.id in self._sessions:
                raise InvalidState(f"A session with id {session.id} already exists.")
            self._sessions[session.id] = session.model_copy(deep=True)

    async def get_session(self, session_id: str) -> TrainingSession | None:
        """The session with this id, or None."""
        found = self._sessions.get(session_id)
        return None if found is None else found.model_copy(deep=True)

    async def get_sessions(self, session_ids: list[str]) -> list[TrainingSession]:
        """The sessions with these ids that exist, each once, in the order asked."""
        found = (self._sessions.get(i) for i in dict.fromkeys(session_ids))
        return [s.model_copy(deep=True) for s in found if s is not None]

    async def save_session(self, session: TrainingSession) -> None:
        """Overwrite an existing session (NotFound when it does not exist)."""
        async with self._lock:
            self._require_session(session.id)
            self._sessions[session.id] = session.model_copy(deep=True)

    async def transition_session(self, session: TrainingSession, expected: SessionStatus) -> bool:
        """Overwrite the session only if its stored status is still `expected`."""
        async with self._lock:
            self._require_session(session.id)
            if self._sessions[session.id].status is not expected:
                return False
            self._sessions[session.id] = session.model_copy(deep=True)
            return True

    async def save_within_capacity(self, session: TrainingSession) -> int | None:
        """Overwrite the session unless more are going than its capacity (then: that count)."""
        async with self._lock:
            self._require_session(session.id)
            rows = self._rsvps.get(session.id, {}).values()
            going = sum(1 for r in rows if r.status is RsvpStatus.GOING)
            if session.capacity is not None and going > session.capacity:
                return going
            self._sessions[session.id] = session.model_copy(deep=True)
            return None

    async def list_sessions(self, criteria: SessionFilter) -> list[TrainingSession]:
        """Matching sessions ordered by (start_time, id), reversed when descending, paged."""
        found = sorted(
            (s for s in self._sessions.values() if matches(s, criteria)),
            key=lambda s: (s.start_time, s.id),
            reverse=criteria.descending,
        )
        page = found[criteria.offset : criteria.offset + criteria.limit]
        return [s.model_copy(deep=True) for s in page]

    async def count_sessions(self, criteria: SessionFilter) -> int:
        """How many sessions match, ignoring limit and offset."""
        return sum(1 for s in self._sessions.values() if matches(s, criteria))

    async def session_ends(self, criteria: SessionFilter) -> list[datetime]:
        """The scheduled end of each session `list_sessions` returns, in its order."""
        return [s.end_time for s in await self.list_sessions(criteria)]

    # events ---------------------------------------------------------------------------
    async def add_event(self, event: Event) -> None:
        """Insert a new event (InvalidState when the id is taken)."""
        async with self._lock:
            if event.id in self._events:
                raise InvalidState(f"An event with id {event.id} already exists.")
            self._events[event.id] = event.model_copy(
                update={"created_at": ensure_utc(event.created_at)}, deep=True
            )

    async def get_event(self, event_id: str) -> Event | None:
        """The event with this id, or None."""
        found = self._events.get(event_id)
        return None if found is None else found.model_copy(deep=True)

    async def list_events(self) -> list[Event]:
        """All events ordered by (created_at, id)."""
        ordered = sorted(self._events.values(), key=lambda e: (e.created_at, e.id))
        return [e.model_copy(deep=True) for e in ordered]

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
        """Going while a seat is free (never with `waitlist_only`), else waitlisted at the
        back; active rows are kept."""
        now = ensure_utc(now)
        async with self._lock:
            self._require_session(session_id)
            capacity = self._sessions[session_id].capacity
            rows = self._rsvps.setdefault(session_id, {})
            queue = rsvp_policy.queue_of(rows.values(), capacity)
            existing = rows.get(member_id)
            decision = rsvp_policy.going(
                queue, existing, session_id, member_id, member_name, now, waitlist_only, passed_over
            )
            return self._persist(rows, decision)

    async def rsvp_leave(
        self, session_id: str, member_id: str, now: datetime, promote: bool = True
    ) -> RsvpChange:
        """Mark the member left; a freed seat goes to the first waitlisted member (unless
        `promote` is False)."""
        now = ensure_utc(now)
        async with self._lock:
            rows = self._rsvps.get(session_id, {})
            queue = rsvp_policy.queue_of(rows.values(), self._capacity(session_id))
            decision = rsvp_policy.leave(queue, rows.get(member_id), now, promote)
            return self._persist(rows, decision)

    async def promote_waitlisted(self, session_id: str, now: datetime) -> list[Rsvp]:
        """RecordPromotion waitlisted members in position order while seats are free."""
        now = ensure_utc(now)
        async with self._lock:
            rows = self._rsvps.get(session_id, {})
            queue = rsvp_policy.queue_of(rows.values(), self._capacity(session_id))
            promoted = rsvp_policy.promotions(queue, now)
            rows.update((r.member_id, r) for r in promoted)
            return [r.model_copy(deep=True) for r in promoted]

    @staticmethod
    def _persist(rows: dict[str, Rsvp], decision: rsvp_policy.Decision) -> RsvpChange:
        rows.update((r.member_id, r) for r in decision.writes)
        return decision.change.model_copy(deep=True)

    def _capacity(self, session_id: str) -> int | None:
        found = self._sessions.get(session_id)
        return None if found is None else found.capacity

    async def list_rsvps(self, session_id: str, status: RsvpStatus | None = None) -> list[Rsvp]:
        """RSVPs of a session by position, optionally of one status."""
        rows = self._rsvps.get(session_id, {}).values()
        chosen = sorted(
            (r for r in rows if status is None or r.status is status), key=lambda r: r.position
        )
        return [r.model_copy(deep=True) for r in chosen]

    async def list_rsvps_of_sessions(
        self, session_ids: list[str], status: RsvpStatus | None = None
    ) -> list[Rsvp]:
        """RSVPs of these sessions ordered by (session_id, position), optionally of one status."""
        chosen = sorted(
            (
                r
                for session_id in set(session_ids)
                for r in self._rsvps.get(session_id, {}).values()
                if status is None or r.status is status
            ),
            key=lambda r: (r.session_id, r.position),
        )
        return [r.model_copy(deep=True) for r in chosen]

    async def count_rsvps_of_sessions(
        self, session_ids: list[str], status: RsvpStatus
    ) -> dict[str, int]:
        """How many RSVPs of `status` each of these sessions has (none: left out)."""
        listed = await self.list_rsvps_of_sessions(session_ids, status)
        return dict(Counter(r.session_id for r in listed))

    async def members_of_sessions(
        self, session_ids: list[str], status: RsvpStatus
    ) -> dict[str, list[str]]:
        """Member ids of each session's RSVPs of `status`, in position order (none: left out)."""
        members: dict[str, list[str]] = {}
        for rsvp in await self.list_rsvps_of_sessions(session_ids, status):
            members.setdefault(rsvp.session_id, []).append(rsvp.member_id)
        return members

    async def count_going(self, session_id: str) -> int:
        """How many members are going."""
        rows = self._rsvps.get(session_id, {}).values()
        return sum(1 for r in rows if r.status is RsvpStatus.GOING)

    # attendance -----------------------------------------------------------------------
    async def record_join(
        self, session_id: str, member_id: str, member_name: str, at: datetime
    ) -> None:
        """Open an attendance interval for the member at `at` (once per member and `at`)."""
        async with self._lock:
            self._require_session(session_id)
            interval = AttendanceInterval(
                session_id=session_id, member_id=member_id, member_name=member_name, joined_at=at
            )
            stays = self._attendance.setdefault(session_id, [])
            if any(s.member_id == member_id and s.joined_at == interval.joined_at for s in stays):
                return
            stays.append(interval)

    async def record_leave(self, session_id: str, member_id: str, at: datetime) -> None:
        """Close the member's latest open interval (latest joined_at) at `at`, if any."""
        async with self._lock:
            intervals = self._attendance.get(session_id, [])
            open_ones = [
                (i, iv)
                for i, iv in enumerate(intervals)
                if iv.member_id == member_id and iv.left_at is None
            ]
            if not open_ones:
                return
            index, latest = max(open_ones, key=lambda pair: (pair[1].joined_at, pair[0]))
            intervals[index] = latest.model_copy(update={"left_at": ensure_utc(at)})

    async def list_attendance(self, session_id: str) -> list[AttendanceInterval]:
        """All intervals of a session by joined_at (then recording order)."""
        intervals = sorted(self._attendance.get(session_id, []), key=lambda iv: iv.joined_at)
        return [iv.model_copy(deep=True) for iv in intervals]

    # reminders ------------------------------------------------------------------------
    async def replace_reminders(self, session_id: str, reminders: list[Reminder]) -> None:
        """Drop unfinished reminders of the session and store these; a kind already
        finished for the same start time stays finished (one for another start is replaced)."""
        check_reminders(session_id, reminders)
        async with self._lock:
            self._require_session(session_id)
            for key, reminder in list(self._reminders.items()):
                if key[0] == session_id and reminder.done_at is None:
                    del self._reminders[key]
            for reminder in reminders:
                key = (session_id, reminder.kind)
                found = self._reminders.get(key)
                if found is None or found.start_time != reminder.start_time:
                    self._reminders[key] = _utc_reminder(reminder)

    async def add_reminders(self, session_id: str, reminders: list[Reminder]) -> None:
        """Store the reminders of kinds the session holds none of for the same start (one
        for another start is replaced); those for another start than the session's are
        ignored."""
        check_reminders(session_id, reminders)
        async with self._lock:
            self._require_session(session_id)
            start = self._sessions[session_id].start_time
            for reminder in reminders:
                key = (session_id, reminder.kind)
                found = self._reminders.get(key)
                if reminder.start_time == start and (
                    found is None or found.start_time != reminder.start_time
                ):
                    self._reminders[key] = _utc_reminder(reminder)

    async def due_reminders(self, now: datetime, limit: int) -> list[Reminder]:
        """Unfinished reminders with due_at <= now, by (due_at, session_id, kind)."""
        now = ensure_utc(now)
        due = sorted(
            (r for r in self._reminders.values() if r.done_at is None and r.due_at <= now),
            key=lambda r: (r.due_at, r.session_id, r.kind.value),
        )
        return [r.model_copy(deep=True) for r in due[:limit]]

    async def next_reminder_due(self) -> datetime | None:
        """The earliest due_at among unfinished reminders and held deliveries."""
        pending = [r.due_at for r in self._reminders.values() if r.done_at is None]
        held = self._next_deferred_due()
        return min([*pending, *([] if held is None else [held])], default=None)

    async def finish_reminders(self, reminders: list[Reminder], at: datetime) -> None:
        """Mark these reminders done at `at` (missing, already done or replaced by one for
        another start time are left alone)."""
        at = ensure_utc(at)
        async with self._lock:
            for reminder in reminders:
                key = (reminder.session_id, reminder.kind)
                found = self._reminders.get(key)
                if (
                    found is not None
                    and found.done_at is None
                    and found.start_time == reminder.start_time
                ):
                    self._reminders[key] = found.model_copy(update={"done_at": at})

    async def postpone_reminder(
        self,
        session_id: str,
        kind: ReminderKind,
        due_at: datetime,
        start_time: datetime | None = None,
    ) -> None:
        """Move an unfinished reminder's due_at (no-op if missing, already done, or — with
        `start_time` — replaced by one for another start)."""
        async with self._lock:
            found = self._reminders.get((session_id, kind))
            if (
                found is not None
                and found.done_at is None
                and (start_time is None or found.start_time == start_time)
            ):
                self._reminders[(session_id, kind)] = found.model_copy(
                    update={"due_at": ensure_utc(due_at)}
                )

    # deliveries -----------------------------------------------------------------------
    def _require_sessions(self, keys: list[DeliveryKey]) -> None:
        for session_id in sorted({k.session_id for k in keys}):
            self._require_session(session_id)

    async def claim_deliveries(
        self, keys: list[DeliveryKey], now: datetime, lease: timedelta
    ) -> list[DeliveryKey]:
        """Claim each new delivery, or each unsent one claimed `lease` or longer ago."""
        async with self._lock:
            self._require_sessions(keys)
            return self._claim(keys, ensure_utc(now), lease)

    def _claim(self, keys: list[DeliveryKey], now: datetime, lease: timedelta) -> list[DeliveryKey]:
        claimed: list[DeliveryKey] = []
        for key in dict.fromkeys(keys):
            found = self._deliveries.get(key)
            if found is None:
                self._deliveries[key] = _Delivery(claimed_at=now, attempts=1)
            elif found.sent_at is None and found.claimed_at <= now - lease:
                found.claimed_at = now
                found.attempts += 1
            else:
                continue
            claimed.append(key)
        return claimed

    async def mark_deliveries_sent(self, keys: list[DeliveryKey], at: datetime) -> None:
        """Record that these deliveries went out (never-claimed ones are recorded too)."""
        async with self._lock:
            self._require_sessions(keys)
            self._mark_sent(keys, ensure_utc(at))

    def _mark_sent(self, keys: list[DeliveryKey], at: datetime) -> None:
        for key in keys:
            found = self._deliveries.setdefault(key, _Delivery(claimed_at=at, attempts=1))
            if found.sent_at is None:
                found.sent_at = at

    async def record_and_claim(
        self, sent: list[DeliveryKey], keys: list[DeliveryKey], now: datetime, lease: timedelta
    ) -> DeliveryClaim:
        """Record `sent` as sent at `now`, then claim `keys`, under one hold of the lock."""
        now = ensure_utc(now)
        async with self._lock:
            self._require_sessions([*sent, *keys])
            self._mark_sent(sent, now)
            claimed = self._claim(keys, now, lease)
        return DeliveryClaim(
            claimed=claimed, reclaimed=[k for k in claimed if self._deliveries[k].attempts > 1]
        )

    async def delivery_sent(self, key: DeliveryKey) -> bool:
        """Whether that delivery is recorded as sent."""
        found = self._deliveries.get(key)
        return found is not None and found.sent_at is not None

    async def reclaimed_deliveries(self, keys: list[DeliveryKey]) -> list[DeliveryKey]:
        """Those of `keys` claimed more than once and not recorded sent (order kept)."""
        found = {k: self._deliveries.get(k) for k in keys}
        return [
            k
            for k in dict.fromkeys(keys)
            if (d := found[k]) is not None and d.sent_at is None and d.attempts > 1
        ]

    async def release_deliveries(self, keys: list[DeliveryKey], claimed_at: datetime) -> None:
        """Make unsent claims made at `claimed_at` claimable at once (their count is kept)."""
        claimed_at = ensure_utc(claimed_at)
        async with self._lock:
            for key in keys:
                found = self._deliveries.get(key)
                if found is not None and found.sent_at is None and found.claimed_at == claimed_at:
                    found.claimed_at = RELEASED_CLAIM

    async def delivery_attempts(self, key: DeliveryKey) -> int:
        """How many times the delivery was claimed, 0 if never (diagnostics, not in the port)."""
        found = self._deliveries.get(key)
        return 0 if found is None else found.attempts

    # video-provider webhooks ------------------------------------------------------------
    async def find_session_by_room(self, room_id: str) -> TrainingSession | None:
        """The session whose room has this provider id (archived ones too), or None."""
        found = (s for s in self._sessions.values() if s.room.room_id == room_id)
        session = next(found, None)
        return None if session is None else session.model_copy(deep=True)

    async def webhook_seen(self, delivery_id: str) -> bool:
        """Whether a webhook delivery with this id was remembered."""
        return delivery_id in self._webhooks

    async def remember_webhook(self, delivery_id: str, at: datetime) -> bool:
        """Remember a processed delivery; True the first time, False when already known."""
        async with self._lock:
            if delivery_id in self._webhooks:
                return False
            self._webhooks[delivery_id] = ensure_utc(at)
            return True

    # once across processes ------------------------------------------------------------
    async def claim_once(self, key: str, now: datetime, ttl: timedelta) -> bool:
        """Claim `key` until `now + ttl`; False while an earlier claim is unexpired."""
        now = ensure_utc(now)
        async with self._lock:
            for stale in [k for k, until in self._once.items() if until <= now]:
                del self._once[stale]
            if key in self._once:
                return False
            self._once[key] = now + ttl
            return True

    async def release_once(self, key: str) -> None:
        """Drop a claim of `key` at once."""
        async with self._lock:
            self._once.pop(key, None)

    # export and import (the StoreDump port; see core.testing.dump) ------------------------
    transactional = True

    async def count_records(self) -> int:
        """How many records an export holds."""
        return dump.count(self)

    def export_records(self) -> AsyncIterator[StoreRecord]:
        """Every row in the export format of the SQL store, table by table, in key order."""
        return dump.export_records(self)

    async def import_records(self, records: AsyncIterable[StoreRecord]) -> int:
        """Load an export into this empty store, all or nothing (ImportRefused otherwise)."""
        async with self._lock:
            return await dump.import_records(self, records)


def _utc_reminder(reminder: Reminder) -> Reminder:
    """A copy with every datetime as aware UTC (Reminder itself does not enforce it)."""
    done = reminder.done_at
    return reminder.model_copy(
        update={
            "start_time": ensure_utc(reminder.start_time),
            "due_at": ensure_utc(reminder.due_at),
            "useful_until": ensure_utc(reminder.useful_until),
            "done_at": None if done is None else ensure_utc(done),
        },
        deep=True,
    )
