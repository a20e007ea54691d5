"""Time sources. Core never reads the wall clock directly: services receive a Clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


class Clock(Protocol):
    """Tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


@runtime_checkable
class AdjustableClock(Clock, Protocol):
    """A clock that can be moved forward (tests, the terminal's simulated time)."""

    def advance(self, delta: timedelta) -> datetime: ...

    def set(self, instant: datetime) -> None: ...


class SystemClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class OffsetClock:
    """Wall-clock time shifted by an offset that `advance` grows: time keeps flowing."""

    def __init__(self, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self._offset = timedelta()

    def now(self) -> datetime:
        return self._base.now() + self._offset

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta():
            raise ValueError("time only moves forward")
        self._offset += delta
        return self.now()

    def set(self, instant: datetime) -> None:
        self._offset = instant - self._base.now()
