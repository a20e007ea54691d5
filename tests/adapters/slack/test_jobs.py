"""Background jobs: acks first in a burst, nothing lost on close, failures logged."""

from __future__ import annotations

import asyncio

import pytest

from adapters.slack.jobs import JobRunner


async def test_queued_work_waits_for_a_gap_in_requests_or_max_defer() -> None:
    now = [0.0]
    sleeps: list[float] = []
    moved = asyncio.Event()

    async def sleep(seconds: float) -> None:
        sleeps.append(round(seconds, 3))
        moved.set()
        await asyncio.sleep(0)

    runner = JobRunner(
        concurrency=1, quiet=0.02, max_defer=5, monotonic=lambda: now[0], sleep=sleep
    )
    done: list[str] = []

    async def job(name: str) -> None:
        done.append(name)

    runner.spawn(job("a"))
    await moved.wait()
    assert done == [] and sleeps[0] == 0.02  # a request just came: wait for the gap
    now[0] = 0.01
    runner.spawn(job("b"))  # another request: the gap restarts
    now[0] = 0.031
    await runner.idle()
    assert done == ["a", "b"]

    now[0] = 10.0
    for i in range(3):
        now[0] += 0.001
        runner.spawn(job(f"burst{i}"))
    now[0] += 6  # requests keep coming, but the first job has waited over max_defer
    runner._last_request = now[0]
    await runner.idle()
    assert done[2:] == ["burst0", "burst1", "burst2"]


async def test_close_finishes_everything_and_failures_are_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runner = JobRunner(concurrency=2, quiet=0)
    done: list[int] = []

    async def job(n: int) -> None:
        await asyncio.sleep(0)
        done.append(n)

    async def broken() -> None:
        raise RuntimeError("boom")

    for n in range(10):
        runner.spawn(job(n))
    runner.spawn(broken())
    runner.spawn(job(99), urgent=True)
    await runner.close()
    assert sorted(done) == [*range(10), 99] and runner.pending == 0
    assert "Slack background job failed" in caplog.text
    work = job(100)
    with pytest.raises(RuntimeError):
        runner.spawn(work)
