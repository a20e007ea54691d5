"""One APScheduler date job, always set to the next moment anything is due.

The wake-up time comes from the store (`Duties.next_wakeup`), never from polling. The
service's clock may be simulated: due times are translated into wall-clock run dates by their
distance from the clock's `now`, and `advance` walks a simulated clock through every wake-up
in between, each fired by APScheduler itself.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.clock import AdjustableClock, Clock
from core.duties import Duties, DutyReport

log = logging.getLogger(__name__)

JOB_ID = "dojobot-wakeup"
RESYNC_JOB_ID = "dojobot-resync"
MAX_STEPS = 100_000


class ApschedulerAlarm:
    """The alarm clock: runs `Duties.run_due` at each next wake-up, then re-plans.

    It is the core's `TimeTravel`: the terminal's `/advance` moves time through it."""

    def __init__(
        self,
        duties: Duties,
        clock: Clock,
        scheduler: AsyncIOScheduler | None = None,
        resync_every: timedelta | None = None,
    ) -> None:
        """`resync_every`: when other processes share the store, re-read the next due time
        this often, so what they scheduled is picked up (one cheap query; None = never)."""
        self.duties = duties
        self.clock = clock
        self.scheduler = scheduler or AsyncIOScheduler(timezone=UTC)
        self.resync_every = resync_every
        self.planned_for: datetime | None = None
        """The (service-clock) time the next wake-up is planned for."""
        self.last_report: DutyReport | None = None
        self._lock = asyncio.Lock()
        self._fired = asyncio.Event()
        self._waking: asyncio.Task[object] | None = None
        self._paused = False
        self._changed_while_waking = False

    async def start(self) -> None:
        """Start the scheduler and wake at once: anything missed while down is handled."""
        if not self.scheduler.running:
            self.scheduler.start()
        if self.resync_every is not None:
            self.scheduler.add_job(
                self.resync,
                IntervalTrigger(seconds=self.resync_every.total_seconds(), timezone=UTC),
                id=RESYNC_JOB_ID,
                replace_existing=True,
                coalesce=True,
                max_instances=1,
            )
        await self._fire_and_wait()

    async def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def pause(self, within: float) -> bool:
        """Start no new wake-up (the process is stopping); give a running one `within`
        seconds to finish, then cut it short (cancel it). True when none was cut short."""
        self._paused = True
        if self.scheduler.running:
            self.scheduler.pause()
        task = self._waking
        if task is None or task.done():
            return True
        done, _ = await asyncio.wait({task}, timeout=within)
        if done:
            return True
        log.warning("the wake-up still running after %.1f s is cut short", within)
        task.cancel()
        await asyncio.wait({task})
        return False

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    def now(self) -> datetime:
        """The service's clock (simulated in the terminal): what `advance` moves forward."""
        return self.clock.now()

    async def replan(self) -> None:
        """Set the single job to the next due time (call after anything changed)."""
        if self._lock.locked():  # the running wake-up's plan may predate this change
            self._changed_while_waking = True
        self._plan(await self.duties.next_wakeup())

    async def resync(self) -> None:
        """Re-plan from the store unless a wake-up is running (it re-plans when done,
        reading the store again)."""
        if self._lock.locked():
            self._changed_while_waking = True
            return
        try:
            await self.replan()
        except Exception:
            log.exception("re-reading the next wake-up failed; the next resync retries")

    def _plan(self, due: datetime | None) -> None:
        self.planned_for = due
        if due is None:
            if self.scheduler.get_job(JOB_ID):
                self.scheduler.remove_job(JOB_ID)
            return
        delay = max(due - self.clock.now(), timedelta())
        self._set_job(datetime.now(UTC) + delay)

    async def _after_wake(self, reported: datetime | None) -> datetime | None:
        """The wake-up's next due time; the earlier one read afresh if something changed
        while it ran (e.g. a session started meanwhile: its auto-end is not in `reported`)."""
        if not self._changed_while_waking:
            return reported
        self._changed_while_waking = False
        try:
            fresh = await self.duties.next_wakeup()
        except Exception:
            log.exception("re-reading the next wake-up failed; keeping the wake-up's own")
            return reported
        return min((d for d in (reported, fresh) if d is not None), default=None)

    async def advance(self, delta: timedelta) -> list[DutyReport]:
        """Move an adjustable clock forward, firing every wake-up due on the way, in order."""
        clock = self.clock
        if not isinstance(clock, AdjustableClock):
            raise TypeError("only an adjustable clock can be advanced")
        target = clock.now() + delta
        reports: list[DutyReport] = []
        due = await self.duties.next_wakeup()
        for _ in range(MAX_STEPS):
            if due is None or due > target:
                break
            clock.set(max(due, clock.now()))
            before = clock.now()
            report = await self._fire_and_wait()
            reports.append(report)
            due = report.next_wakeup
            if due is not None and due <= before:  # still due (failing): step past it
                due = before + timedelta(seconds=1)
        clock.set(target)
        reports.append(await self._fire_and_wait())
        return reports

    async def wake(self) -> None:
        """The job APScheduler runs: do what is due, then plan the next wake-up."""
        async with self._lock:
            self.last_report = None
            self._waking = asyncio.current_task()
            self._changed_while_waking = False
            try:
                self.last_report = await self.duties.run_due()
            except asyncio.CancelledError:
                if not self._paused:
                    raise
                log.info("wake-up cut short: the process is stopping")
            except Exception:
                log.exception("wake-up failed; retrying in a minute")
                self._set_job(datetime.now(UTC) + timedelta(minutes=1))
            else:
                self._plan(await self._after_wake(self.last_report.next_wakeup))
            finally:
                self._waking = None
                self._fired.set()

    async def _fire_and_wait(self) -> DutyReport:
        """Have APScheduler run the wake-up job now and wait until it has finished."""
        self._fired.clear()
        self._set_job(datetime.now(UTC))
        await self._fired.wait()
        return self.last_report or DutyReport()

    def _set_job(self, run_date: datetime) -> None:
        self.scheduler.add_job(
            self.wake,
            DateTrigger(run_date=run_date, timezone=UTC),
            id=JOB_ID,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
            max_instances=1,
        )
