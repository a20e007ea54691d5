"""The no-show part of `SqlSessionStore`: seat marks (`core.seat_marks`).

A mark is inserted with `ON CONFLICT DO NOTHING` on its primary key (session × member ×
kind): one writer wins across processes. Waivers and appeals are one conditional
`UPDATE … WHERE waived_at IS NULL … RETURNING`: each changed mark goes to one caller.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.engine import upsert
from adapters.sql.schema import seat_marks
from core.model import ensure_utc
from core.seat_marks import PENALISED, SeatMark

_m = seat_marks.c
_PENALISED = [kind.value for kind in PENALISED]


def row_to_mark(row: Any) -> SeatMark:
    """Rebuild a mark from its row."""
    return SeatMark.model_validate(dict(row))


class SqlNoShows:
    """Mixed into SqlSessionStore, whose transactions it uses."""

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    def _read(self, statements: int = 1) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    async def add_seat_mark(self, mark: SeatMark) -> bool:
        """Insert unless the session × member × kind has a mark (True: written)."""
        async with self._write() as connection:
            statement = upsert(connection.dialect.name, seat_marks).values(
                **mark.model_dump(mode="python")
            )
            result = await connection.execute(statement.on_conflict_do_nothing())
            return bool(result.rowcount)

    async def list_seat_marks(self, member_ids: list[str], since: datetime) -> list[SeatMark]:
        """These members' marks recorded at or after `since`, oldest first."""
        if not member_ids:
            return []
        query = (
            select(seat_marks)
            .where(_m.member_id.in_(member_ids), _m.created_at >= ensure_utc(since))
            .order_by(_m.created_at, _m.session_id, _m.kind)
        )
        async with self._read() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [row_to_mark(row) for row in rows]

    async def list_session_marks(self, session_id: str) -> list[SeatMark]:
        """Every mark of the session, by member then kind."""
        query = (
            select(seat_marks).where(_m.session_id == session_id).order_by(_m.member_id, _m.kind)
        )
        async with self._read() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [row_to_mark(row) for row in rows]

    async def waive_seat_marks(
        self, session_id: str, member_id: str, by: str, at: datetime, since: datetime
    ) -> list[SeatMark]:
        """Waive the member's unwaived penalised marks of the session recorded since `since`."""
        statement = (
            update(seat_marks)
            .where(
                _m.session_id == session_id,
                _m.member_id == member_id,
                _m.kind.in_(_PENALISED),
                _m.waived_at.is_(None),
                _m.created_at >= ensure_utc(since),
            )
            .values(waived_by=by, waived_at=ensure_utc(at))
            .returning(seat_marks)
        )
        return await self._changed(statement)

    async def appeal_seat_marks(
        self, session_id: str, member_id: str, at: datetime
    ) -> list[SeatMark]:
        """Set `appealed_at` on the member's unwaived, unappealed penalised marks."""
        statement = (
            update(seat_marks)
            .where(
                _m.session_id == session_id,
                _m.member_id == member_id,
                _m.kind.in_(_PENALISED),
                _m.waived_at.is_(None),
                _m.appealed_at.is_(None),
            )
            .values(appealed_at=ensure_utc(at))
            .returning(seat_marks)
        )
        return await self._changed(statement)

    async def _changed(self, statement: Any) -> list[SeatMark]:
        async with self._write() as connection:
            rows = (await connection.execute(statement)).mappings().all()
        return sorted((row_to_mark(row) for row in rows), key=lambda m: m.kind.value)

    async def drop_member_marks(self, member_ids: list[str]) -> int:
        """Delete every mark of these members."""
        if not member_ids:
            return 0
        async with self._write() as connection:
            result = await connection.execute(
                delete(seat_marks).where(_m.member_id.in_(member_ids))
            )
        return int(result.rowcount or 0)

    async def drop_seat_marks(self, before: datetime) -> int:
        """Delete the marks recorded before `before`."""
        async with self._write() as connection:
            result = await connection.execute(
                delete(seat_marks).where(_m.created_at < ensure_utc(before))
            )
        return int(result.rowcount or 0)
