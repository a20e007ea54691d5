"""The waitlist-offers part of `ZeroDBSessionStore` (`core.offers`, `core.rsvp_policy`).

Offers, claims and withdrawals run like every RSVP write here: under the session's
in-process lock and its cross-process lease row (`lease.SessionLease`), reading the
session's rows and writing what the policy decides, so one seat has one winner across
processes. Lapsing finds the due offers with one query, then takes each session's lease in
id order and lapses only the rows still OFFERED and due when read under it: each lapsed row
goes to exactly one caller, and a claim of the same offer is either before (the seat is
won) or after (EXPIRED). Rows written before offers existed have no `offer_expires_at` and
read as None.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from typing import Any

from adapters.zerodb import rsvp_ops
from adapters.zerodb.host import ZeroDBHost
from adapters.zerodb.rows import instant, row_to_rsvp
from core import rsvp_policy
from core.model import Rsvp, RsvpStatus, ensure_utc
from core.offers import ClaimOutcome, SeatClaim

_OFFERED = RsvpStatus.OFFERED.value
_DEADLINE = "offer_expires_at"
_NO_DEADLINE = datetime.min.replace(tzinfo=UTC)


class ZeroDBOffers(ZeroDBHost):
    """Mixed into ZeroDBSessionStore, whose RSVP helpers and leases it uses."""

    async def _stored_rsvps(self, session_id: str) -> dict[str, rsvp_ops.Stored]:
        raise NotImplementedError

    async def _write_rsvps(self, writes: list[rsvp_ops.Stored]) -> None:
        raise NotImplementedError

    async def _capacity(self, session_id: str) -> tuple[bool, int | None]:
        raise NotImplementedError

    def _serialised(self, session_id: str, now: datetime) -> AbstractAsyncContextManager[None]:
        raise NotImplementedError

    async def offer_seats(
        self, session_id: str, now: datetime, expires_at: datetime, skip: frozenset[str]
    ) -> list[Rsvp]:
        """Hold each free seat (capacity − going − offered) for the first waitlisted members
        not in `skip`, under the session's lease; the rows now OFFERED."""
        now, expires_at = ensure_utc(now), ensure_utc(expires_at)
        async with self._serialised(session_id, now):
            exists, capacity = await self._capacity(session_id)
            if not exists:
                return []
            stored = await self._stored_rsvps(session_id)
            queue = rsvp_ops.queue_of(stored, capacity)
            offered = rsvp_policy.offers(queue, now, expires_at, skip)
            await self._write_rsvps(rsvp_ops.writes_for(stored, offered))
            return offered

    async def claim_seat(
        self, session_id: str, member_id: str, now: datetime, open_to_all: bool
    ) -> SeatClaim:
        """`rsvp_policy.claim` under the session's lease (one winner per seat)."""
        now = ensure_utc(now)
        async with self._serialised(session_id, now):
            exists, capacity = await self._capacity(session_id)
            if not exists:
                return SeatClaim(outcome=ClaimOutcome.NOT_WAITING)
            stored = await self._stored_rsvps(session_id)
            queue = rsvp_ops.queue_of(stored, capacity)
            decided = rsvp_policy.claim(
                queue, rsvp_ops.own_row(stored, member_id), now, open_to_all
            )
            if decided.outcome is ClaimOutcome.CLAIMED and decided.rsvp is not None:
                await self._write_rsvps(rsvp_ops.writes_for(stored, [decided.rsvp]))
            return decided

    async def lapse_offers(self, now: datetime, limit: int) -> list[Rsvp]:
        """OFFERED rows whose deadline is <= now (earliest first, at most `limit`) become
        LEFT; each is returned by exactly one caller (see the module docstring)."""
        now = ensure_utc(now)
        if limit <= 0:
            return []
        due = await self._open_offers({_DEADLINE: {"$lte": instant(now)}}, limit)
        wanted = {(r.session_id, r.member_id) for r in due}
        lapsed: list[Rsvp] = []
        for session_id in sorted({session for session, _ in wanted}):
            async with self._serialised(session_id, now):
                stored = await self._stored_rsvps(session_id)
                ended = [
                    rsvp_policy.lapse(s.rsvp, now)
                    for s in stored.values()
                    if (session_id, s.rsvp.member_id) in wanted and _due(s.rsvp, now)
                ]
                await self._write_rsvps(rsvp_ops.writes_for(stored, ended))
                lapsed += ended
        return sorted(lapsed, key=_by_deadline)

    async def withdraw_offers(self, session_id: str, now: datetime) -> list[Rsvp]:
        """The session's OFFERED rows back to WAITLISTED at their place, under its lease."""
        now = ensure_utc(now)
        async with self._serialised(session_id, now):
            stored = await self._stored_rsvps(session_id)
            held = sorted(
                (s.rsvp for s in stored.values() if s.rsvp.status is RsvpStatus.OFFERED),
                key=lambda r: r.position,
            )
            back = [rsvp_policy.withdrawn(r, now) for r in held]
            await self._write_rsvps(rsvp_ops.writes_for(stored, back))
            return back

    async def next_offer_lapse(self) -> datetime | None:
        """The earliest deadline of an open offer (sorted by the server when it can)."""
        found = await self._open_offers({}, 1)
        return found[0].offer_expires_at if found else None

    async def _open_offers(self, filters: dict[str, Any], limit: int) -> list[Rsvp]:
        """The first `limit` OFFERED rows matching `filters`, by deadline."""
        table = self._t("rsvps")
        wanted = {"status": _OFFERED} | filters
        if self.tables.dialect.sort_key:
            order = [(_DEADLINE, 1), ("session_id", 1), ("position", 1)]
            rows, _ = await self.tables.query(table, wanted, limit=limit, sort=order)
        else:
            rows = await self.tables.query_all(table, wanted)
        offers = [r for r in map(row_to_rsvp, rows) if r.offer_expires_at is not None]
        return sorted(offers, key=_by_deadline)[:limit]


def _due(rsvp: Rsvp, now: datetime) -> bool:
    return (
        rsvp.status is RsvpStatus.OFFERED
        and rsvp.offer_expires_at is not None
        and rsvp.offer_expires_at <= now
    )


def _by_deadline(rsvp: Rsvp) -> tuple[datetime, str, int]:
    return (rsvp.offer_expires_at or _NO_DEADLINE, rsvp.session_id, rsvp.position)
