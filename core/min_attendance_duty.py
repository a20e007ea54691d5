"""The minimum-attendance deadlines kept by the clock (a `core.duties.TimedDuty`)."""

from __future__ import annotations

from datetime import datetime

from core.service import SessionService


class MinAttendanceDuty:
    """At each decision time, asks the instructor when too few are going; at each answer
    deadline, applies the default. Next due: the earliest stored `due_at`."""

    name = "min_attendance"

    def __init__(self, service: SessionService) -> None:
        self.service = service

    async def run_due(self, now: datetime) -> int:
        """Take every decision due at `now` (once across processes: the store decides)."""
        return await self.service.decide_min_attendance(now)

    async def next_due(self) -> datetime | None:
        """When the next decision or deadline is due (from the store)."""
        return await self.service.next_min_attendance_due()
