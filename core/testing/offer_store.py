"""The waitlist-offer part of `InMemorySessionStore`: offering free seats, claiming them,
lapsing and withdrawing offers, with the same rules as the SQL adapter (the decisions are
`core.rsvp_policy`'s, taken under the store's one lock)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from core import rsvp_policy
from core.model import Rsvp, RsvpStatus, TrainingSession, ensure_utc
from core.offers import ClaimOutcome, SeatClaim


class InMemoryOffers:
    """Waitlist offers over the store's RSVP dicts; copies in and out."""

    _lock: asyncio.Lock
    _sessions: dict[str, TrainingSession]
    _rsvps: dict[str, dict[str, Rsvp]]

    def _queue(self, session_id: str) -> rsvp_policy.Queue:
        found = self._sessions.get(session_id)
        capacity = None if found is None else found.capacity
        return rsvp_policy.queue_of(self._rsvps.get(session_id, {}).values(), capacity)

    async def offer_seats(
        self, session_id: str, now: datetime, expires_at: datetime, skip: frozenset[str]
    ) -> list[Rsvp]:
        """Hold the free seats for the first waitlisted members not in `skip`."""
        now, expires_at = ensure_utc(now), ensure_utc(expires_at)
        async with self._lock:
            offered = rsvp_policy.offers(self._queue(session_id), now, expires_at, skip)
            rows = self._rsvps.get(session_id, {})
            rows.update((r.member_id, r) for r in offered)
            return [r.model_copy(deep=True) for r in offered]

    async def claim_seat(
        self, session_id: str, member_id: str, now: datetime, open_to_all: bool
    ) -> SeatClaim:
        """An open offer (or, open to all, a free seat) becomes the member's seat."""
        now = ensure_utc(now)
        async with self._lock:
            rows = self._rsvps.get(session_id, {})
            decided = rsvp_policy.claim(
                self._queue(session_id), rows.get(member_id), now, open_to_all
            )
            if decided.outcome is ClaimOutcome.CLAIMED and decided.rsvp is not None:
                rows[member_id] = decided.rsvp
            return decided.model_copy(deep=True)

    async def lapse_offers(self, now: datetime, limit: int) -> list[Rsvp]:
        """OFFERED rows past their deadline become LEFT, earliest deadline first."""
        now = ensure_utc(now)
        async with self._lock:
            due = sorted(
                (
                    r
                    for rows in self._rsvps.values()
                    for r in rows.values()
                    if r.status is RsvpStatus.OFFERED
                    and r.offer_expires_at is not None
                    and r.offer_expires_at <= now
                ),
                key=lambda r: (r.offer_expires_at, r.session_id, r.position),
            )[:limit]
            lapsed = [rsvp_policy.lapse(r, now) for r in due]
            for row in lapsed:
                self._rsvps[row.session_id][row.member_id] = row
            return [r.model_copy(deep=True) for r in lapsed]

    async def withdraw_offers(self, session_id: str, now: datetime) -> list[Rsvp]:
        """The session's OFFERED rows back to WAITLISTED at their place."""
        now = ensure_utc(now)
        async with self._lock:
            rows = self._rsvps.get(session_id, {})
            back = [
                rsvp_policy.withdrawn(r, now)
                for r in sorted(rows.values(), key=lambda r: r.position)
                if r.status is RsvpStatus.OFFERED
            ]
            rows.update((r.member_id, r) for r in back)
            return [r.model_copy(deep=True) for r in back]

    async def next_offer_lapse(self) -> datetime | None:
        """The earliest deadline of an open offer."""
        return min(
            (
                r.offer_expires_at
                for rows in self._rsvps.values()
                for r in rows.values()
                if r.status is RsvpStatus.OFFERED and r.offer_expires_at is not None
            ),
            default=None,
        )
