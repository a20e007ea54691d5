"""The minimum-attendance part of `SqlSessionStore`: one decision row per session.

Planning replaces the row (`INSERT … ON CONFLICT DO UPDATE`); every later step is one
`UPDATE … WHERE state = expected AND start_time = its start`: of a Keep click and the clock
applying the default at once, in any processes, exactly one changes the row. `due_at` is
indexed: the duty's next wake-up is one MIN query.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql import rsvp_ops, schedule_changes
from adapters.sql.engine import upsert
from adapters.sql.schema import min_attendance_decisions
from core.errors import NotFound
from core.min_attendance import MinDecision, MinState
from core.model import ensure_utc

_m = min_attendance_decisions.c


def decision_to_row(decision: MinDecision) -> dict[str, Any]:
    """The `min_attendance_decisions` row of a decision."""
    return decision.model_dump(mode="python") | {"state": decision.state.value}


def row_to_decision(row: Any) -> MinDecision:
    """Rebuild a decision from its row."""
    return MinDecision.model_validate(dict(row))


class SqlMinAttendance:
    """Mixed into SqlSessionStore, whose transactions it uses."""

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    def _read(self, statements: int = 1) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    async def save_min_decision(self, decision: MinDecision) -> None:
        """Insert or replace the session's decision (NotFound without the session)."""
        row = decision_to_row(decision)
        async with self._write() as connection:
            if not await rsvp_ops.lock_session(connection, decision.session_id):
                raise NotFound(f"No session with id {decision.session_id}.")
            statement = upsert(connection.dialect.name, min_attendance_decisions).values(row)
            statement = statement.on_conflict_do_update(
                index_elements=[_m.session_id],
                set_={k: v for k, v in row.items() if k != "session_id"},
            )
            await connection.execute(statement)
            await schedule_changes.announce(connection, decision.session_id)

    async def get_min_decision(self, session_id: str) -> MinDecision | None:
        """The session's decision, or None."""
        query = select(min_attendance_decisions).where(_m.session_id == session_id)
        async with self._read() as connection:
            row = (await connection.execute(query)).mappings().first()
        return None if row is None else row_to_decision(row)

    async def update_min_decision(self, decision: MinDecision, expected: MinState) -> bool:
        """One conditional UPDATE: True for the one caller whose expectation held."""
        query = (
            update(min_attendance_decisions)
            .where(
                _m.session_id == decision.session_id,
                _m.state == expected.value,
                _m.start_time == decision.start_time,
            )
            .values(decision_to_row(decision))
        )
        async with self._write() as connection:
            result = await connection.execute(query)
            if result.rowcount:
                await schedule_changes.announce(connection, decision.session_id)
            return bool(result.rowcount)

    async def due_min_decisions(self, now: datetime, limit: int) -> list[MinDecision]:
        """Decisions with due_at <= now, earliest first (the due_at index)."""
        query = (
            select(min_attendance_decisions)
            .where(_m.due_at <= ensure_utc(now))
            .order_by(_m.due_at, _m.session_id)
            .limit(limit)
        )
        async with self._read() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [row_to_decision(row) for row in rows]

    async def next_min_decision_due(self) -> datetime | None:
        """MIN(due_at) (the due_at index)."""
        async with self._read() as connection:
            found: datetime | None = await connection.scalar(select(func.min(_m.due_at)))
        return found
