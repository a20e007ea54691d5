"""The overview's aggregated ledger read for `SqlSessionStore` (`core.ledger_summary`),
counted by the database over the range the index on `starts_at` finds, in query shapes
that never sort the whole range (the first shape, one GROUP BY over a CASE of the week
and two DISTINCT counts, sorted ~320,000 rows three times for the 12-week overview):

- One GROUP BY (starts_at, session_id), the order of `LEDGER_ORDER_INDEX`, so it streams:
  per session its entries, attended and no-presence entries, and the smallest and largest
  series id and title. That gives the sessions per week and, for each session whose
  entries all name one class, its attended entries; a session whose entries differ in
  series or title is counted again by (series, title), exactly.
- The distinct attending members of each week, each week its own index range and its
  own small GROUP BY (one UNION ALL, built once per number of weeks).

The rules (which class an entry counts for, the ranking, the week of an instant) are
`core.ledger_summary`'s; the bounds come from the caller, so no date function is needed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    select,
    true,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.schema import training_ledger
from core.ledger_summary import (
    ClassTally,
    ClassTotal,
    LedgerSummary,
    SessionTotals,
    WeekTotals,
    check_bounds,
    merged_totals,
    week_index,
)

_l = training_ledger.c
_ATTENDED = _l.attended == true()


class SqlLedgerSummary:
    """Mixed into SqlSessionStore, whose reads it uses."""

    def _read(self, statements: int = 1) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    async def ledger_summary(
        self, bounds: list[datetime], busiest: int, series_id: str | None = None
    ) -> LedgerSummary:
        """Sessions and attending members per week of `bounds`, the busiest classes; with
        `series_id`, of that class only (its index), with its per-session totals."""
        check_bounds(bounds)
        scope: list[ColumnElement[bool]] = [_l.starts_at >= bounds[0], _l.starts_at < bounds[-1]]
        if series_id is not None:
            scope.append(_l.series_id == series_id)
        async with self._read(statements=3) as connection:
            rows = (await connection.execute(per_session(scope, series_id))).all()
            weekly = await connection.execute(*members(bounds, series_id))
            attending = {int(week): int(n) for week, n in weekly.all()}
            mixed = sorted({str(row[1]) for row in rows if row[3] and one_class(row) is None})
            by_class = (
                (await connection.execute(_by_class(scope, mixed))).all()
                if mixed and busiest > 0
                else []
            )
        sessions: dict[int, set[str]] = defaultdict(set)
        for row in rows:
            sessions[week_index(bounds, row[0])].add(str(row[1]))
        return LedgerSummary(
            weeks=[
                WeekTotals(starts=start, sessions=len(sessions[i]), members=attending.get(i, 0))
                for i, start in enumerate(bounds[:-1])
            ],
            busiest=_ranked(rows, set(mixed), by_class, busiest),
            sessions=_session_totals(rows) if series_id is not None else [],
        )


def per_session(scope: list[ColumnElement[bool]], series_id: str | None) -> Any:
    """Per (starts_at, session_id), in index order: entries, attended entries, the
    smallest and largest series id, how many have one, the smallest and largest title;
    with `series_id` also the entries with no presence (not attended)."""
    columns: list[Any] = [
        _l.starts_at,
        _l.session_id,
        func.count(),
        func.sum(cast(_l.attended, Integer)),
        func.min(_l.series_id),
        func.max(_l.series_id),
        func.count(_l.series_id),
        func.min(_l.title),
        func.max(_l.title),
    ]
    if series_id is not None:
        columns.append(func.count(case((and_(~_ATTENDED, _l.seconds_present == 0), 1))))
    return select(*columns).where(*scope).group_by(_l.starts_at, _l.session_id)


def one_class(row: Sequence[Any]) -> tuple[str | None, str] | None:
    """The (series id, title) every entry of a `per_session` row has, or None when they
    differ (then they are counted by `_by_class`)."""
    _, _, entries, _, low_series, high_series, with_series, low_title, high_title = row[:9]
    if low_series != high_series or with_series not in (0, entries) or low_title != high_title:
        return None
    return (None if low_series is None else str(low_series)), str(low_title)


def members(bounds: list[datetime], series_id: str | None) -> tuple[Any, dict[str, Any]]:
    """(week, distinct attending members) of each week of `bounds` (weeks with none may
    be missing): the statement and its parameters."""
    values: dict[str, Any] = {f"b{i}": bound for i, bound in enumerate(bounds)}
    if series_id is not None:
        values["series_id"] = series_id
    return _members_statement(len(bounds) - 1, series_id is not None), values


@lru_cache(maxsize=16)
def _members_statement(weeks: int, one_series: bool) -> Any:
    parts = []
    for i in range(weeks):
        where = [
            _l.starts_at >= bindparam(f"b{i}", type_=_l.starts_at.type),
            _l.starts_at < bindparam(f"b{i + 1}", type_=_l.starts_at.type),
            _ATTENDED,
        ]
        if one_series:
            where.append(_l.series_id == bindparam("series_id", type_=_l.series_id.type))
        attending = select(_l.member_id).where(*where).group_by(_l.member_id).subquery()
        parts.append(select(literal(i), func.count()).select_from(attending))
    return union_all(*parts)


def _by_class(scope: list[ColumnElement[bool]], session_ids: list[str]) -> Any:
    """(series id, title, attended entries) of these sessions' attended entries."""
    return (
        select(_l.series_id, _l.title, func.count())
        .where(*scope, _ATTENDED, _l.session_id.in_(session_ids))
        .group_by(_l.series_id, _l.title)
    )


def _ranked(
    rows: Sequence[Any], mixed: set[str], by_class: Sequence[Any], busiest: int
) -> list[ClassTotal]:
    classes = ClassTally()
    for row in rows:
        attended, found = int(row[3] or 0), one_class(row)
        if attended and found is not None and str(row[1]) not in mixed:
            classes.add(*found, attended)
    for series_id, title, attended in by_class:
        classes.add(series_id, str(title), int(attended))
    return classes.ranked(busiest)


def _session_totals(rows: Sequence[Any]) -> list[SessionTotals]:
    return merged_totals(
        SessionTotals(
            session_id=str(row[1]),
            starts_at=row[0],
            attended=int(row[3] or 0),
            no_presence=int(row[9]),
        )
        for row in rows
    )
