"""The clock's duty for substitute requests: ask the other instructors when a head start
ends, tell the admins when a deadline passes unanswered.

When it is next due comes from the store (the earliest open request's `due_at`, an indexed
query), so a restarted clock, or another process's, continues where this one stopped.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.service import SessionService


class SubstituteDuty:
    """A `core.duties.TimedDuty` over the service's substitute use cases."""

    name = "substitutes"

    def __init__(self, service: SessionService) -> None:
        self.service = service

    async def run_due(self, now: datetime) -> int:
        """Do what is due on open requests at `now`; how many steps were taken."""
        return await self.service.run_substitutes(now)

    async def next_due(self) -> datetime | None:
        """The earliest next deadline of an open request."""
        return await self.service.next_substitute_due()
