"""The RSVP queue policy (pure): who gets a seat, who waits, who is promoted, in what order.

Every store reads a session's `Queue` (and the member's own row) under its lock, asks this
module what changes, and persists `Decision.writes` atomically. The rules, once:

* A seat is taken by a GOING member or held by an OFFERED one (waitlist offers,
  `core/offers.py`); it is free while going + offered < capacity (None: unlimited).
* A newcomer gets a seat only while one is free AND nobody is waitlisted (no jumping the
  queue while a seat is being offered); else they are waitlisted at the back.
* Positions grow per session (last + 1); a member who left re-enters at the back.
* Going, offered or waitlisted members keep their row (`changed=False`).
* A going or offered member who leaves frees one seat for the first waitlisted member (by
  position) — or for nobody with `promote=False` (offers mode: the seat is offered instead,
  `offers`); `promotions` fills every free seat in position order.
* `offers` holds free seats for the first waitlisted members not skipped; `claim` turns an
  offer (or, in the open window, any waitlisted member) into a seat; `lapse` ends an offer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from core.model import Rsvp, RsvpChange, RsvpStatus
from core.offers import ClaimOutcome, SeatClaim

ACTIVE = (RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.OFFERED)
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
    offered: int = 0
    """How many members hold an offered seat (OFFERED rows)."""

    @property
    def free(self) -> int | None:
        """Seats neither taken nor held (None: unlimited)."""
        if self.capacity is None:
            return None
        return max(self.capacity - self.going - self.offered, 0)


@dataclass(frozen=True)
class Decision:
    """What an RSVP operation does: its outcome and the rows to store (new or overwritten)."""

    change: RsvpChange
    writes: list[Rsvp] = field(default_factory=list)


def waitlist_head(
    capacity: int | None, going: int, offered: int = 0, skipped: int = 0
) -> int | None:
    """How many of the first waitlisted members any decision may promote or offer a seat
    to (the free seats plus the one a leaving member frees, plus the `skipped` ones an
    offer passes over); None: all of them. Stores load that many."""
    if capacity is None:
        return None
    return max(capacity - going - offered, 0) + 1 + skipped


def queue_of(rows: Iterable[Rsvp], capacity: int | None) -> Queue:
    """The queue of a session from all its RSVP rows (stores that read them all)."""
    rows = list(rows)
    waiting = sorted((r for r in rows if r.status is RsvpStatus.WAITLISTED), key=_position)
    return Queue(
        capacity=capacity,
        going=sum(1 for r in rows if r.status is RsvpStatus.GOING),
        last_position=max((r.position for r in rows), default=0),
        waiting=waiting,
        offered=sum(1 for r in rows if r.status is RsvpStatus.OFFERED),
    )


def going(
    queue: Queue,
    existing: Rsvp | None,
    session_id: str,
    member_id: str,
    member_name: str,
    now: datetime,
    waitlist_only: bool = False,
    passed_over: frozenset[str] = frozenset(),
) -> Decision:
    """Going while a seat is free and nobody waits, else waitlisted at the back; active
    rows are kept. `waitlist_only` (a member restricted by the no-show policy): always
    waitlisted; waitlisted members in `passed_over` (restricted ones) don't count as
    waiting for a free seat.

    `existing` is the member's stored row, if any."""
    if existing is not None and existing.status in ACTIVE:
        return Decision(RsvpChange(rsvp=existing, changed=False))
    free = queue.free
    waits = any(r.member_id not in passed_over for r in queue.waiting)
    seat_free = (free is None or free > 0) and not waits and not waitlist_only
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


