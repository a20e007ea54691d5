"""The waitlist-offers part of `SqlSessionStore` (`core.offers`, `core.rsvp_policy`).

Offers, claims and withdrawals run like every RSVP write: one write transaction holding the
session row lock (`FOR UPDATE` on PostgreSQL, the database write lock on SQLite), reading
the queue under it and persisting what the policy decides, so one seat has one winner
across processes. Lapsing offers of many sessions locks their session rows in id order
(as linking members does) and then ends the offers with one conditional
`UPDATE … WHERE status = 'offered' … RETURNING`: each lapsed row goes to one caller, and a
claim of the same offer is either before it (the seat is won) or after it (EXPIRED).
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime

from sqlalchemy import Select, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql import rsvp_ops, schedule_changes
from adapters.sql.mapping import row_to_rsvp
from adapters.sql.schema import rsvps
from core.model import Rsvp, RsvpStatus, ensure_utc
from core.offers import ClaimOutcome, SeatClaim

_v = rsvps.c
_OFFERED = RsvpStatus.OFFERED.value
_NO_DEADLINE = datetime.min.replace(tzinfo=UTC)


class SqlOffers:
    """Mixed into SqlSessionStore, whose transactions it uses."""

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    def _write_session(self, session_id: str) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    def _read(self, statements: int = 1) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    async def offer_seats(
        self, session_id: str, now: datetime, expires_at: datetime, skip: frozenset[str]
    ) -> list[Rsvp]:
        """Hold each free seat (capacity − going − offered) for the first waitlisted members
        not in `skip`, under the session row lock; the rows now OFFERED."""
        now, expires_at = ensure_utc(now), ensure_utc(expires_at)
        async with self._write_session(session_id) as connection:
            capacity = await rsvp_ops.locked_capacity(connection, session_id)
            if isinstance(capacity, rsvp_ops.Missing):
                return []
            offered = await rsvp_ops.offer(connection, session_id, capacity, now, expires_at, skip)
            if offered:
                await schedule_changes.announce(connection, session_id)
            return offered

    async def claim_seat(
        self, session_id: str, member_id: str, now: datetime, open_to_all: bool
    ) -> SeatClaim:
        """`rsvp_policy.claim` under the session row lock (one winner per seat)."""
        now = ensure_utc(now)
        async with self._write_session(session_id) as connection:
            capacity = await rsvp_ops.locked_capacity(connection, session_id)
            if isinstance(capacity, rsvp_ops.Missing):
                return SeatClaim(outcome=ClaimOutcome.NOT_WAITING)
            return await rsvp_ops.claim(
                connection, session_id, member_id, capacity, now, open_to_all
            )

    async def lapse_offers(self, now: datetime, limit: int) -> list[Rsvp]:
        """OFFERED rows whose deadline is <= now (earliest first, at most `limit`) become
        LEFT; each is returned by exactly one caller (see the module docstring)."""
        now = ensure_utc(now)
        if limit <= 0:
            return []
        async with self._write() as connection:
            due = await connection.execute(select_due_offers(now, limit))
            keys = [(r.session_id, r.member_id) for r in due]
            if not keys:
                return []
            sessions = sorted({session_id for session_id, _ in keys})
            for session_id in sessions:  # one at a time, in id order: no deadlock
                await rsvp_ops.lock_session(connection, session_id)
            lapsed = (
                await connection.execute(
                    update(rsvps)
                    .where(
                        tuple_(_v.session_id, _v.member_id).in_(keys),
                        _v.status == _OFFERED,
                        _v.offer_expires_at <= now,
                    )
                    .values(status=RsvpStatus.LEFT.value, updated_at=now)
                    .returning(rsvps)
                )
            ).mappings()
            found = [row_to_rsvp(r) for r in lapsed]
            for session_id in sorted({r.session_id for r in found}):
                await schedule_changes.announce(connection, session_id)
        return sorted(found, key=_by_deadline)

    async def withdraw_offers(self, session_id: str, now: datetime) -> list[Rsvp]:
        """The session's OFFERED rows back to WAITLISTED at their place, under its lock."""
        now = ensure_utc(now)
        async with self._write_session(session_id) as connection:
            if not await rsvp_ops.lock_session(connection, session_id):
                return []
            back = await rsvp_ops.withdraw(connection, session_id, now)
            if back:
                await schedule_changes.announce(connection, session_id)
            return back

    async def next_offer_lapse(self) -> datetime | None:
        """The earliest deadline of an open offer (the status/deadline index)."""
        async with self._read() as connection:
            found = await connection.scalar(select_next_lapse())
        return None if found is None else ensure_utc(found)


def select_due_offers(now: datetime, limit: int) -> Select[str, str]:
    """The keys of the first `limit` offers due at `now`, earliest deadline first (the
    status/deadline index)."""
    return (
        select(_v.session_id, _v.member_id)
        .where(_v.status == _OFFERED, _v.offer_expires_at <= now)
        .order_by(_v.offer_expires_at, _v.session_id, _v.position)
        .limit(limit)
    )


def select_next_lapse() -> Select[datetime | None]:
    """The earliest deadline of an open offer (the status/deadline index)."""
    return select(func.min(_v.offer_expires_at)).where(_v.status == _OFFERED)


def _by_deadline(rsvp: Rsvp) -> tuple[datetime, str, int]:
    return (rsvp.offer_expires_at or _NO_DEADLINE, rsvp.session_id, rsvp.position)
