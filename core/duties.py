"""Everything the alarm clock does when it wakes, and when it should wake next."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from pydantic import Field

from core.model import Model, TrainingSession
from core.reminder_dispatch import ReminderDispatcher
from core.service import SessionService

log = logging.getLogger(__name__)

CLEANUP_HOUR_UTC = 3
SERIES_RETRY = timedelta(minutes=1)


class DutyReport(Model):
    """What one wake-up did."""

    occurrences_listed: int = 0
    reminders_sent: int = 0
    rooms_retried: int = 0
    sessions_auto_ended: int = 0
    rooms_deleted: int = 0
    sessions_archived: int = 0
    timed: dict[str, int] = Field(default_factory=dict)
    """What each timed duty did, by its name."""
    next_wakeup: datetime | None = None


def next_cleanup_after(now: datetime) -> datetime:
    """The next daily cleanup time (03:00 UTC) strictly after `now`."""
    candidate = now.replace(hour=CLEANUP_HOUR_UTC, minute=0, second=0, microsecond=0)
    return candidate if candidate > now else candidate + timedelta(days=1)


class TimedDuty(Protocol):
    """One kind of deadline kept by the clock (waitlist offers, minimum-attendance
    decisions, substitute requests, …): it does what is due and says when it is next due,
    computed from the store (never a poll). It reaches the core through the service only."""

    name: str
    """For logs and the wake-up report."""

    async def run_due(self, now: datetime) -> int:
        """Do everything due at `now` (safe to run twice or in two processes at once: what
        happens once is decided by the store); return how many things it did."""

    async def next_due(self) -> datetime | None:
        """The earliest moment this duty has work (None: none pending)."""


class Duties:
    """Weekly classes' occurrences and cards, reminders, late room creation, auto-end and
    daily cleanup, driven by one wake-up.

    The first wake-up after start runs the cleanup too, so a downtime never skips it.
    """

    def __init__(
        self,
        service: SessionService,
        dispatcher: ReminderDispatcher,
        timed: Sequence[TimedDuty] = (),
    ) -> None:
        self.service = service
        self.dispatcher = dispatcher
        self.timed = tuple(timed)
        self._next_cleanup: datetime | None = None
        self._retry_timed: datetime | None = None

    async def run_due(self) -> DutyReport:
        """Do everything due at the service clock's `now`."""
        now = self.service.now()
        listed, series_due = await self._weekly_classes(now)  # cards before reminders
        sent = await self.dispatcher.run_due(now)
        retried, rooms_due = await self.service.tend_rooms()
        ended, overdue_due = await self.service.end_overdue()
        report = DutyReport(
            occurrences_listed=len(listed),
            reminders_sent=sent,
            rooms_retried=len(retried),
            sessions_auto_ended=len(ended),
        )
        for duty in self.timed:
            report.timed[duty.name] = await self._timed(duty, now)
        if self._next_cleanup is None or now >= self._next_cleanup:
            report.rooms_deleted, report.sessions_archived = await self.service.cleanup()
            self._next_cleanup = next_cleanup_after(now)
        duties_due = _Due(series=series_due, rooms=rooms_due, overdue=overdue_due)
        report.next_wakeup = await self._next_wakeup(self.service.now(), duties_due)
        return report

    async def _weekly_classes(self, now: datetime) -> tuple[list[TrainingSession], datetime | None]:
        """The weekly classes' duty, guarded: its failure never keeps reminders from going
        out (it is tried again in a minute)."""
        try:
            return await self.service.materialise_series()
        except Exception:
            log.exception("listing weekly classes failed; trying again in a minute")
            return [], now + SERIES_RETRY

    async def _timed(self, duty: TimedDuty, now: datetime) -> int:
        """One timed duty, guarded like the weekly classes: its failure never keeps the
        others from running (it is tried again at the next wake-up, at most a minute on)."""
        try:
            return await duty.run_due(now)
        except Exception:
            log.exception("%s failed; trying again in a minute", duty.name)
            self._retry_timed = _earliest(self._retry_timed, now + SERIES_RETRY)
            return 0

    async def next_wakeup(self) -> datetime | None:
        """The earliest moment anything will be due, computed from the store.

        Read-only (no duty is done); `run_due` reports the same after doing its work.
        """
        now = self.service.now()
        due = _Due(
            series=await self.service.next_series_duty(),
            rooms=await self.service.next_room_retry(now),
            overdue=await self.service.next_overdue(after=now),
        )
        return await self._next_wakeup(now, due)

    async def _next_wakeup(self, now: datetime, due: _Due) -> datetime | None:
        """The one computation of the next wake-up (after a wake-up and when re-planning),
        from when each duty is next due: as the duties just computed it after doing their
        work, or read afresh by `next_wakeup`."""
        retry, self._retry_timed = self._retry_timed, None
        return _earliest(
            await self.service.next_reminder_due(),
            due.rooms,
            due.overdue,
            due.series,
            self._next_cleanup or now,
            retry,
            *[await duty.next_due() for duty in self.timed],
        )


@dataclass(frozen=True)
class _Due:
    """When the weekly classes, the missing rooms and the overdue sessions next need the
    clock."""

    series: datetime | None
    rooms: datetime | None
    overdue: datetime | None


def _earliest(*candidates: datetime | None) -> datetime | None:
    return min((c for c in candidates if c is not None), default=None)
