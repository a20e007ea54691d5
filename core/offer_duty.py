"""The clock's duty for waitlist offers: lapse those past their deadline and offer the seats
on; re-send any offer whose DM never went out (a crash between the store's offer and its DM).

When it is next due comes from the store (the earliest open offer's deadline), so a
restarted clock, or another process's, continues where this one stopped.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.service import SessionService

RESEND_EVERY = timedelta(minutes=10)
"""Open offers are checked for a DM never sent at the first wake-up (all of them), then at
wake-ups at least this far apart (those made since the last check, by any process: a DM
lost to a crash is sent by whichever clock checks next); dm_once makes a DM already sent a
no-op."""
RESEND_MARGIN = timedelta(minutes=1)
"""Each check also looks this far back before the previous one (clocks of two processes)."""
SWEEP_EVERY = timedelta(hours=1)
"""Seats left free while members wait (a crash between a leave or a lapse and its offer, in
any process) are looked for at the first wake-up, then at wake-ups at least this far apart:
it reads every RSVP of the upcoming sessions."""
LAPSE_BATCH = 200

MAX_BATCHES = 50
"""Batches of lapses per wake-up at most (the rest: at the next, due at once)."""


class OfferDuty:
    """A `core.duties.TimedDuty` over the service's offer use cases."""

    name = "offers"

    def __init__(self, service: SessionService) -> None:
        self.service = service
        self._resent_at: datetime | None = None
        self._swept_at: datetime | None = None

    async def run_due(self, now: datetime) -> int:
        """Lapse the due offers (each seat offered on), then re-send unsent offers when it
        is time; how many offers lapsed or were re-sent."""
        done = 0
        for _ in range(MAX_BATCHES):  # in batches, until a batch is not full
            lapsed = await self.service.lapse_due_offers(LAPSE_BATCH)
            done += lapsed
            if lapsed < LAPSE_BATCH:
                break
        last, swept = self._resent_at, self._swept_at
        if last is None or now - last >= RESEND_EVERY:
            self._resent_at = now
            sweep = swept is None or now - swept >= SWEEP_EVERY
            if sweep:
                self._swept_at = now
            since = None if last is None else last - RESEND_MARGIN
            done += await self.service.resend_offers(since=since, seats=sweep)
        return done

    async def next_due(self) -> datetime | None:
        """The earliest deadline of an open offer."""
        return await self.service.next_offer_lapse()
