"""One scheduler-scale measurement in a fresh process (started by `bench.scheduler_scale`).

    python -m bench.scale_worker {ours|obvious} {ready|wakeup|burst|downtime} DB SPAWNED_AT

SPAWNED_AT is the parent's `time.time()` just before it spawned this process, so times "since
spawn" include the interpreter's start-up and every import. Only the standard library is
imported at module level; each design imports what it needs when it runs. Results go to
stdout as JSON lines: `{"phase": "ready"}` (the `ready` scenario then waits for a line on
stdin, so that the parent can read this process's RSS) and finally `{"phase": "done", …}`.
"""

from __future__ import annotations

import time

MAIN_AT = time.time()

import asyncio  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

TIMEOUT_S = 300.0
"""No measurement may take longer than this; every wait inside is bounded too."""

Result = dict[str, Any]


def emit(record: Result) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def wait_for_parent() -> None:
    """Tell the parent we are ready and block until it has read our memory use."""
    emit({"phase": "ready"})
    sys.stdin.readline()


async def until(condition: Callable[[], bool], within: float, step: float = 0.001) -> bool:
    """Poll `condition` until it holds or `within` seconds passed; returns whether it held."""
    deadline = time.perf_counter() + within
    while not condition():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(step)
    return True


# ours ---------------------------------------------------------------------------------------
async def run_ours(scenario: str, db: Path, spawned_at: float) -> Result:
    imports_from = time.time()
    from bench import scenarios as sc
    from bench.our_design import open_app
    from core.testing.clock import FakeClock

    imported_at = time.time()
    app = await open_app(db, FakeClock(sc.NOW0))
    opened_at = time.time()
    await app.alarm.start()
    ready_at = time.time()
    result: Result = {
        "cpu_to_ready_s": time.process_time(),
        "main_s": MAIN_AT - spawned_at,
        "imports_s": imported_at - imports_from,
        "open_s": opened_at - imported_at,
        "first_wake_s": ready_at - opened_at,
        "ready_s": ready_at - spawned_at,
        "sent_at_start": app.chat.sent,
        "planned_for": str(app.alarm.planned_for),
    }
    try:
        if scenario == "ready":
            wait_for_parent()
        elif scenario == "wakeup":
            result |= await _ours_wakeups(app)
        elif scenario == "burst":
            started = time.perf_counter()
            reports = await asyncio.wait_for(app.alarm.advance(sc.BURST_AT), TIMEOUT_S)
            result |= {
                "elapsed_s": time.perf_counter() - started,
                "wakeups": len(reports),
                "delivered": app.chat.sent,
                "dispatch_runs": app.dispatcher.runs,
            }
        elif scenario == "downtime":
            useful, useless = sc.downtime(sc.NOW0)
            result |= {
                "useful_delivered": sum(app.chat.per_session[s.id] for s in useful),
                "useless_delivered": sum(app.chat.per_session[s.id] for s in useless),
                "delivered": app.chat.sent,
            }
    finally:
        await app.close()
    return result


async def _ours_wakeups(app: Any) -> Result:
    """Each group's wake-up as the alarm's job runs it (`ApschedulerAlarm.wake`), timed directly.

    APScheduler is paused meanwhile, so that only these calls run the duties.
    """
    from bench import scenarios as sc

    app.alarm.scheduler.pause()
    totals, dispatch, sent = [], [], []
    for due in sc.wakeup_due_times(sc.NOW0):
        app.clock.set(due)
        before = app.chat.sent
        started = time.perf_counter()
        await app.alarm.wake()
        totals.append(time.perf_counter() - started)
        dispatch.append(app.dispatcher.runs[-1][0])
        sent.append(app.chat.sent - before)
    app.alarm.scheduler.resume()
    return {
        "wake_s": totals,
        "dispatch_s": dispatch,
        "sent": sent,
        "wake_median_s": statistics.median(totals),
    }


