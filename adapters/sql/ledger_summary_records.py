"""The overview's aggregated ledger read for `SqlSessionStore` (`core.ledger_summary`):
two GROUP BY queries on `training_ledger`, over the range the index on `starts_at` finds,
instead of streaming every entry. The week of a row is a CASE over the caller's bounds, so
SQLite and PostgreSQL need no date functions (and agree with `summarize` exactly)."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime

from sqlalchemy import String, and_, case, distinct, func, literal, literal_column, select, true
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.schema import training_ledger
from core.ledger_summary import (
    ClassTotal,
    LedgerSummary,
    SessionTotals,
    WeekTotals,
    check_bounds,
)

_l = training_ledger.c


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
        in_range = and_(_l.starts_at >= bounds[0], _l.starts_at < bounds[-1])
        if series_id is not None:
            in_range = and_(in_range, _l.series_id == series_id)
        week = case(*[(_l.starts_at < end, i) for i, end in enumerate(bounds[1:])], else_=-1)
        attended = _l.attended == true()
        weekly = (
            select(
                week.label("week"),
                func.count(distinct(_l.session_id)),
                func.count(distinct(case((attended, _l.member_id)))),
            )
            .where(in_range)
            .group_by(literal_column("week"))
        )
        key = func.coalesce(_l.series_id, literal("title:", String).concat(_l.title))
        classes = (
            select(key.label("class_key"), func.min(_l.title), func.count().label("n"))
            .where(in_range, attended)
            .group_by(literal_column("class_key"))
            .order_by(literal_column("n").desc(), literal_column("class_key"))
            .limit(max(0, busiest))
        )
        per_session = (
            select(
                _l.session_id,
                func.min(_l.starts_at),
                func.count(case((attended, 1))),
                func.count(case((and_(~attended, _l.seconds_present == 0), 1))),
            )
            .where(in_range)
            .group_by(_l.session_id)
        )
        async with self._read(statements=3) as connection:
            counts = {
                int(w): (int(s), int(m)) for w, s, m in (await connection.execute(weekly)).all()
            }
            ranked = (await connection.execute(classes)).all() if busiest > 0 else []
            rows = (await connection.execute(per_session)).all() if series_id else []
        sessions = sorted(
            (
                SessionTotals(session_id=sid, starts_at=at, attended=int(a), no_presence=int(n))
                for sid, at, a, n in rows
            ),
            key=lambda s: (s.starts_at, s.session_id),
        )
        return LedgerSummary(
            weeks=[
                WeekTotals(
                    starts=start,
                    sessions=counts.get(i, (0, 0))[0],
                    members=counts.get(i, (0, 0))[1],
                )
                for i, start in enumerate(bounds[:-1])
            ],
            busiest=[ClassTotal(title=title, attendances=int(n)) for _, title, n in ranked],
            sessions=sessions,
        )
