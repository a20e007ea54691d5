"""GlobalPacer: a new process starts with an empty bucket, so it cannot add a burst to the
requests its predecessor made in Discord's current window."""

from __future__ import annotations

from adapters.discord.pacing import GlobalPacer


class Time:
    """A monotonic clock that only moves when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_a_new_pacer_sends_nothing_for_one_window() -> None:
    time = Time()
    pacer = GlobalPacer(50, 1.0, monotonic=time.monotonic, sleep=time.sleep)
    time.now += 0.25  # start-up work before the first request
    async with pacer.slot():
        first_at = time.now
    assert first_at == 1001.0 and time.slept == [0.75]
    for _ in range(49):  # then the whole bucket, at once
        async with pacer.slot():
            pass
    assert time.slept == [0.75]


async def test_without_quiet_start_the_first_request_goes_at_once() -> None:
    time = Time()
    pacer = GlobalPacer(50, 1.0, quiet_start=False, monotonic=time.monotonic, sleep=time.sleep)
    async with pacer.slot():
        pass
    assert time.slept == []


async def test_taking_over_the_clock_starts_quiet_again() -> None:
    time = Time()
    pacer = GlobalPacer(50, 1.0, quiet_start=False, monotonic=time.monotonic, sleep=time.sleep)
    async with pacer.slot():
        pass
    time.now += 30.0
    pacer.start_quiet()  # the process that ran the clock died just now
    async with pacer.slot():
        pass
    assert time.slept == [1.0]
