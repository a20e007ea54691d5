"""The waitlist-offer commands of the shared grammar (`core.offer_grammar` parses them).

/claim <id>              take the seat offered to you (late window: a free seat, first wins)
/pass <id>               give the offered seat to the next person (you leave the waitlist)
/seat-notice <3h|off>    don't offer me seats with less notice than this
"""

from __future__ import annotations

from datetime import timedelta

from core.model import Model


class ClaimSeat(Model):
    session_id: str


class PassSeat(Model):
    session_id: str


class SetSeatNotice(Model):
    """`notice` None: any notice will do (`/seat-notice off`)."""

    notice: timedelta | None = None


OfferCommand = ClaimSeat | PassSeat | SetSeatNotice
