"""Moving what was recorded under some member ids onto another (`ZeroDBMembers`' link and
forget), as a series of single-row writes under the members' lease.

Where both ids hold a row for the same thing, `core.member_merge` picks the survivor. Each
session whose RSVPs move is held under its own lease meanwhile, as RSVP writes hold it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from adapters.zerodb.host import ZeroDBHost
from adapters.zerodb.rank_records import move_promotions
from adapters.zerodb.rows import parse_instant, row_to_rsvp
from adapters.zerodb.substitute_records import row_to_request
from core.member_merge import delivery_rank, rsvp_rank
from core.substitutes import moved_members

Row = dict[str, Any]
HELD_KEY = "held_key"
CHUNK = 100


class ZeroDBMemberMoves(ZeroDBHost):
    """Mixed into ZeroDBSessionStore (through ZeroDBMembers), whose helpers it uses."""

    if TYPE_CHECKING:  # adapters/zerodb/ledger_records.py, mixed in beside this

        async def _move_ledger(self, ids: list[str], to: str, name: str | None) -> None: ...

    async def _drop(self, logical: str, row: Row) -> None:
        await self.tables.delete(self._t(logical), self.tables.row_id(row))

    async def _rows_in(self, logical: str, field: str, values: list[str]) -> list[Row]:
        found: list[Row] = []
        wanted = sorted(set(values))
        for start in range(0, len(wanted), CHUNK):
            found += await self._rows(logical, {field: {"$in": wanted[start : start + CHUNK]}})
        return found

    # moving records -----------------------------------------------------------------------
    async def _move_records(self, ids: list[str], to: str, name: str | None, now: datetime) -> None:
        members = [*ids, to]
        renamed: Row = {"member_id": to} | ({} if name is None else {"member_name": name})
        await self._move_rsvps(ids, members, renamed, now)
        await self._move_stays(ids, members, to, renamed)
        await self._move_standing(ids, members, renamed)
        await self._move_deliveries(ids, members, to)
        await self._move_held(ids, members, to)
        teacher: Row = {"instructor_id": to} | ({} if name is None else {"instructor_name": name})
        for row in await self._rows_in("training_sessions", "instructor_id", ids):
            await self._overwrite("training_sessions", row, teacher)
        for row in await self._rows_in("training_sessions", "canceled_by", ids):
            await self._overwrite("training_sessions", row, {"canceled_by": to})
        for row in await self._rows_in("series", "instructor_id", ids):
            await self._overwrite("series", row, teacher)
        for row in await self._rows_in("min_attendance_decisions", "decided_by", ids):
            await self._overwrite("min_attendance_decisions", row, {"decided_by": to})
        for who in ("marked_by", "waived_by"):  # no-show marks: who marked present, who waived
            for row in await self._rows_in("seat_marks", who, ids):
                await self._overwrite("seat_marks", row, {who: to})
        await self._move_substitutes(ids, to, name)
        await move_promotions(self, ids, to)
        await self._move_ledger(ids, to, name)

    async def _move_substitutes(self, ids: list[str], to: str, name: str | None) -> None:
        """Substitute requests: who asked, who was replaced, who took it (names too)."""
        wanted = set(ids)
        seen: set[str] = set()
        for column in ("requested_by", "instructor_id", "substitute_id"):
            for row in await self._rows_in("substitute_requests", column, ids):
                key = str(self.tables.row_id(row))
                if key in seen:
                    continue
                seen.add(key)
                moved = moved_members(row_to_request(row), wanted, to, name)
                if moved:
                    await self._overwrite("substitute_requests", row, moved)

    async def _move_rsvps(
        self, ids: list[str], members: list[str], renamed: Row, now: datetime
    ) -> None:
        sessions = sorted(
            {str(r["session_id"]) for r in await self._rows_in("rsvps", "member_id", ids)}
        )
        for session_id in sessions:
            async with self._serialised(session_id, now):
                rows = await self._rows(
                    "rsvps", {"session_id": session_id, "member_id": {"$in": members}}
                )
                best = min(rows, key=lambda r: rsvp_rank(row_to_rsvp(r)))
                for row in rows:
                    if row is not best:
                        await self._drop("rsvps", row)
                await self._overwrite("rsvps", best, renamed)

    async def _move_stays(self, ids: list[str], members: list[str], to: str, renamed: Row) -> None:
        rows = await self._rows_in("attendance_intervals", "member_id", members)
        rows.sort(key=lambda r: r["member_id"] != to)
        seen: set[tuple[str, str]] = set()
        for row in rows:
            stay = (str(row["session_id"]), str(row["joined_at"]))
            if stay in seen:
                await self._drop("attendance_intervals", row)
            elif row["member_id"] in ids:
                key = f"{stay[0]}|{to}|{stay[1]}"
                await self._overwrite("attendance_intervals", row, renamed | {"stay_key": key})
            seen.add(stay)

    async def _move_standing(self, ids: list[str], members: list[str], renamed: Row) -> None:
        rows = await self._rows_in("standing_rsvps", "member_id", members)
        rows.sort(key=lambda r: int(r.get("seq", 0)))
        kept: set[str] = set()
        for row in rows:
            if row["series_id"] in kept:
                await self._drop("standing_rsvps", row)
                continue
            kept.add(str(row["series_id"]))
            if row["member_id"] in ids:
                await self._overwrite("standing_rsvps", row, renamed)

    async def _move_deliveries(self, ids: list[str], members: list[str], to: str) -> None:
        groups: dict[tuple[str, str, str], dict[str, list[Row]]] = {}
        for row in await self._rows_in("deliveries", "recipient_id", members):
            thing = (str(row["session_id"]), str(row["kind"]), str(row["start_time"]))
            groups.setdefault(thing, {}).setdefault(str(row["recipient_id"]), []).append(row)
        for by_recipient in groups.values():
            if set(by_recipient) == {to}:
                continue
            best = min(by_recipient, key=lambda r: (_claim_rank(by_recipient[r]), r != to))
            for recipient, rows in by_recipient.items():
                for row in rows:
                    if recipient != best:
                        await self._drop("deliveries", row)
                    elif recipient != to:
                        await self._overwrite("deliveries", row, {"recipient_id": to})

    async def _move_held(self, ids: list[str], members: list[str], to: str) -> None:
        groups: dict[tuple[str, str, str], list[Row]] = {}
        for row in await self._rows_in("deferred_deliveries", "recipient_id", members):
            thing = (str(row["session_id"]), str(row["kind"]), str(row["start_time"]))
            groups.setdefault(thing, []).append(row)
        for (session_id, kind, start), rows in groups.items():
            if all(r["recipient_id"] == to for r in rows):
                continue
            rows.sort(key=lambda r: (str(r["due_at"]), r["recipient_id"] != to))
            for row in rows[1:]:
                await self._drop("deferred_deliveries", row)
            key = "|".join((session_id, to, kind, start))
            await self._overwrite(
                "deferred_deliveries", rows[0], {"recipient_id": to, HELD_KEY: key}
            )


def _claim_rank(rows: list[Row]) -> tuple[int, float]:
    """A recipient's delivery rows ranked like `core.member_merge.delivery_rank`."""
    sent = [parse_instant(str(r["sent_at"])) for r in rows if r.get("sent_at") is not None]
    if sent:
        return delivery_rank(min(sent), min(sent))
    claims = [parse_instant(str(r["claimed_at"])) for r in rows if r.get("claimed_at")]
    return delivery_rank(max(claims), None) if claims else (2, 0.0)
