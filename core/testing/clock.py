"""A clock that only moves when told to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.model import ensure_utc


class FakeClock:
    """Frozen time for tests and scripted runs; `advance` and `set` move it forward."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = ensure_utc(start) if start else datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta():
            raise ValueError("time only moves forward")
        self._now += delta
        return self._now

    def set(self, instant: datetime) -> None:
        instant = ensure_utc(instant)
        if instant < self._now:
            raise ValueError("time only moves forward")
        self._now = instant
