"""The weekly-series part of `SqlSessionStore`: series, standing RSVPs and skipped days."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime, time
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.schema import series, series_skips, standing_rsvps
from core.errors import InvalidState
from core.series import Series, SeriesSkip, SeriesStatus, StandingRsvp

_RULE = ("weekdays", "local_time", "timezone", "first_day", "until", "interval_weeks")
_ORIGIN = ("platform", "workspace_id", "channel_id", "message_ref")


def series_to_row(item: Series) -> dict[str, Any]:
    """The `series` row (rule and origin flattened)."""
    row = item.model_dump(mode="python", exclude={"rule", "origin"})
    rule = item.rule
    row |= {
        "rule_weekdays": sorted(rule.weekdays),
        "rule_local_time": rule.local_time.isoformat(timespec="minutes"),
        "rule_timezone": rule.timezone,
        "rule_first_day": rule.first_day,
        "rule_until": rule.until,
        "rule_interval_weeks": rule.interval_weeks,
    }
    for name in _ORIGIN:
        row[f"origin_{name}"] = None if item.origin is None else getattr(item.origin, name)
    return row


def row_to_series(row: Any) -> Series:
    """Rebuild a series from its row."""
    data = {k: v for k, v in row.items() if not k.startswith(("rule_", "origin_"))}
    data["rule"] = {name: row[f"rule_{name}"] for name in _RULE}
    data["rule"]["local_time"] = time.fromisoformat(row["rule_local_time"])
    origin = {name: row[f"origin_{name}"] for name in _ORIGIN}
    data["origin"] = None if origin["platform"] is None else origin
    return Series.model_validate(data)


class SqlSeries:
    """Mixed into SqlSessionStore, whose transactions it uses."""

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    def _read(self, statements: int = 1) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    async def add_series(self, item: Series) -> None:
        """Insert a new series (InvalidState when the id is taken)."""
        try:
            async with self._write() as connection:
                await connection.execute(series.insert(), series_to_row(item))
        except IntegrityError as error:
            raise InvalidState(f"A series with id {item.id} already exists.") from error

    async def get_series(self, series_id: str) -> Series | None:
        """The series with this id, or None."""
        async with self._read() as connection:
            row = (
                (await connection.execute(select(series).where(series.c.id == series_id)))
                .mappings()
                .first()
            )
        return None if row is None else row_to_series(row)

    async def save_series(self, item: Series, expected_sequence: int) -> bool:
        """Overwrite if the stored sequence is still `expected_sequence`."""
        row = series_to_row(item)
        del row["materialised_until"]
        async with self._write() as connection:
            result = await connection.execute(
                update(series)
                .where(series.c.id == item.id, series.c.sequence == expected_sequence)
                .values(row)
            )
        return bool(result.rowcount)

    async def list_series(self, status: SeriesStatus | None = None) -> list[Series]:
        """Every series (with `status`), oldest first."""
        query = select(series).order_by(series.c.created_at, series.c.id)
        if status is not None:
            query = query.where(series.c.status == status.value)
        async with self._read() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [row_to_series(row) for row in rows]

    async def mark_materialised(self, series_id: str, until: datetime, now: datetime) -> None:
        """Move `materialised_until` forward to `until` (never back)."""
        column = series.c.materialised_until
        async with self._write() as connection:
            await connection.execute(
                update(series)
                .where(series.c.id == series_id, or_(column.is_(None), column < until))
                .values(materialised_until=until)
            )

    async def add_standing_rsvp(self, rsvp: StandingRsvp) -> bool:
        """Append a standing RSVP; False when the member already has one."""
        try:
            async with self._write() as connection:
                await connection.execute(standing_rsvps.insert(), rsvp.model_dump())
        except IntegrityError:
            return False
        return True

    async def remove_standing_rsvp(self, series_id: str, member_id: str) -> bool:
        """Drop a standing RSVP; False when there was none."""
        c = standing_rsvps.c
        async with self._write() as connection:
            result = await connection.execute(
                standing_rsvps.delete().where(c.series_id == series_id, c.member_id == member_id)
            )
        return bool(result.rowcount)

    async def list_standing_rsvps(self, series_id: str) -> list[StandingRsvp]:
        """In the order they were made."""
        c = standing_rsvps.c
        query = select(c.series_id, c.member_id, c.member_name, c.created_at)
        async with self._read() as connection:
            rows = await connection.execute(query.where(c.series_id == series_id).order_by(c.id))
        return [StandingRsvp.model_validate(dict(row)) for row in rows.mappings()]

    async def add_series_skip(self, skip: SeriesSkip) -> bool:
        """Record a skipped day; False when already skipped."""
        try:
            async with self._write() as connection:
                await connection.execute(series_skips.insert(), skip.model_dump())
        except IntegrityError:
            return False
        return True

    async def list_series_skips(self, series_id: str) -> list[SeriesSkip]:
        """Earliest first."""
        c = series_skips.c
        query = select(series_skips).where(c.series_id == series_id).order_by(c.day)
        async with self._read() as connection:
            rows = await connection.execute(query)
        return [SeriesSkip.model_validate(dict(row)) for row in rows.mappings()]
