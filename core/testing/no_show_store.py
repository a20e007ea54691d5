"""The no-show part of `InMemorySessionStore`: seat marks (same rules as the SQL adapter)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from core.model import ensure_utc
from core.seat_marks import PENALISED, MarkKind, SeatMark

MarkKey = tuple[str, str, MarkKind]


def mark_key(mark: SeatMark) -> MarkKey:
    """The unique key of a mark: session × member × kind."""
    return (mark.session_id, mark.member_id, mark.kind)


def _order(mark: SeatMark) -> tuple[datetime, str, str]:
    return (mark.created_at, mark.session_id, mark.kind.value)


class InMemoryNoShows:
    """Seat marks in a dict by their unique key; copies in and out."""

    _lock: asyncio.Lock

    def __init__(self) -> None:
        self._marks: dict[MarkKey, SeatMark] = {}

    async def add_seat_mark(self, mark: SeatMark) -> bool:
        """Insert unless the session × member × kind has a mark (True: written)."""
        async with self._lock:
            key = mark_key(mark)
            if key in self._marks:
                return False
            self._marks[key] = mark.model_copy(deep=True)
            return True

    async def list_seat_marks(self, member_ids: list[str], since: datetime) -> list[SeatMark]:
        """These members' marks recorded at or after `since`, oldest first."""
        since = ensure_utc(since)
        wanted = set(member_ids)
        found = [m for m in self._marks.values() if m.member_id in wanted and m.created_at >= since]
        return [m.model_copy(deep=True) for m in sorted(found, key=_order)]

    async def list_session_marks(self, session_id: str) -> list[SeatMark]:
        """Every mark of the session, by member then kind."""
        found = [m for key, m in self._marks.items() if key[0] == session_id]
        found.sort(key=lambda m: (m.member_id, m.kind.value))
        return [m.model_copy(deep=True) for m in found]

    async def waive_seat_marks(
        self, session_id: str, member_id: str, by: str, at: datetime, since: datetime
    ) -> list[SeatMark]:
        """Waive the member's unwaived penalised marks of the session recorded since `since`."""
        at, since = ensure_utc(at), ensure_utc(since)
        changed = []
        async with self._lock:
            for kind in PENALISED:
                mark = self._marks.get((session_id, member_id, kind))
                if mark is None or mark.waived or mark.created_at < since:
                    continue
                mark.waived_by, mark.waived_at = by, at
                changed.append(mark.model_copy(deep=True))
        return changed

    async def appeal_seat_marks(
        self, session_id: str, member_id: str, at: datetime
    ) -> list[SeatMark]:
        """Set `appealed_at` on the member's unwaived, unappealed penalised marks."""
        at = ensure_utc(at)
        changed = []
        async with self._lock:
            for kind in PENALISED:
                mark = self._marks.get((session_id, member_id, kind))
                if mark is None or mark.waived or mark.appealed_at is not None:
                    continue
                mark.appealed_at = at
                changed.append(mark.model_copy(deep=True))
        return changed

    async def drop_member_marks(self, member_ids: list[str]) -> int:
        """Delete every mark of these members."""
        wanted = set(member_ids)
        async with self._lock:
            gone = [key for key in self._marks if key[1] in wanted]
            for key in gone:
                del self._marks[key]
            return len(gone)

    async def drop_seat_marks(self, before: datetime) -> int:
        """Delete the marks recorded before `before`."""
        before = ensure_utc(before)
        async with self._lock:
            old = [key for key, m in self._marks.items() if m.created_at < before]
            for key in old:
                del self._marks[key]
            return len(old)
