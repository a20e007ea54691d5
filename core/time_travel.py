"""Time travel: moving the service's simulated time forward, running what falls due."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from core.duties import DutyReport


class TimeTravel(Protocol):
    """The service's time, which a front end may move forward (the terminal's `/advance`).

    The alarm clock implements it: every duty due on the way runs, in order.
    """

    def now(self) -> datetime:
        """The service's current (possibly simulated) time."""
        ...

    async def advance(self, delta: timedelta) -> Sequence[DutyReport]:
        """Move time forward by `delta`, running every wake-up due on the way, in order."""
        ...
