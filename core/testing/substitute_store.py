"""The substitute-instructor part of `InMemorySessionStore`: one request per session,
written by compare and set under the store's one lock, like the SQL adapter."""

from __future__ import annotations

import asyncio
from datetime import datetime

from core.errors import NotFound
from core.model import TrainingSession, ensure_utc
from core.substitutes import SubstituteRequest, SubstituteStatus


class InMemorySubstitutes:
    """Substitute requests by session id; copies in and out."""

    _lock: asyncio.Lock
    _sessions: dict[str, TrainingSession]

    def __init__(self) -> None:
        self._substitutes: dict[str, SubstituteRequest] = {}

    async def open_substitute_request(self, request: SubstituteRequest) -> bool:
        """Store a new OPEN request unless the session has one open."""
        async with self._lock:
            if request.session_id not in self._sessions:
                raise NotFound(f"No session with id {request.session_id}.")
            stored = self._substitutes.get(request.session_id)
            if stored is not None and stored.status is SubstituteStatus.OPEN:
                return False
            self._substitutes[request.session_id] = request.model_copy(deep=True)
            return True

    async def get_substitute_request(self, session_id: str) -> SubstituteRequest | None:
        """The session's latest request, or None."""
        found = self._substitutes.get(session_id)
        return None if found is None else found.model_copy(deep=True)

    async def update_substitute_request(
        self,
        request: SubstituteRequest,
        expected: SubstituteStatus,
        expected_widened: bool | None = None,
    ) -> bool:
        """Overwrite only while the stored status (and `widened`) are as expected."""
        async with self._lock:
            stored = self._substitutes.get(request.session_id)
            if stored is None or stored.status is not expected:
                return False
            if expected_widened is not None and stored.widened is not expected_widened:
                return False
            self._substitutes[request.session_id] = request.model_copy(deep=True)
            return True

    async def due_substitute_requests(self, now: datetime, limit: int) -> list[SubstituteRequest]:
        """Open requests due at `now`, earliest first."""
        now = ensure_utc(now)
        due = [
            r
            for r in self._substitutes.values()
            if r.status is SubstituteStatus.OPEN and r.due_at is not None and r.due_at <= now
        ]
        due.sort(key=lambda r: (r.due_at or now, r.session_id))
        return [r.model_copy(deep=True) for r in due[:limit]]

    async def next_substitute_due(self) -> datetime | None:
        """The earliest due_at among open requests."""
        return min(
            (
                r.due_at
                for r in self._substitutes.values()
                if r.status is SubstituteStatus.OPEN and r.due_at is not None
            ),
            default=None,
        )

    async def recent_instructors(self, since: datetime) -> dict[str, str]:
        """Instructors of sessions starting at or after `since` (name of the latest)."""
        since = ensure_utc(since)
        found: dict[str, str] = {}
        for session in sorted(self._sessions.values(), key=lambda s: (s.start_time, s.id)):
            if session.start_time >= since:
                found[session.instructor_id] = session.instructor_name
        return found
