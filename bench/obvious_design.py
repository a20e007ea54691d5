"""The obvious design: one APScheduler 3 date job per reminder, kept in a SQLAlchemyJobStore.

Each (session, reminder kind) is one `DateTrigger` job in a SQLite file (sync SQLAlchemy, the
job store's own engine and defaults), whose function DMs the session's going members given in
its arguments — the same grouping as our design's `Reminder` rows, so one job stands for 10
of the reminders counted in the tables. Everything else is APScheduler's default: the asyncio
executor and `misfire_grace_time=1`, `coalesce=True`, `max_instances=1`.

The job function is referred to by its textual reference, so the job store can pickle it; it
sends to a no-op chat that only counts, as our design's benchmark chat does.
"""

from __future__ import annotations

import pickle
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
)
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.util import datetime_to_utc_timestamp

from bench.scenarios import SessionSpec

JOB_FUNC = "bench.obvious_design:send_reminder"
CHUNK = 20_000


class CountingChat:
    """A chat that sends nothing and counts the DMs it was given, per session."""

    def __init__(self) -> None:
        self.sent = 0
        self.per_session: Counter[str] = Counter()

    async def send_dm(self, session_id: str, member_id: str, text: str) -> None:
        self.sent += 1
        self.per_session[session_id] += 1


CHAT = CountingChat()


async def send_reminder(session_id: str, kind: str, member_ids: list[str]) -> None:
    """The job: DM every going member of the session (recipients come with the job)."""
    text = f"Reminder: session {session_id} starts in {kind}."
    for member_id in member_ids:
        await CHAT.send_dm(session_id, member_id, text)


class TimedScheduler(AsyncIOScheduler):  # type: ignore[misc]
    """AsyncIOScheduler that records when each of its wake-ups (`_process_jobs`) ran."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.passes: list[tuple[float, float]] = []
        """(start, end) perf_counter of every wake-up."""
        self.current_wake = 0.0

    def _process_jobs(self) -> float | None:
        self.current_wake = started = time.perf_counter()
        try:
            wait: float | None = super()._process_jobs()
            return wait
        finally:
            self.passes.append((started, time.perf_counter()))


def job_store(path: Path) -> SQLAlchemyJobStore:
    """The job store on a SQLite file, as its documentation shows it."""
    return SQLAlchemyJobStore(url=f"sqlite:///{path.as_posix()}")


def make_scheduler(path: Path) -> TimedScheduler:
    """The scheduler with its job store (not started)."""
    return TimedScheduler(jobstores={"default": job_store(path)}, timezone=UTC)


def job_states(
    scheduler: AsyncIOScheduler, specs: Iterable[SessionSpec]
) -> Iterator[tuple[str, datetime, dict[str, Any]]]:
    """(id, run time, pickled state) of the jobs `scheduler.add_job` creates for `specs`.

    The first job is built by APScheduler's own `Job` (which validates it); the others copy
    its state, changing only what differs between jobs, because `Job()` spends most of its
    time inspecting the function's signature again for every job.
    """
    template: dict[str, Any] | None = None
    for spec in specs:
        for kind, due in spec.pending():
            job_id, args = f"{spec.id}:{kind}", (spec.id, kind, list(spec.members))
            trigger = DateTrigger(run_date=due, timezone=UTC)
            if template is None:
                template = _job(scheduler, job_id, trigger, args).__getstate__()
                state = template
            else:
                state = dict(template, id=job_id, trigger=trigger, args=args, next_run_time=due)
            yield job_id, due, state


def _job(
    scheduler: AsyncIOScheduler, job_id: str, trigger: DateTrigger, args: tuple[Any, ...]
) -> Job:
    defaults = scheduler._job_defaults  # what add_job fills in (misfire_grace_time=1, …)
    return Job(
        scheduler,
        id=job_id,
        func=JOB_FUNC,
        trigger=trigger,
        executor="default",
        args=args,
        kwargs={},
        name="send_reminder",
        misfire_grace_time=defaults["misfire_grace_time"],
        coalesce=defaults["coalesce"],
        max_instances=defaults["max_instances"],
        next_run_time=trigger.run_date,
    )


def add_jobs_one_by_one(scheduler: AsyncIOScheduler, specs: Iterable[SessionSpec]) -> int:
    """Schedule through the public API (one insert and commit per job); returns jobs added."""
    added = 0
    for spec in specs:
        for kind, due in spec.pending():
            scheduler.add_job(
                JOB_FUNC,
                DateTrigger(run_date=due, timezone=UTC),
                id=f"{spec.id}:{kind}",
                args=(spec.id, kind, list(spec.members)),
                name="send_reminder",
            )
            added += 1
    return added


def insert_jobs(
    store: SQLAlchemyJobStore, jobs: Iterable[tuple[str, datetime, dict[str, Any]]]
) -> int:
    """Bulk-insert jobs exactly as `SQLAlchemyJobStore.add_job` writes them (one transaction)."""
    added = 0
    batch: list[dict[str, Any]] = []
    with store.engine.begin() as connection:
        for job_id, due, state in jobs:
            batch.append(
                {
                    "id": job_id,
                    "next_run_time": datetime_to_utc_timestamp(due),
                    "job_state": pickle.dumps(state, store.pickle_protocol),
                }
            )
            if len(batch) == CHUNK:
                connection.execute(store.jobs_t.insert(), batch)
                added, batch = added + len(batch), []
        if batch:
            connection.execute(store.jobs_t.insert(), batch)
            added += len(batch)
    return added


def open_store(path: Path, scheduler: AsyncIOScheduler) -> SQLAlchemyJobStore:
    """The job store, its table created (as `scheduler.start()` does), not yet in use."""
    store = job_store(path)
    store.start(scheduler, "default")
    return store


def seed(path: Path, specs: Iterable[SessionSpec]) -> int:
    """Create the job store's table and bulk-insert the jobs of `specs`; returns jobs added."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    store = open_store(path, scheduler)
    try:
        return insert_jobs(store, job_states(scheduler, specs))
    finally:
        store.shutdown()


@dataclass
class JobWatcher:
    """Follows jobs through the scheduler's events: which wake-up ran them, when they ended."""

    scheduler: TimedScheduler
    woken_by: dict[str, float] = field(default_factory=dict)
    """Job id → start of the wake-up that submitted it (perf_counter)."""
    finished: dict[str, tuple[str, float]] = field(default_factory=dict)
    """Job id → ("executed" | "missed" | "error", perf_counter when that was known)."""

    def __post_init__(self) -> None:
        mask = EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_MISSED | EVENT_JOB_ERROR
        self.scheduler.add_listener(self._on_event, mask)

    def _on_event(self, event: JobEvent) -> None:
        now = time.perf_counter()
        if event.code == EVENT_JOB_SUBMITTED:
            self.woken_by[event.job_id] = self.scheduler.current_wake
            return
        outcome = {EVENT_JOB_EXECUTED: "executed", EVENT_JOB_MISSED: "missed"}.get(
            event.code, "error"
        )
        self.finished[event.job_id] = (outcome, now)

    def outcomes(self, job_ids: Iterable[str]) -> Counter[str]:
        return Counter(self.finished[j][0] for j in job_ids if j in self.finished)

    def span(self, job_ids: list[str]) -> float | None:
        """Seconds from the wake-up that first submitted these jobs to the last one ending."""
        if not job_ids or any(j not in self.finished or j not in self.woken_by for j in job_ids):
            return None
        woke = min(self.woken_by[j] for j in job_ids)
        return max(self.finished[j][1] for j in job_ids) - woke
