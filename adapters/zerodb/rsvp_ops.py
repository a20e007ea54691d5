"""RSVP rows of one session as read under its lock, and the writes a policy decision makes.

The decisions are `core.rsvp_policy`'s; here each decided RSVP is paired with the raw row it
overwrites (None: insert a new row).
"""

from __future__ import annotations

from dataclasses import dataclass

from adapters.zerodb.tables import Row
from core import rsvp_policy
from core.model import Rsvp


@dataclass(frozen=True)
class Stored:
    """An RSVP as read, with its raw row (None: not stored yet)."""

    rsvp: Rsvp
    row: Row | None


def queue_of(stored: dict[str, Stored], capacity: int | None) -> rsvp_policy.Queue:
    """The session's queue as the policy reads it (from every row, as read)."""
    return rsvp_policy.queue_of((s.rsvp for s in stored.values()), capacity)


def own_row(stored: dict[str, Stored], member_id: str) -> Rsvp | None:
    """The member's stored RSVP, if any."""
    found = stored.get(member_id)
    return None if found is None else found.rsvp


def writes_for(stored: dict[str, Stored], decided: list[Rsvp]) -> list[Stored]:
    """Each decided RSVP with the row it overwrites (None: a member without a row yet)."""
    return [
        Stored(rsvp, found.row if (found := stored.get(rsvp.member_id)) else None)
        for rsvp in decided
    ]
