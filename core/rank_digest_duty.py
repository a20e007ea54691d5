"""The clock's weekly duty: tell the instructors who became eligible for their next rank.

The digest goes out once a week (`DigestSchedule`: weekday and hour in the association's
zone). When it is next due is computed from the clock's `now` (the next weekly slot), so
nothing is stored for it but once keys: the slot's digest is claimed once across processes
(`rank-digest:<slot>`), and each member × rank is told at most once ever
(`rank-eligible:<member>:<rank>`), so a restarted clock, or a second one, sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from core.service import SessionService

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LATE_BY_AT_MOST = timedelta(days=1)
"""A slot missed by longer (the clock was down) is skipped: next week's digest tells them."""


@dataclass(frozen=True)
class DigestSchedule:
    """When the weekly digest goes out: `weekday` (0 = Monday) at `hour`, in `zone`."""

    weekday: int = 0
    hour: int = 8
    zone: str = "UTC"


def latest_slot(now: datetime, schedule: DigestSchedule) -> datetime:
    """The latest digest time at or before `now` (UTC)."""
    zone = ZoneInfo(schedule.zone)
    local = now.astimezone(zone)
    day = local.date() - timedelta(days=(local.weekday() - schedule.weekday) % 7)
    slot = datetime.combine(day, time(schedule.hour), zone)
    if slot > local:
        slot = datetime.combine(day - timedelta(days=7), time(schedule.hour), zone)
    return slot.astimezone(ZoneInfo("UTC"))


def next_slot(now: datetime, schedule: DigestSchedule) -> datetime:
    """The first digest time strictly after `now` (UTC)."""
    zone = ZoneInfo(schedule.zone)
    latest = latest_slot(now, schedule).astimezone(zone)
    following = datetime.combine(latest.date() + timedelta(days=7), time(schedule.hour), zone)
    return following.astimezone(ZoneInfo("UTC"))


class RankDigestDuty:
    """A `core.duties.TimedDuty`: the weekly digest of newly eligible members."""

    name = "rank_digest"

    def __init__(self, service: SessionService, schedule: DigestSchedule) -> None:
        self.service = service
        self.schedule = schedule

    async def run_due(self, now: datetime) -> int:
        """Send this week's digest when its slot has come (and is under a day old); how
        many members it told about."""
        slot = latest_slot(now, self.schedule)
        if now - slot > LATE_BY_AT_MOST:
            return 0
        return await self.service.send_rank_digest(slot, now)

    async def next_due(self) -> datetime | None:
        """The next weekly slot (None: no ladder, nothing to tell)."""
        if not self.service.rank_ladder().steps:
            return None
        return next_slot(self.service.now(), self.schedule)
