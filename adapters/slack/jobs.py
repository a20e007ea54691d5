"""Work done after Slack has been acknowledged: queued, run in the gaps between requests.

Slack gives 3 s for the ack but 30 minutes for the follow-up (response_url), so acks come
first: queued work starts only once no request has arrived for `quiet` seconds (or it has
waited `max_defer` seconds, so a long burst cannot starve it). A burst of commands is thus
acknowledged at full speed and worked off right after; at ordinary rates the gap is there
and work starts at once. `urgent` work (opening a modal before its trigger_id expires)
skips the queue.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from core import log_context
from core.failures import report_failure

log = logging.getLogger(__name__)

Job = Coroutine[Any, Any, None]


class JobRunner:
    """Tracks every background job; `close` waits for all of them (nothing is lost)."""

    def __init__(
        self,
        concurrency: int = 2,
        quiet: float = 0.02,
        max_defer: float = 10.0,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.concurrency = concurrency
        self.quiet = quiet
        self.max_defer = max_defer
        self._monotonic = monotonic
        self._sleep = sleep
        self._queue: deque[tuple[float, Job, log_context.LogIds]] = deque()
        self._workers: set[asyncio.Task[None]] = set()
        self._urgent: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        self._last_request = float("-inf")
        self._closed = False

    def spawn(self, work: Job, *, urgent: bool = False) -> None:
        """Queue `work` (or start it now if `urgent`); never blocks the ack. It runs with
        the log ids (request, session) of the code that spawned it."""
        if self._closed:
            work.close()
            raise RuntimeError("the Slack job runner is closed")
        now = self._monotonic()
        self._last_request = now
        self._idle.clear()
        if urgent:
            task = asyncio.create_task(self._guarded(work, log_context.snapshot()))
            self._urgent.add(task)
            task.add_done_callback(self._urgent_done)
            return
        self._queue.append((now, work, log_context.snapshot()))
        if len(self._workers) < self.concurrency:
            worker = asyncio.create_task(self._work())
            self._workers.add(worker)
            worker.add_done_callback(self._worker_done)

    @property
    def pending(self) -> int:
        """Jobs queued or running."""
        return len(self._queue) + len(self._workers) + len(self._urgent)

    async def idle(self) -> None:
        """Wait until every job (including ones spawned meanwhile) has finished."""
        while self.pending:
            await self._idle.wait()

    async def close(self) -> None:
        """Refuse new jobs and finish the queued and running ones."""
        self._closed = True
        self.max_defer = 0.0
        await self.idle()

    async def _work(self) -> None:
        while self._queue:
            await self._wait_for_gap(self._queue[0][0])
            if not self._queue:
                return
            _, job, ids = self._queue.popleft()
            await self._guarded(job, ids)

    async def _wait_for_gap(self, queued_at: float) -> None:
        """Until no request came for `quiet` s, or this job has waited `max_defer` s."""
        while True:
            now = self._monotonic()
            wait = min(self._last_request + self.quiet - now, queued_at + self.max_defer - now)
            if wait <= 0:
                return
            await self._sleep(wait)

    @staticmethod
    async def _guarded(job: Job, ids: log_context.LogIds) -> None:
        try:
            with log_context.bound(**ids.fields()):
                await job
        except Exception:  # the handlers answer the member; this is the last resort
            report_failure(log, "Slack background job")

    def _worker_done(self, task: asyncio.Task[None]) -> None:
        self._workers.discard(task)
        self._check_idle()

    def _urgent_done(self, task: asyncio.Task[None]) -> None:
        self._urgent.discard(task)
        self._check_idle()

    def _check_idle(self) -> None:
        if self._queue and len(self._workers) < self.concurrency:  # pragma: no cover - race
            worker = asyncio.create_task(self._work())
            self._workers.add(worker)
            worker.add_done_callback(self._worker_done)
        if not self.pending:
            self._idle.set()
