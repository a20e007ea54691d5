"""The no-show part of `ZeroDBSessionStore`: seat marks (`core.seat_marks`).

Each row carries `mark_key` (session|member|kind), inserted with the store's insert-once
(`_add_once`): one writer wins across processes. Waivers and appeals rewrite the member's
marks of a session under a lease of their own (`marks:<session>|<member>`), read then
conditionally changed, so each change goes to one caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from adapters.zerodb.host import ZeroDBHost
from adapters.zerodb.rows import instant, record_to_row, row_to_record
from adapters.zerodb.tables import Row
from core.model import ensure_utc
from core.seat_marks import PENALISED, SeatMark

NO_SHOW_TABLES = {"seat_marks": "No-show policy marks (one per session, member and kind)"}


def mark_row(mark: SeatMark) -> Row:
    """The stored row of a mark (instants as strings, with its unique `mark_key`)."""
    return record_to_row(mark) | {
        "mark_key": f"{mark.session_id}|{mark.member_id}|{mark.kind.value}"
    }


def row_to_mark(row: Row) -> SeatMark:
    """Rebuild a mark from its stored row."""
    return row_to_record(SeatMark, row)


def _order(mark: SeatMark) -> tuple[datetime, str, str]:
    return (mark.created_at, mark.session_id, mark.kind.value)


class ZeroDBNoShows(ZeroDBHost):
    """Mixed into ZeroDBSessionStore, whose table helpers and leases it uses."""

    async def add_seat_mark(self, mark: SeatMark) -> bool:
        """Insert unless the session × member × kind has a mark (True: written)."""
        row = mark_row(mark)
        return await self._add_once("seat_marks", "mark_key", row["mark_key"], row)

    async def list_seat_marks(self, member_ids: list[str], since: datetime) -> list[SeatMark]:
        """These members' marks recorded at or after `since`, oldest first."""
        since = ensure_utc(since)
        found: list[SeatMark] = []
        for member_id in sorted(set(member_ids)):
            rows = await self._rows("seat_marks", {"member_id": member_id})
            found += [m for m in map(row_to_mark, rows) if m.created_at >= since]
        return sorted(_unique(found), key=_order)

    async def list_session_marks(self, session_id: str) -> list[SeatMark]:
        """Every mark of the session, by member then kind."""
        marks = _unique(
            map(row_to_mark, await self._rows("seat_marks", {"session_id": session_id}))
        )
        return sorted(marks, key=lambda m: (m.member_id, m.kind.value))

    async def waive_seat_marks(
        self, session_id: str, member_id: str, by: str, at: datetime, since: datetime
    ) -> list[SeatMark]:
        """Waive the member's unwaived penalised marks of the session recorded since `since`."""
        since = ensure_utc(since)
        change = {"waived_by": by, "waived_at": instant(ensure_utc(at))}
        return await self._change(
            session_id, member_id, at, lambda m: not m.waived and m.created_at >= since, change
        )

    async def appeal_seat_marks(
        self, session_id: str, member_id: str, at: datetime
    ) -> list[SeatMark]:
        """Set `appealed_at` on the member's unwaived, unappealed penalised marks."""
        change = {"appealed_at": instant(ensure_utc(at))}
        return await self._change(
            session_id,
            member_id,
            at,
            lambda m: not m.waived and m.appealed_at is None,
            change,
        )

    async def _change(
        self,
        session_id: str,
        member_id: str,
        at: datetime,
        wanted: Callable[[SeatMark], bool],
        change: Row,
    ) -> list[SeatMark]:
        changed: list[SeatMark] = []
        async with self._serialised(f"marks:{session_id}|{member_id}", ensure_utc(at)):
            rows = await self._rows(
                "seat_marks", {"session_id": session_id, "member_id": member_id}
            )
            for row in sorted(rows, key=lambda r: str(r.get("kind"))):
                mark = row_to_mark(row)
                if mark.kind in PENALISED and wanted(mark):
                    await self._overwrite("seat_marks", row, change)  # a twin row too
                    changed.append(row_to_mark(row | change))
        return _unique(changed)  # a lost insert race's twin is still one mark

    async def drop_member_marks(self, member_ids: list[str]) -> int:
        """Delete every mark of these members."""
        dropped = 0
        for member_id in sorted(set(member_ids)):
            for row in await self._rows("seat_marks", {"member_id": member_id}):
                await self.tables.delete(self._t("seat_marks"), self.tables.row_id(row))
                dropped += 1
        return dropped

    async def drop_seat_marks(self, before: datetime) -> int:
        """Delete the marks recorded before `before`."""
        before = ensure_utc(before)
        dropped = 0
        for row in await self._rows("seat_marks", {}):
            if row_to_mark(row).created_at < before:
                await self.tables.delete(self._t("seat_marks"), self.tables.row_id(row))
                dropped += 1
        return dropped


def _unique(marks: Iterable[SeatMark]) -> list[SeatMark]:
    """One mark per session × member × kind (a lost insert race may leave a twin row)."""
    kept: dict[tuple[str, str, str], SeatMark] = {}
    for mark in marks:
        kept.setdefault((mark.session_id, mark.member_id, mark.kind.value), mark)
    return list(kept.values())
