"""The minimum-attendance part of `ZeroDBSessionStore`: one decision row per session.

ZeroDB has no transactions, so every write of a session's decision runs under one lease row
per session (`min-attendance:<session id>`, like the RSVP writes' session lease): a read, a
check of the expected state and start, an overwrite. Of a Keep click and the clock applying
the default at once, in any processes, the second sees the first's state and changes
nothing. The first row of a session is inserted once (`_add_once`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.zerodb.host import ZeroDBHost
from adapters.zerodb.rows import instant, record_to_row, row_to_record
from core.min_attendance import MinDecision, MinState
from core.model import ensure_utc

Row = dict[str, Any]
MIN_ATTENDANCE_TABLES = {
    "min_attendance_decisions": "Minimum-attendance decisions (one row per session)",
}


def decision_to_row(decision: MinDecision) -> Row:
    """The row of a decision (instants as fixed-width strings)."""
    return record_to_row(decision)


def row_to_decision(row: Row) -> MinDecision:
    """Rebuild a decision from its row."""
    return row_to_record(MinDecision, row)


_TABLE = "min_attendance_decisions"


def _lease(session_id: str) -> str:
    return f"min-attendance:{session_id}"


class ZeroDBMinAttendance(ZeroDBHost):
    """Mixed into ZeroDBSessionStore, whose table helpers and leases it uses."""

    async def save_min_decision(self, decision: MinDecision) -> None:
        """Insert or replace the session's decision, under its lease."""
        await self._require_session(decision.session_id)
        row = decision_to_row(decision)
        async with self._serialised(_lease(decision.session_id), decision.updated_at):
            found = await self._first(_TABLE, {"session_id": decision.session_id})
            if found is None:
                if await self._add_once(
                    "min_attendance_decisions", "session_id", decision.session_id, row
                ):
                    return
                found = await self._first(
                    "min_attendance_decisions", {"session_id": decision.session_id}
                )
            if found is not None:
                await self._overwrite("min_attendance_decisions", found, row)

    async def get_min_decision(self, session_id: str) -> MinDecision | None:
        """The session's decision, or None."""
        found = await self._first("min_attendance_decisions", {"session_id": session_id})
        return None if found is None else row_to_decision(found)

    async def update_min_decision(self, decision: MinDecision, expected: MinState) -> bool:
        """Read, check and overwrite under the session's decision lease."""
        async with self._serialised(_lease(decision.session_id), decision.updated_at):
            found = await self._first(_TABLE, {"session_id": decision.session_id})
            if (
                found is None
                or found.get("state") != expected.value
                or found.get("start_time") != instant(decision.start_time)
            ):
                return False
            await self._overwrite("min_attendance_decisions", found, decision_to_row(decision))
            return True

    async def _pending_decisions(self, filters: dict[str, Any], limit: int) -> list[MinDecision]:
        """Decisions matching `filters` by (due_at, session): sorted by the server when it
        can."""
        table = self._t("min_attendance_decisions")
        if self.tables.dialect.sort_key:
            order = [("due_at", 1), ("session_id", 1)]
            rows, _ = await self.tables.query(table, filters, limit=limit, sort=order)
        else:
            rows = await self.tables.query_all(table, filters)
        found = {d.session_id: d for d in map(row_to_decision, rows) if d.due_at is not None}
        return sorted(found.values(), key=lambda d: (d.due_at, d.session_id))[:limit]

    async def due_min_decisions(self, now: datetime, limit: int) -> list[MinDecision]:
        """Decisions due at `now`, earliest first."""
        filters = {"due_at": {"$lte": instant(ensure_utc(now))}}
        return await self._pending_decisions(filters, limit)

    async def next_min_decision_due(self) -> datetime | None:
        """The earliest due_at."""
        found = await self._pending_decisions({"due_at": {"$ne": None}}, 1)
        return found[0].due_at if found else None
