"""The RSVP queue policy (pure): who gets a seat, who waits, who is promoted, in what order.

Every store reads a session's `Queue` (and the member's own row) under its lock, asks this
module what changes, and persists `Decision.writes` atomically. The rules, once:

* A seat is free while going < capacity (None: unlimited).
* Positions grow per session (last + 1); a member who left re-enters at the back.
* Going or waitlisted members keep their row (`changed=False`).
* A going member who leaves frees one seat for the first waitlisted member (by position);
  `promotions` fills every free seat in position order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from core.model import Rsvp, RsvpChange, RsvpStatus

ACTIVE = (RsvpStatus.GOING, RsvpStatus.WAITLISTED)
"""Statuses that hold a place in the queue."""


@dataclass(frozen=True)
class Queue:
    """What the policy reads of one session (under the store's lock)."""

    capacity: int | None
    going: int
    """How many members hold a seat."""
    last_position: int
    """The highest position of any RSVP of the session (0: none yet)."""
    waiting: Sequence[Rsvp] = ()
    """Waitlisted members in position order: at least the first `waitlist_head` of them."""


@dataclass(frozen=True)
class Decision:
    """What an RSVP operation does: its outcome and the rows to store (new or overwritten)."""

    change: RsvpChange
    writes: list[Rsvp] = field(default_factory=list)


def waitlist_head(capacity: int | None, going: int) -> int | None:
    """How many of the first waitlisted members any decision may promote (the free seats
    plus the one a leaving member frees); None: all of them. Stores load that many."""
    return None if capacity is None else max(capacity - going, 0) + 1


def queue_of(rows: Iterable[Rsvp], capacity: int | None) -> Queue:
    """The queue of a session from all its RSVP rows (stores that read them all)."""
    rows = list(rows)
    waiting = sorted((r for r in rows if r.status is RsvpStatus.WAITLISTED), key=_position)
    return Queue(
        capacity=capacity,
        going=sum(1 for r in rows if r.status is RsvpStatus.GOING),
        last_position=max((r.position for r in rows), default=0),
        waiting=waiting,
    )


def going(
    queue: Queue,
    existing: Rsvp | None,
    session_id: str,
    member_id: str,
    member_name: str,
    now: datetime,
) -> Decision:
    """Going while a seat is free, else waitlisted at the back; active rows are kept.

    `existing` is the member's stored row, if any."""
    if existing is not None and existing.status in ACTIVE:
        return Decision(RsvpChange(rsvp=existing, changed=False))
    seat_free = queue.capacity is None or queue.going < queue.capacity
    rsvp = Rsvp(
        session_id=session_id,
        member_id=member_id,
        member_name=member_name,
        status=RsvpStatus.GOING if seat_free else RsvpStatus.WAITLISTED,
        position=queue.last_position + 1,
        created_at=existing.created_at if existing is not None else now,
        updated_at=now,
    )
    return Decision(RsvpChange(rsvp=rsvp), [rsvp])


def leave(queue: Queue, existing: Rsvp | None, now: datetime) -> Decision:
    """Mark the member (`existing`, their stored row) left; a freed seat goes to the first
    waitlisted member."""
    if existing is None or existing.status not in ACTIVE:
        return Decision(RsvpChange(rsvp=None, changed=False))
    left = existing.model_copy(update={"status": RsvpStatus.LEFT, "updated_at": now})
    promoted: list[Rsvp] = []
    if existing.status is RsvpStatus.GOING:
        after = Queue(
            capacity=queue.capacity,
            going=queue.going - 1,
            last_position=queue.last_position,
            waiting=queue.waiting,
        )
        promoted = promotions(after, now, most=1)
    change = RsvpChange(rsvp=left, promoted=promoted[0] if promoted else None)
    return Decision(change, [left, *promoted])


def promotions(queue: Queue, now: datetime, most: int | None = None) -> list[Rsvp]:
    """Waitlisted members moved to going in position order while seats are free (at most
    `most`); the returned rows are both the outcome and the writes."""
    free = None if queue.capacity is None else max(queue.capacity - queue.going, 0)
    if most is not None:
        free = most if free is None else min(free, most)
    waiting = sorted(queue.waiting, key=_position)
    chosen = waiting if free is None else waiting[:free]
    change = {"status": RsvpStatus.GOING, "updated_at": now}
    return [r.model_copy(update=change) for r in chosen]


def _position(rsvp: Rsvp) -> int:
    return rsvp.position