def leave(queue: Queue, existing: Rsvp | None, now: datetime, promote: bool = True) -> Decision:
    """Mark the member (`existing`, their stored row) left; a freed seat (theirs, going or
    held by an offer) goes to the first waitlisted member, unless `promote` is False (the
    caller offers it instead)."""
    if existing is None or existing.status not in ACTIVE:
        return Decision(RsvpChange(rsvp=None, changed=False))
    left = existing.model_copy(
        update={"status": RsvpStatus.LEFT, "updated_at": now, "offer_expires_at": None}
    )
    promoted: list[Rsvp] = []
    if promote and existing.status in (RsvpStatus.GOING, RsvpStatus.OFFERED):
        is_going = existing.status is RsvpStatus.GOING
        after = Queue(
            capacity=queue.capacity,
            going=queue.going - 1 if is_going else queue.going,
            last_position=queue.last_position,
            waiting=queue.waiting,
            offered=queue.offered if is_going else max(queue.offered - 1, 0),
        )
        promoted = promotions(after, now, most=1)
    change = RsvpChange(rsvp=left, promoted=promoted[0] if promoted else None)
    return Decision(change, [left, *promoted])


def promotions(queue: Queue, now: datetime, most: int | None = None) -> list[Rsvp]:
    """Waitlisted members moved to going in position order while seats are free (at most
    `most`); the returned rows are both the outcome and the writes."""
    free = queue.free
    if most is not None:
        free = most if free is None else min(free, most)
    waiting = sorted(queue.waiting, key=_position)
    chosen = waiting if free is None else waiting[:free]
    change = {"status": RsvpStatus.GOING, "updated_at": now}
    return [r.model_copy(update=change) for r in chosen]


def offers(queue: Queue, now: datetime, expires_at: datetime, skip: frozenset[str]) -> list[Rsvp]:
    """Free seats held for the first waitlisted members (by position) not in `skip`: the
    returned rows are OFFERED until `expires_at` (both the outcome and the writes)."""
    free = queue.free
    eligible = [r for r in sorted(queue.waiting, key=_position) if r.member_id not in skip]
    chosen = eligible if free is None else eligible[:free]
    change = {"status": RsvpStatus.OFFERED, "offer_expires_at": expires_at, "updated_at": now}
    return [r.model_copy(update=change) for r in chosen]


def claim(queue: Queue, existing: Rsvp | None, now: datetime, open_to_all: bool) -> SeatClaim:
    """What a member's claim of a seat decides: an offer still open becomes a seat; in the
    open window (`open_to_all`) a waitlisted member takes a free seat (first come). The
    rsvp of a CLAIMED outcome is the row to write; any other outcome writes nothing."""
    if existing is None or existing.status is RsvpStatus.LEFT:
        lapsed = existing is not None and existing.offer_expires_at is not None
        return SeatClaim(
            outcome=ClaimOutcome.EXPIRED if lapsed else ClaimOutcome.NOT_WAITING, rsvp=existing
        )
    if existing.status is RsvpStatus.GOING:
        return SeatClaim(outcome=ClaimOutcome.ALREADY_GOING, rsvp=existing)
    if existing.status is RsvpStatus.OFFERED:
        expires = existing.offer_expires_at
        if expires is not None and expires <= now:
            return SeatClaim(outcome=ClaimOutcome.EXPIRED, rsvp=existing)
        return SeatClaim(outcome=ClaimOutcome.CLAIMED, rsvp=_seated(existing, now))
    if not open_to_all:
        return SeatClaim(outcome=ClaimOutcome.NOT_YOUR_TURN, rsvp=existing)
    free = queue.free
    if free is not None and free <= 0:
        return SeatClaim(outcome=ClaimOutcome.TAKEN, rsvp=existing)
    return SeatClaim(outcome=ClaimOutcome.CLAIMED, rsvp=_seated(existing, now))


def lapse(row: Rsvp, now: datetime) -> Rsvp:
    """An OFFERED row whose deadline passed, now LEFT (its `offer_expires_at` kept: the
    record that the offer lapsed)."""
    return row.model_copy(update={"status": RsvpStatus.LEFT, "updated_at": now})


def withdrawn(row: Rsvp, now: datetime) -> Rsvp:
    """An OFFERED row back on the waitlist at its place (the session moved or ended)."""
    return row.model_copy(
        update={"status": RsvpStatus.WAITLISTED, "offer_expires_at": None, "updated_at": now}
    )


def _seated(row: Rsvp, now: datetime) -> Rsvp:
    return row.model_copy(
        update={"status": RsvpStatus.GOING, "offer_expires_at": None, "updated_at": now}
    )


def _position(rsvp: Rsvp) -> int:
    return rsvp.position
