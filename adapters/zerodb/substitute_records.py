"""The substitute-instructor part of `ZeroDBSessionStore`: one request row per session.

ZeroDB has no transactions, so every write of a session's request runs under one lease row
per session (`substitutes:<session id>`, like the RSVP writes' session lease): a read, a
check of the expected status, an overwrite. Of two accepts at once, in any processes, the
second sees the first's status and changes nothing. The first row of a session is inserted
once (`_add_once`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.zerodb.host import ZeroDBHost
from adapters.zerodb.rows import instant, record_to_row, row_to_record
from core.model import ensure_utc
from core.substitutes import SubstituteRequest, SubstituteStatus

Row = dict[str, Any]
SUBSTITUTE_TABLES = {
    "substitute_requests": "Substitute-instructor requests (one row per session, the latest)",
}


def request_to_row(request: SubstituteRequest) -> Row:
    """The row of a request (instants as fixed-width strings)."""
    return record_to_row(request)


def row_to_request(row: Row) -> SubstituteRequest:
    """Rebuild a request from its row."""
    return row_to_record(SubstituteRequest, row)


def _lease(session_id: str) -> str:
    return f"substitutes:{session_id}"


class ZeroDBSubstitutes(ZeroDBHost):
    """Mixed into ZeroDBSessionStore, whose table helpers and leases it uses."""

    async def open_substitute_request(self, request: SubstituteRequest) -> bool:
        """Store a new OPEN request unless one is open, under the session's request lease."""
        await self._require_session(request.session_id)
        row = request_to_row(request)
        async with self._serialised(_lease(request.session_id), ensure_utc(request.updated_at)):
            found = await self._first("substitute_requests", {"session_id": request.session_id})
            if found is None:
                return await self._add_once(
                    "substitute_requests", "session_id", request.session_id, row
                )
            if found.get("status") == SubstituteStatus.OPEN.value:
                return False
            await self._overwrite("substitute_requests", found, row)
            return True

    async def get_substitute_request(self, session_id: str) -> SubstituteRequest | None:
        """The session's latest request, or None."""
        found = await self._first("substitute_requests", {"session_id": session_id})
        return None if found is None else row_to_request(found)

    async def update_substitute_request(
        self,
        request: SubstituteRequest,
        expected: SubstituteStatus,
        expected_widened: bool | None = None,
    ) -> bool:
        """Read, check and overwrite under the session's request lease."""
        async with self._serialised(_lease(request.session_id), ensure_utc(request.updated_at)):
            found = await self._first("substitute_requests", {"session_id": request.session_id})
            if found is None or found.get("status") != expected.value:
                return False
            if expected_widened is not None and bool(found.get("widened")) is not expected_widened:
                return False
            await self._overwrite("substitute_requests", found, request_to_row(request))
            return True

    async def _open_requests(self) -> list[SubstituteRequest]:
        rows = await self._rows("substitute_requests", {"status": SubstituteStatus.OPEN.value})
        found = {r.session_id: r for r in map(row_to_request, rows)}
        return sorted(
            (r for r in found.values() if r.due_at is not None),
            key=lambda r: (r.due_at, r.session_id),
        )

    async def due_substitute_requests(self, now: datetime, limit: int) -> list[SubstituteRequest]:
        """Open requests due at `now`, earliest first (open requests are few)."""
        now = ensure_utc(now)
        due = [r for r in await self._open_requests() if r.due_at is not None and r.due_at <= now]
        return due[:limit]

    async def next_substitute_due(self) -> datetime | None:
        """The earliest due_at among open requests."""
        found = await self._open_requests()
        return found[0].due_at if found else None

    async def recent_instructors(self, since: datetime) -> dict[str, str]:
        """Instructors of sessions starting at or after `since` (name of the latest)."""
        filters = {"start_time": {"$gte": instant(ensure_utc(since))}}
        rows = await self._rows("training_sessions", filters)
        rows.sort(key=lambda r: (str(r.get("start_time")), str(r.get("session_id"))))
        return {str(r["instructor_id"]): str(r["instructor_name"]) for r in rows}
