"""One PostgreSQL scheduler-scale measurement in a fresh process (started by `bench.postgres`).

    python -m bench.pg_scale_worker {ready|wakeup} URL SPAWNED_AT

As `bench.scale_worker` (same phases, same JSON lines, same timings), with our design's store
on PostgreSQL at URL.
"""

from __future__ import annotations

import time

MAIN_AT = time.time()

import asyncio  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

from bench.scale_worker import TIMEOUT_S, _ours_wakeups, emit, wait_for_parent  # noqa: E402


async def run(scenario: str, url: str, spawned_at: float) -> dict[str, Any]:
    imports_from = time.time()
    from bench import scenarios as sc
    from bench.pg_design import open_pg_app
    from core.testing.clock import FakeClock

    imported_at = time.time()
    app = await open_pg_app(url, FakeClock(sc.NOW0))
    opened_at = time.time()
    await app.alarm.start()
    ready_at = time.time()
    result: dict[str, Any] = {
        "main_s": MAIN_AT - spawned_at,
        "imports_s": imported_at - imports_from,
        "open_s": opened_at - imported_at,
        "first_wake_s": ready_at - opened_at,
        "ready_s": ready_at - spawned_at,
        "sent_at_start": app.chat.sent,
    }
    try:
        if scenario == "ready":
            wait_for_parent()
        elif scenario == "wakeup":
            result |= await _ours_wakeups(app)
    finally:
        await app.close()
    return result


def main(argv: list[str] | None = None) -> None:
    scenario, url, spawned = (argv or sys.argv[1:])[:3]
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    result = asyncio.run(asyncio.wait_for(run(scenario, url, float(spawned)), TIMEOUT_S))
    emit({"phase": "done", "design": "ours-postgres", "scenario": scenario, **result})


if __name__ == "__main__":
    main()
