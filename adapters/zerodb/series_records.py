"""The weekly-series part of `ZeroDBSessionStore`: series, standing RSVPs and skipped days.

Rows are flat like the SQL tables (`rule_<field>`, `origin_<field>`). Writes that must be
atomic across processes (a compare-and-set of a series, the order of standing RSVPs) run
under the series' lease row, as RSVP writes run under their session's.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import date, datetime, time
from typing import Any

from adapters.zerodb.host import ZeroDBHost
from adapters.zerodb.rows import instant, json_value, parse_instant
from core.errors import InvalidState
from core.series import Series, SeriesSkip, SeriesStatus, StandingRsvp

Row = dict[str, Any]
SERIES_TABLES = {
    "series": "Weekly classes (one row per series)",
    "standing_rsvps": "Members going to every occurrence of a series",
    "series_skips": "Days a series doesn't meet",
}
_RULE = ("weekdays", "local_time", "timezone", "first_day", "until", "interval_weeks")
_ORIGIN = ("platform", "workspace_id", "channel_id", "message_ref")
_TIMES = ("materialised_until", "created_at", "updated_at")


def series_to_row(item: Series) -> Row:
    """The `series` row (rule and origin flattened, instants and dates as strings)."""
    row = {k: json_value(v) for k, v in item.model_dump(exclude={"rule", "origin", "id"}).items()}
    rule = item.rule
    row |= {
        "series_id": item.id,
        "rule_weekdays": sorted(rule.weekdays),
        "rule_local_time": rule.local_time.isoformat(timespec="minutes"),
        "rule_timezone": rule.timezone,
        "rule_first_day": rule.first_day.isoformat(),
        "rule_until": rule.until.isoformat(),
        "rule_interval_weeks": rule.interval_weeks,
    }
    for name in _ORIGIN:
        row[f"origin_{name}"] = None if item.origin is None else getattr(item.origin, name)
    return row


def row_to_series(row: Row) -> Series:
    """Rebuild a series from its row."""
    data = {name: row.get(name) for name in Series.model_fields if name not in ("rule", "origin")}
    data["id"] = row["series_id"]
    for name in _TIMES:
        data[name] = None if row.get(name) is None else parse_instant(row[name])
    data["rule"] = {
        "weekdays": row["rule_weekdays"],
        "local_time": time.fromisoformat(row["rule_local_time"]),
        "timezone": row["rule_timezone"],
        "first_day": date.fromisoformat(row["rule_first_day"]),
        "until": date.fromisoformat(row["rule_until"]),
        "interval_weeks": row["rule_interval_weeks"],
    }
    origin = {name: row.get(f"origin_{name}") for name in _ORIGIN}
    data["origin"] = None if origin["platform"] is None else origin
    return Series.model_validate({k: v for k, v in data.items() if v is not None})


class ZeroDBSeries(ZeroDBHost):
    """Mixed into ZeroDBSessionStore, whose table helpers and leases it uses."""

    async def _insert(self, logical: str, row: Row) -> None:
        await self.tables.insert(self._t(logical), [row])

    async def _remove(self, logical: str, row: Row) -> None:
        await self.tables.delete(self._t(logical), self.tables.row_id(row))

    def _series_lease(self, series_id: str, now: datetime) -> AbstractAsyncContextManager[None]:
        return self._serialised(f"series:{series_id}", now)

    async def add_series(self, item: Series) -> None:
        """Insert a new series (InvalidState when the id is taken)."""
        if not await self._add_once("series", "series_id", item.id, series_to_row(item)):
            raise InvalidState(f"A series with id {item.id} already exists.")

    async def get_series(self, series_id: str) -> Series | None:
        """The series with this id, or None."""
        row = await self._first("series", {"series_id": series_id})
        return None if row is None else row_to_series(row)

    async def save_series(self, item: Series, expected_sequence: int) -> bool:
        """Overwrite if the stored sequence is still `expected_sequence`."""
        async with self._series_lease(item.id, item.updated_at):
            stored = await self._first("series", {"series_id": item.id})
            if stored is None or stored.get("sequence") != expected_sequence:
                return False
            row = series_to_row(item)
            row["materialised_until"] = stored.get("materialised_until")
            await self._overwrite("series", stored, row)
            return True

    async def list_series(self, status: SeriesStatus | None = None) -> list[Series]:
        """Every series (with `status`), oldest first."""
        filters = {} if status is None else {"status": status.value}
        found = [row_to_series(row) for row in await self._rows("series", filters)]
        return sorted(found, key=lambda s: (s.created_at, s.id))

    async def mark_materialised(self, series_id: str, until: datetime, now: datetime) -> None:
        """Move `materialised_until` forward to `until` (never back)."""
        async with self._series_lease(series_id, now):
            stored = await self._first("series", {"series_id": series_id})
            if stored is None:
                return
            known = stored.get("materialised_until")
            if known is None or parse_instant(known) < until:
                await self._overwrite("series", stored, {"materialised_until": instant(until)})

    async def add_standing_rsvp(self, rsvp: StandingRsvp) -> bool:
        """Append a standing RSVP (numbered after the others); False when already there."""
        async with self._series_lease(rsvp.series_id, rsvp.created_at):
            rows = await self._rows("standing_rsvps", {"series_id": rsvp.series_id})
            if any(r.get("member_id") == rsvp.member_id for r in rows):
                return False
            row = {k: json_value(v) for k, v in rsvp.model_dump().items()}
            row["seq"] = 1 + max((int(r.get("seq", 0)) for r in rows), default=0)
            await self._insert("standing_rsvps", row)
            return True

    async def remove_standing_rsvp(self, series_id: str, member_id: str) -> bool:
        """Drop a standing RSVP; False when there was none."""
        filters = {"series_id": series_id, "member_id": member_id}
        rows = await self._rows("standing_rsvps", filters)
        for row in rows:
            await self._remove("standing_rsvps", row)
        return bool(rows)

    async def list_standing_rsvps(self, series_id: str) -> list[StandingRsvp]:
        """In the order they were made."""
        rows = sorted(
            await self._rows("standing_rsvps", {"series_id": series_id}),
            key=lambda r: int(r.get("seq", 0)),
        )
        return [
            StandingRsvp(
                series_id=r["series_id"],
                member_id=r["member_id"],
                member_name=r["member_name"],
                created_at=parse_instant(r["created_at"]),
            )
            for r in rows
        ]

    async def add_series_skip(self, skip: SeriesSkip) -> bool:
        """Record a skipped day; False when already skipped."""
        key = f"{skip.series_id}|{skip.day.isoformat()}"
        row = {
            "skip_key": key,
            "series_id": skip.series_id,
            "day": skip.day.isoformat(),
            "reason": skip.reason,
            "created_at": instant(skip.created_at),
        }
        return await self._add_once("series_skips", "skip_key", key, row)

    async def list_series_skips(self, series_id: str) -> list[SeriesSkip]:
        """Earliest first."""
        rows = await self._rows("series_skips", {"series_id": series_id})
        skips = [
            SeriesSkip(
                series_id=r["series_id"],
                day=date.fromisoformat(r["day"]),
                reason=r.get("reason") or "",
                created_at=parse_instant(r["created_at"]),
            )
            for r in rows
        ]
        return sorted(skips, key=lambda s: s.day)
