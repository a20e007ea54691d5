"""Runs the alarm clock in whichever process leads (one at a time across processes).

On SQLite there is one process and it always leads. On PostgreSQL every process may run the
clock, and exactly one does: the holder of an advisory lock (`adapters.sql.leader`). When it
dies another takes over within the leader's retry interval. The leading clock hears about
schedule changes made by other processes through LISTEN/NOTIFY; on a shared store without
notifications (ZeroDB) it re-reads the next due time periodically instead. A process that
stops cleanly hands the clock over (`hand_over`, from `bot.shutdown`): no new wake-up, the
running one finished or cut short (its unsent claims released), leadership let go at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from adapters.scheduler import ApschedulerAlarm
from adapters.sql.leader import Leadership, LocalLeader, lead, leader_for
from adapters.sql.schedule_changes import ScheduleChangeListener

log = logging.getLogger(__name__)


class ClockRunner:
    """Starts the alarm when this process leads, stops it when leadership is lost."""

    def __init__(
        self, alarm: ApschedulerAlarm, database_url: str, leader: Leadership | None = None
    ) -> None:
        self.alarm = alarm
        self.database_url = database_url
        self.leader = leader or leader_for(database_url)
        self._listener: ScheduleChangeListener | None = None
        self._task: asyncio.Task[None] | None = None
        self.leading = asyncio.Event()
        """Set while this process runs the clock."""
        self.on_lead: list[Callable[[], None]] = []
        """Called when this process takes the clock over from another (e.g. a rate-limit
        pacer starting quiet: the process that died may have used the current window)."""
        self._stopping = False

    @property
    def shared(self) -> bool:
        """Whether other processes may run the clock too (leadership decides)."""
        return not isinstance(self.leader, LocalLeader)

    @property
    def healthy(self) -> bool:
        """Leading with the alarm running, or standing by while another process leads."""
        if self.leading.is_set():
            return self.alarm.running
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Single process: start the alarm now (it catches up on what was missed).
        Shared: campaign for leadership in the background."""
        if not self.shared:
            await self.leader.acquire()
            await self.alarm.start()
            self.leading.set()
            return
        self._task = asyncio.create_task(
            lead(self.leader, self._start_clock, self._stop_clock), name="clock-leadership"
        )

    async def hand_over(self, within: float) -> bool:
        """Stop for good, handing over: start no new wake-up or group of sends, give a
        running wake-up `within` seconds, then cut it short (its unsent claims are released
        in the store), stop the clock and let go of leadership, so another process's clock
        takes over at once (at its next try) and sends what was handed back. True when
        nothing had to be cut short."""
        self._stopping = True
        self.alarm.duties.dispatcher.stop_taking()
        finished = await self.alarm.pause(within)
        await self.stop()
        return finished

    async def _start_clock(self) -> None:
        if self._stopping:  # won the lock while handing over: the `stop` under way lets go
            return
        log.info("this process now runs the clock")
        for hook in self.on_lead:
            hook()
        await self.alarm.start()
        self._listener = ScheduleChangeListener(self.database_url, self.alarm.replan)
        await self._listener.start()
        self.leading.set()

    async def _stop_clock(self) -> None:
        self.leading.clear()
        listener, self._listener = self._listener, None
        if listener is not None:
            await listener.stop()
        await self.alarm.stop()
        log.info("this process no longer runs the clock")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        else:
            self.leading.clear()
            await self.alarm.stop()
        await self.leader.release()
