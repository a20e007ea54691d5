"""The substitute-instructor part of `SqlSessionStore`: one request row per session.

Opening locks the session row (`FOR UPDATE` on PostgreSQL; SQLite's write lock), so two
`/need-sub` at once store one request. Every later change is one `UPDATE … WHERE status =
expected`: of two accepts at once, in any processes, exactly one changes the row.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql import rsvp_ops, schedule_changes
from adapters.sql.schema import substitute_requests, training_sessions
from core.errors import NotFound
from core.substitutes import SubstituteRequest, SubstituteStatus

_r = substitute_requests.c


def request_to_row(request: SubstituteRequest) -> dict[str, Any]:
    """The `substitute_requests` row of a request."""
    return request.model_dump(mode="python") | {"status": request.status.value}


def row_to_request(row: Any) -> SubstituteRequest:
    """Rebuild a request from its row."""
    return SubstituteRequest.model_validate(dict(row))


class SqlSubstitutes:
    """Mixed into SqlSessionStore, whose transactions it uses."""

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    def _read(self, statements: int = 1) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    async def open_substitute_request(self, request: SubstituteRequest) -> bool:
        """Store a new OPEN request unless one is open, under the session's row lock."""
        async with self._write() as connection:
            if not await rsvp_ops.lock_session(connection, request.session_id):
                raise NotFound(f"No session with id {request.session_id}.")
            status = await connection.scalar(
                select(_r.status).where(_r.session_id == request.session_id)
            )
            row = request_to_row(request)
            if status == SubstituteStatus.OPEN.value:
                return False
            if status is None:
                await connection.execute(substitute_requests.insert(), row)
            else:
                await connection.execute(
                    update(substitute_requests)
                    .where(_r.session_id == request.session_id)
                    .values(row)
                )
            await schedule_changes.announce(connection, request.session_id)
            return True

    async def get_substitute_request(self, session_id: str) -> SubstituteRequest | None:
        """The session's latest request, or None."""
        async with self._read() as connection:
            row = (
                (
                    await connection.execute(
                        select(substitute_requests).where(_r.session_id == session_id)
                    )
                )
                .mappings()
                .first()
            )
        return None if row is None else row_to_request(row)

    async def update_substitute_request(
        self,
        request: SubstituteRequest,
        expected: SubstituteStatus,
        expected_widened: bool | None = None,
    ) -> bool:
        """One conditional UPDATE: True for the one caller whose expectation held."""
        query = update(substitute_requests).where(
            _r.session_id == request.session_id, _r.status == expected.value
        )
        if expected_widened is not None:
            query = query.where(_r.widened == expected_widened)
        async with self._write() as connection:
            result = await connection.execute(query.values(request_to_row(request)))
            if result.rowcount:
                await schedule_changes.announce(connection, request.session_id)
            return bool(result.rowcount)

    async def due_substitute_requests(self, now: datetime, limit: int) -> list[SubstituteRequest]:
        """Open requests with due_at <= now, earliest first (the status/due_at index)."""
        query = (
            select(substitute_requests)
            .where(_r.status == SubstituteStatus.OPEN.value, _r.due_at <= now)
            .order_by(_r.due_at, _r.session_id)
            .limit(limit)
        )
        async with self._read() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [row_to_request(row) for row in rows]

    async def next_substitute_due(self) -> datetime | None:
        """MIN(due_at) of open requests (the status/due_at index)."""
        query = select(func.min(_r.due_at)).where(_r.status == SubstituteStatus.OPEN.value)
        async with self._read() as connection:
            found: datetime | None = await connection.scalar(query)
        return found

    async def recent_instructors(self, since: datetime) -> dict[str, str]:
        """Instructor id → name of their latest session starting at or after `since`."""
        s = training_sessions.c
        query = (
            select(s.instructor_id, s.instructor_name)
            .where(s.start_time >= since)
            .order_by(s.start_time, s.id)
        )
        async with self._read() as connection:
            rows = (await connection.execute(query)).all()
        return {row.instructor_id: row.instructor_name for row in rows}
