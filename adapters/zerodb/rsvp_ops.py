"""RSVP decisions on the rows of one session, read while its lock is held (pure functions).

Each returns the `RsvpChange` (or promoted RSVPs) plus the writes to make: a stored RSVP
with its row (to overwrite), or without one (to insert). Same rules as the SQL and in-memory
stores: positions grow per session, a seat is free while going < capacity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from adapters.zerodb.tables import Row
from core.model import Rsvp, RsvpChange, RsvpStatus

_ACTIVE = (RsvpStatus.GOING, RsvpStatus.WAITLISTED)


@dataclass(frozen=True)
class Stored:
    """An RSVP as read, with its raw row (None: not stored yet)."""

    rsvp: Rsvp
    row: Row | None


def _going_count(stored: dict[str, Stored]) -> int:
    return sum(1 for s in stored.values() if s.rsvp.status is RsvpStatus.GOING)


def going(
    stored: dict[str, Stored],
    session_id: str,
    member_id: str,
    member_name: str,
    capacity: int | None,
    now: datetime,
) -> tuple[RsvpChange, list[Stored]]:
    """Going while a seat is free, else waitlisted at the back; active rows are kept."""
    existing = stored.get(member_id)
    if existing is not None and existing.rsvp.status in _ACTIVE:
        return RsvpChange(rsvp=existing.rsvp, changed=False), []
    free = capacity is None or _going_count(stored) < capacity
    rsvp = Rsvp(
        session_id=session_id,
        member_id=member_id,
        member_name=member_name,
        status=RsvpStatus.GOING if free else RsvpStatus.WAITLISTED,
        position=max((s.rsvp.position for s in stored.values()), default=0) + 1,
        created_at=existing.rsvp.created_at if existing else now,
        updated_at=now,
    )
    return RsvpChange(rsvp=rsvp), [Stored(rsvp, existing.row if existing else None)]


def leave(
    stored: dict[str, Stored], member_id: str, capacity: int | None, now: datetime
) -> tuple[RsvpChange, list[Stored]]:
    """Mark the member left; a freed seat goes to the first waitlisted member."""
    existing = stored.get(member_id)
    if existing is None or existing.rsvp.status not in _ACTIVE:
        return RsvpChange(rsvp=None, changed=False), []
    left = existing.rsvp.model_copy(update={"status": RsvpStatus.LEFT, "updated_at": now})
    writes = [Stored(left, existing.row)]
    promoted: list[Stored] = []
    if existing.rsvp.status is RsvpStatus.GOING:
        remaining = dict(stored) | {member_id: writes[0]}
        promoted = promote(remaining, capacity, now, most=1)
    change = RsvpChange(rsvp=left, promoted=promoted[0].rsvp if promoted else None)
    return change, writes + promoted


def promote(
    stored: dict[str, Stored], capacity: int | None, now: datetime, most: int | None
) -> list[Stored]:
    """Waitlisted members moved to going in position order while seats are free."""
    free = None if capacity is None else max(capacity - _going_count(stored), 0)
    if most is not None:
        free = most if free is None else min(free, most)
    waiting = sorted(
        (s for s in stored.values() if s.rsvp.status is RsvpStatus.WAITLISTED),
        key=lambda s: s.rsvp.position,
    )
    change = {"status": RsvpStatus.GOING, "updated_at": now}
    chosen = waiting if free is None else waiting[:free]
    return [Stored(s.rsvp.model_copy(update=change), s.row) for s in chosen]
