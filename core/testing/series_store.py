"""The weekly-series part of `InMemorySessionStore` (same rules as the SQL adapter)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from core.errors import InvalidState
from core.series import Series, SeriesSkip, SeriesStatus, StandingRsvp


class InMemorySeries:
    """Series, standing RSVPs and skipped days in dicts; copies in and out."""

    _lock: asyncio.Lock

    def __init__(self) -> None:
        self._series: dict[str, Series] = {}
        self._standing: dict[str, list[StandingRsvp]] = {}
        self._skips: dict[str, dict[date, SeriesSkip]] = {}

    async def add_series(self, series: Series) -> None:
        """Insert a new series (InvalidState when the id is taken)."""
        async with self._lock:
            if series.id in self._series:
                raise InvalidState(f"A series with id {series.id} already exists.")
            self._series[series.id] = series.model_copy(deep=True)

    async def get_series(self, series_id: str) -> Series | None:
        """The series with this id, or None."""
        found = self._series.get(series_id)
        return None if found is None else found.model_copy(deep=True)

    async def save_series(self, series: Series, expected_sequence: int) -> bool:
        """Overwrite if the stored sequence is still `expected_sequence`."""
        async with self._lock:
            stored = self._series.get(series.id)
            if stored is None or stored.sequence != expected_sequence:
                return False
            kept = series.model_copy(deep=True)
            kept.materialised_until = stored.materialised_until
            self._series[series.id] = kept
            return True

    async def list_series(self, status: SeriesStatus | None = None) -> list[Series]:
        """Every series (with `status`), oldest first."""
        found = [s for s in self._series.values() if status is None or s.status is status]
        found.sort(key=lambda s: (s.created_at, s.id))
        return [s.model_copy(deep=True) for s in found]

    async def mark_materialised(self, series_id: str, until: datetime, now: datetime) -> None:
        """Move `materialised_until` forward to `until` (never back)."""
        async with self._lock:
            stored = self._series.get(series_id)
            if stored is not None and (
                stored.materialised_until is None or stored.materialised_until < until
            ):
                stored.materialised_until = until

    async def add_standing_rsvp(self, rsvp: StandingRsvp) -> bool:
        """Append a standing RSVP; False when the member already has one."""
        async with self._lock:
            rows = self._standing.setdefault(rsvp.series_id, [])
            if any(r.member_id == rsvp.member_id for r in rows):
                return False
            rows.append(rsvp.model_copy(deep=True))
            return True

    async def remove_standing_rsvp(self, series_id: str, member_id: str) -> bool:
        """Drop a standing RSVP; False when there was none."""
        async with self._lock:
            rows = self._standing.get(series_id, [])
            kept = [r for r in rows if r.member_id != member_id]
            self._standing[series_id] = kept
            return len(kept) != len(rows)

    async def list_standing_rsvps(self, series_id: str) -> list[StandingRsvp]:
        """In the order they were made."""
        return [r.model_copy(deep=True) for r in self._standing.get(series_id, [])]

    async def add_series_skip(self, skip: SeriesSkip) -> bool:
        """Record a skipped day; False when already skipped."""
        async with self._lock:
            days = self._skips.setdefault(skip.series_id, {})
            if skip.day in days:
                return False
            days[skip.day] = skip.model_copy(deep=True)
            return True

    async def list_series_skips(self, series_id: str) -> list[SeriesSkip]:
        """Earliest first."""
        days = self._skips.get(series_id, {})
        return [days[d].model_copy(deep=True) for d in sorted(days)]
