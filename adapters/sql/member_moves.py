"""Moving what was recorded under some member ids onto another, inside the caller's write
transaction (`SqlMembers.link_identity`, `forget_member`).

Where both ids hold a row for the same thing, `core.member_merge` picks the survivor. The
sessions whose RSVPs move are locked first, in id order, as RSVP writes lock them; delivery
rows are read and rewritten in key order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql import rsvp_ops
from adapters.sql.batching import chunks
from adapters.sql.ledger_records import move_ledger
from adapters.sql.mapping import row_to_rsvp
from adapters.sql.rank_records import move_promotions
from adapters.sql.schema import (
    attendance_intervals,
    deferred_deliveries,
    deliveries,
    min_attendance_decisions,
    rsvps,
    seat_marks,
    series,
    standing_rsvps,
    substitute_requests,
    training_sessions,
)
from core.member_merge import better_rsvp, delivery_rank
from core.model import ensure_utc


async def move_records(
    connection: AsyncConnection, ids: list[str], to: str, name: str | None
) -> None:
    """Move every row of `ids` to member `to` (renamed `name` when given), one row
    surviving per thing (`core.member_merge`)."""
    members = [*ids, to]
    await _move_rsvps(connection, ids, members, to, name)
    await _move_stays(connection, ids, members, to, name)
    await _move_standing(connection, ids, members, to, name)
    await _move_deliveries(connection, ids, members, to)
    await _move_held(connection, ids, members, to)
    teacher: dict[str, Any] = {"instructor_id": to}
    if name is not None:
        teacher["instructor_name"] = name
    s = training_sessions.c
    await connection.execute(
        update(training_sessions).where(s.instructor_id.in_(ids)).values(teacher)
    )
    await connection.execute(
        update(training_sessions).where(s.canceled_by.in_(ids)).values(canceled_by=to)
    )
    await connection.execute(update(series).where(series.c.instructor_id.in_(ids)).values(teacher))
    decided = min_attendance_decisions.c.decided_by
    await connection.execute(
        update(min_attendance_decisions).where(decided.in_(ids)).values(decided_by=to)
    )
    for who in ("marked_by", "waived_by"):  # no-show marks: who marked present, who waived
        await connection.execute(
            update(seat_marks).where(seat_marks.c[who].in_(ids)).values({who: to})
        )
    await _move_substitutes(connection, ids, to, name)
    await move_ledger(connection, ids, to, name)
    await move_promotions(connection, ids, to)


async def _move_substitutes(
    connection: AsyncConnection, ids: list[str], to: str, name: str | None
) -> None:
    """Substitute requests: who asked, who was replaced, who took it (names too)."""
    r = substitute_requests.c
    await connection.execute(
        update(substitute_requests).where(r.requested_by.in_(ids)).values(requested_by=to)
    )
    for id_column, name_column in (
        ("instructor_id", "instructor_name"),
        ("substitute_id", "substitute_name"),
    ):
        values: dict[str, Any] = {id_column: to} | ({} if name is None else {name_column: name})
        await connection.execute(
            update(substitute_requests).where(r[id_column].in_(ids)).values(values)
        )


async def _move_rsvps(
    connection: AsyncConnection, ids: list[str], members: list[str], to: str, name: str | None
) -> None:
    v = rsvps.c
    session_ids = sorted(
        set((await connection.scalars(select(v.session_id).where(v.member_id.in_(ids)))).all())
    )
    for session_id in session_ids:  # locked in id order, as RSVP writes lock them
        await rsvp_ops.lock_session(connection, session_id)
        found = await connection.execute(
            select(rsvps).where(v.session_id == session_id, v.member_id.in_(members))
        )
        rows = [row_to_rsvp(r) for r in found.mappings()]
        survivor = rows[0]
        for row in rows[1:]:
            survivor = better_rsvp(survivor, row)
        moved = survivor.model_copy(update={"member_id": to})
        if name is not None:
            moved = moved.model_copy(update={"member_name": name})
        await connection.execute(
            delete(rsvps).where(v.session_id == session_id, v.member_id.in_(members))
        )
        await connection.execute(insert(rsvps), moved.model_dump())


async def _move_stays(
    connection: AsyncConnection, ids: list[str], members: list[str], to: str, name: str | None
) -> None:
    a = attendance_intervals.c
    found = await connection.execute(
        select(a.id, a.session_id, a.member_id, a.joined_at)
        .where(a.member_id.in_(members))
        .order_by(a.id)
    )
    seen: set[tuple[str, datetime]] = set()
    doubled: list[int] = []
    rows = sorted(found, key=lambda r: (r.member_id != to, r.id))  # `to`'s own rows first
    for row in rows:
        stay = (row.session_id, ensure_utc(row.joined_at))
        if stay in seen:
            doubled.append(row.id)
        seen.add(stay)
    for part in chunks(doubled):
        await connection.execute(delete(attendance_intervals).where(a.id.in_(part)))
    renamed: dict[str, Any] = {"member_id": to}
    if name is not None:
        renamed["member_name"] = name
    await connection.execute(
        update(attendance_intervals).where(a.member_id.in_(ids)).values(renamed)
    )


async def _move_standing(
    connection: AsyncConnection, ids: list[str], members: list[str], to: str, name: str | None
) -> None:
    c = standing_rsvps.c
    found = await connection.execute(
        select(c.id, c.series_id, c.member_id).where(c.member_id.in_(members)).order_by(c.id)
    )
    kept: dict[str, Any] = {}
    doubled: list[int] = []
    for row in found:
        if row.series_id in kept:
            doubled.append(row.id)
        else:
            kept[row.series_id] = row
    for part in chunks(doubled):
        await connection.execute(delete(standing_rsvps).where(c.id.in_(part)))
    renamed: dict[str, Any] = {"member_id": to}
    if name is not None:
        renamed["member_name"] = name
    moved = [r.id for r in kept.values() if r.member_id in ids]
    for part in chunks(moved):
        await connection.execute(update(standing_rsvps).where(c.id.in_(part)).values(renamed))


async def _move_deliveries(
    connection: AsyncConnection, ids: list[str], members: list[str], to: str
) -> None:
    def rank(row: Any) -> tuple[Any, ...]:
        return (delivery_rank(row["claimed_at"], row["sent_at"]), row["recipient_id"] != to)

    await _merge_per_key(connection, deliveries, members, to, rank)


async def _move_held(
    connection: AsyncConnection, ids: list[str], members: list[str], to: str
) -> None:
    def rank(row: Any) -> tuple[Any, ...]:
        return (row["due_at"], row["recipient_id"] != to)

    await _merge_per_key(connection, deferred_deliveries, members, to, rank)


async def _merge_per_key(
    connection: AsyncConnection,
    table: Table,
    members: list[str],
    to: str,
    rank: Callable[[Any], tuple[Any, ...]],
) -> None:
    """Rows of `table` (keyed by session, recipient, kind and start) of `members` go to
    `to`: per session, kind and start the best ranked (lowest) survives, read and rewritten
    in key order."""
    c = table.c
    found = await connection.execute(
        select(table)
        .where(c.recipient_id.in_(members))
        .order_by(c.session_id, c.kind, c.start_time, c.recipient_id)
    )
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for row in found.mappings():
        groups.setdefault((row["session_id"], row["kind"], row["start_time"]), []).append(row)
    for (session_id, kind, start), rows in groups.items():
        if all(r["recipient_id"] == to for r in rows):
            continue
        best = min(rows, key=rank)
        await connection.execute(
            delete(table).where(
                c.session_id == session_id,
                c.kind == kind,
                c.start_time == start,
                c.recipient_id.in_(members),
            )
        )
        await connection.execute(insert(table), dict(best) | {"recipient_id": to})
