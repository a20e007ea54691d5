"""The promotions part of `ZeroDBSessionStore`: rank promotions (`core.ranks.Promotion`).

Rows carry `promotion_id` (the promotion's id; `id` is the server's). ZeroDB has no
transactions, so a save or a delete runs under a lease of its own per promotion
(`promotion:<id>`): read, then insert once (`_add_once`), overwrite or delete; what it
replaced or removed goes to one caller.
"""

from __future__ import annotations

from datetime import datetime

from adapters.zerodb.host import ZeroDBHost
from adapters.zerodb.rows import _dump, row_to_record
from adapters.zerodb.tables import Row
from core.ranks import Promotion

PROMOTION_TABLES = {"rank_promotions": "Rank promotions (one row per promotion)"}
_TABLE = "rank_promotions"
_KEY = "promotion_id"
_CHUNK = 100


def promotion_to_row(promotion: Promotion) -> Row:
    """The stored row of a promotion (dates and instants as strings)."""
    return _dump(promotion, id=_KEY) | {"promoted_on": promotion.promoted_on.isoformat()}


def row_to_promotion(row: Row) -> Promotion:
    """Rebuild a promotion from its stored row."""
    return row_to_record(Promotion, {**row, "id": row[_KEY]})


def promotion_logical(row: Row) -> Row:
    """The export's row (the SQL table's columns) of a stored row."""
    stored = promotion_to_row(row_to_promotion(row))
    return {("id" if k == _KEY else k): v for k, v in stored.items()}


def _order(promotion: Promotion) -> tuple[object, datetime, str]:
    return (promotion.promoted_on, promotion.recorded_at, promotion.id)


def _lease(promotion_id: str) -> str:
    return f"promotion:{promotion_id}"


async def _rows_in(host: ZeroDBHost, field: str, values: list[str]) -> list[Row]:
    found: list[Row] = []
    wanted = sorted(set(values))
    for start in range(0, len(wanted), _CHUNK):
        found += await host._rows(_TABLE, {field: {"$in": wanted[start : start + _CHUNK]}})
    return found


async def move_promotions(host: ZeroDBHost, ids: list[str], to: str) -> None:
    """Link: the promotions of `ids` (and who recorded or corrected them) go to `to`."""
    for who in ("member_id", "recorded_by", "corrected_by"):
        for row in await _rows_in(host, who, ids):
            await host._overwrite(_TABLE, row, {who: to})


async def drop_promotions(host: ZeroDBHost, ids: list[str]) -> None:
    """Forget-me: delete the promotions of `ids`."""
    for row in await _rows_in(host, "member_id", ids):
        await host.tables.delete(host._t(_TABLE), host.tables.row_id(row))


class ZeroDBPromotions(ZeroDBHost):
    """Mixed into ZeroDBSessionStore, whose table helpers and leases it uses."""

    async def save_promotion(self, promotion: Promotion) -> Promotion | None:
        """Store by id under its lease (stamped with `recorded_at`, which a correction
        keeps); returns the one it replaced (None: new)."""
        row = promotion_to_row(promotion)
        async with self._serialised(_lease(promotion.id), promotion.recorded_at):
            found = await self._first(_TABLE, {_KEY: promotion.id})
            if found is None and await self._add_once(_TABLE, _KEY, promotion.id, row):
                return None
            found = found or await self._first(_TABLE, {_KEY: promotion.id})
            if found is None:  # pragma: no cover - deleted in between
                return None
            await self._overwrite(_TABLE, found, row)
            return row_to_promotion(found)

    async def list_promotions(self, member_ids: list[str]) -> list[Promotion]:
        """These members' promotions, by `promoted_on` then `recorded_at`."""
        rows = await _rows_in(self, "member_id", member_ids)
        unique = {p.id: p for p in map(row_to_promotion, rows)}
        return sorted(unique.values(), key=_order)

    async def delete_promotion(self, promotion_id: str) -> Promotion | None:
        """Remove one promotion under its lease; returns it (None: unknown)."""
        found = await self._first(_TABLE, {_KEY: promotion_id})
        if found is None:
            return None
        at = row_to_promotion(found).recorded_at  # the stamp every writer of it leases with
        async with self._serialised(_lease(promotion_id), at):
            rows = await self._rows(_TABLE, {_KEY: promotion_id})
            if not rows:
                return None
            for row in rows:
                await self.tables.delete(self._t(_TABLE), self.tables.row_id(row))
            return row_to_promotion(rows[0])
