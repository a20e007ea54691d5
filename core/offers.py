"""Waitlist offers (pure rules): how long a freed seat is held for one waitlisted member.

A seat that frees is offered to the first waitlisted member (OFFERED, held until a
deadline), then to the next when it lapses or they pass. The window to claim shrinks as the
start nears (`claim_window`, then `late_claim_window` inside the last `late_from`); inside
the last `open_from` a free seat is offered to everyone waitlisted at once and the first
claim wins. Offers stop at the start. Off (`enabled` False): a freed seat goes to the first
waitlisted member at once, as always.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.model import Model, Rsvp


@dataclass(frozen=True)
class OfferRules:
    """The association's offer settings (`DOJOBOT_OFFERS__…`)."""

    enabled: bool = False
    """Off: a freed seat goes at once to the first waitlisted member (no offers)."""
    claim_window: timedelta = timedelta(hours=2)
    """How long one member holds an offered seat."""
    late_from: timedelta = timedelta(hours=2)
    """Inside this long before the start, the window is `late_claim_window`."""
    late_claim_window: timedelta = timedelta(minutes=15)
    open_from: timedelta = timedelta(minutes=30)
    """Inside this long before the start, a free seat is open to everyone waitlisted."""


def in_open_window(now: datetime, start: datetime, rules: OfferRules) -> bool:
    """Whether a free seat is open to every waitlisted member now (first claim wins)."""
    return now >= start - rules.open_from


def offer_deadline(now: datetime, start: datetime, rules: OfferRules) -> datetime | None:
    """Until when a seat offered now is held; None inside the open window (and after the
    start), where no seat is held. Never later than the open window's start (an offer made
    before it lapses into it) nor than the start."""
    if in_open_window(now, start, rules) or now >= start:
        return None
    window = rules.late_claim_window if now >= start - rules.late_from else rules.claim_window
    return min(now + window, start - rules.open_from, start)


class ClaimOutcome(StrEnum):
    """How a claim of a seat ended."""

    CLAIMED = "claimed"
    """The seat is theirs (GOING)."""
    ALREADY_GOING = "already_going"
    NOT_YOUR_TURN = "not_your_turn"
    """Waitlisted, but the free seat is held for someone else (or none is free yet)."""
    EXPIRED = "expired"
    """Their offer's deadline passed."""
    TAKEN = "taken"
    """Open window: someone else claimed the last free seat first."""
    NOT_WAITING = "not_waiting"
    """Neither going nor on the waitlist."""


class SeatClaim(Model):
    """What `claim_seat` decided: the outcome and the member's row (None: no active row)."""

    outcome: ClaimOutcome
    rsvp: Rsvp | None = None