# obvious ------------------------------------------------------------------------------------
async def run_obvious(scenario: str, db: Path, spawned_at: float) -> Result:
    imports_from = time.time()
    from datetime import UTC, datetime

    from bench import obvious_design as od
    from bench import scenarios as sc

    imported_at = time.time()
    seeding_cpu = time.process_time()
    expected: list[str] = []
    if scenario in ("burst", "downtime"):
        # Jobs that fall due at once (or fell due while down), bulk-inserted before the start
        # as earlier runs of the bot would have scheduled them.
        base = datetime.now(UTC)
        specs = sc.burst(base) if scenario == "burst" else [s for g in sc.downtime(base) for s in g]
        od.seed(db, specs)
        horizon = base + sc.BURST_AT
        expected = [f"{s.id}:{k}" for s in specs for k, due in s.pending() if due <= horizon]
    seeded_at = time.time()
    seeding_cpu = time.process_time() - seeding_cpu
    scheduler = od.make_scheduler(db)
    watcher = od.JobWatcher(scheduler)
    scheduler.start()
    if not await until(lambda: bool(scheduler.passes), 30):
        raise TimeoutError("the scheduler never woke up")
    ready_at = time.time()
    result: Result = {
        "cpu_to_ready_s": time.process_time() - seeding_cpu,
        "main_s": MAIN_AT - spawned_at,
        "imports_s": imported_at - imports_from,
        "open_s": 0.0,
        "first_wake_s": ready_at - seeded_at,
        "ready_s": ready_at - spawned_at - (seeded_at - imported_at),
        "seed_in_worker_s": seeded_at - imported_at,
    }
    try:
        if scenario == "ready":
            wait_for_parent()
        elif scenario == "wakeup":
            base = datetime.now(UTC)
            specs = sc.wakeup_groups(base)
            adding = time.perf_counter()
            od.add_jobs_one_by_one(scheduler, specs)
            result["add_jobs_s"] = time.perf_counter() - adding
            groups = [
                [f"{s.id}:1h" for s in specs[g * sc.WAKEUP_SESSIONS : (g + 1) * sc.WAKEUP_SESSIONS]]
                for g in range(sc.WAKEUP_GROUPS)
            ]
            everyone = [j for g in groups for j in g]
            await until(lambda: all(j in watcher.finished for j in everyone), 30)
            spans = [watcher.span(g) for g in groups]
            result |= {
                "wake_s": spans,
                "wake_median_s": statistics.median(s for s in spans if s is not None)
                if any(s is not None for s in spans)
                else None,
                "outcomes": dict(watcher.outcomes(everyone)),
                "sent": [sum(od.CHAT.per_session[j.split(":")[0]] for j in g) for g in groups],
            }
        elif scenario == "burst":
            await until(lambda: all(j in watcher.finished for j in expected), 120)
            result |= {
                "elapsed_s": watcher.span(expected),
                "outcomes": dict(watcher.outcomes(expected)),
                "delivered": od.CHAT.sent,
                "passes": len(scheduler.passes),
            }
        elif scenario == "downtime":
            caught_up = await until(lambda: all(j in watcher.finished for j in expected), 60)
            useful, useless = sc.downtime(base)
            result |= {
                "catch_up_s": time.time() - spawned_at - (seeded_at - imported_at),
                "caught_up": caught_up,
                "outcomes": dict(watcher.outcomes(expected)),
                "useful_delivered": sum(od.CHAT.per_session[s.id] for s in useful),
                "useless_delivered": sum(od.CHAT.per_session[s.id] for s in useless),
                "delivered": od.CHAT.sent,
            }
    finally:
        scheduler.shutdown(wait=False)
        await asyncio.sleep(0)
    return result


RUNNERS = {"ours": run_ours, "obvious": run_obvious}


def main(argv: list[str] | None = None) -> None:
    design, scenario, db, spawned = (argv or sys.argv[1:])[:4]
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    result = asyncio.run(
        asyncio.wait_for(RUNNERS[design](scenario, Path(db), float(spawned)), TIMEOUT_S)
    )
    emit({"phase": "done", "design": design, "scenario": scenario, **result})


if __name__ == "__main__":
    main()
