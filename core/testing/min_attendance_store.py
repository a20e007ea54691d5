"""The minimum-attendance part of `InMemorySessionStore`: one decision per session, with
the same rules as the SQL and ZeroDB adapters (a conditional update on state and start)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from core.errors import NotFound
from core.min_attendance import MinDecision, MinState
from core.model import TrainingSession, ensure_utc


class InMemoryMinAttendance:
    """Decisions in a dict keyed by session id; copies in and out."""

    _lock: asyncio.Lock
    _sessions: dict[str, TrainingSession]

    def __init__(self) -> None:
        self._min_decisions: dict[str, MinDecision] = {}

    async def save_min_decision(self, decision: MinDecision) -> None:
        """Store the session's decision, replacing the one it had."""
        async with self._lock:
            if decision.session_id not in self._sessions:
                raise NotFound(f"No session with id {decision.session_id}.")
            self._min_decisions[decision.session_id] = decision.model_copy(deep=True)

    async def get_min_decision(self, session_id: str) -> MinDecision | None:
        """The session's decision, or None."""
        found = self._min_decisions.get(session_id)
        return None if found is None or session_id not in self._sessions else found.model_copy()

    async def update_min_decision(self, decision: MinDecision, expected: MinState) -> bool:
        """Overwrite only while the stored one is in `expected` for the same start."""
        async with self._lock:
            stored = self._min_decisions.get(decision.session_id)
            if (
                stored is None
                or decision.session_id not in self._sessions
                or stored.state is not expected
                or stored.start_time != decision.start_time
            ):
                return False
            self._min_decisions[decision.session_id] = decision.model_copy(deep=True)
            return True

    async def due_min_decisions(self, now: datetime, limit: int) -> list[MinDecision]:
        """Decisions due at `now`, earliest first."""
        now = ensure_utc(now)
        due = [
            d
            for d in self._min_decisions.values()
            if d.due_at is not None and d.due_at <= now and d.session_id in self._sessions
        ]
        due.sort(key=lambda d: (d.due_at or now, d.session_id))
        return [d.model_copy() for d in due[:limit]]

    async def next_min_decision_due(self) -> datetime | None:
        """The earliest `due_at`."""
        return min(
            (
                d.due_at
                for d in self._min_decisions.values()
                if d.due_at is not None and d.session_id in self._sessions
            ),
            default=None,
        )
