"""Delivery claims as rows: one row per claim attempt of a session × recipient × kind × start
time (the start the reminder announced, as an instant string).

A key's state is read from its rows: *sent* when a row has `sent_at` (a sent row is
appended by `mark_sent`); *freshly claimed* when a row's `claimed_at` is later than
`now - lease`; otherwise free (never claimed, or only stale claims left by crashes).
Claiming inserts one row per free key through `insert_exclusive` (a rival is a sent row or
a fresh claim), so two claimers of one key never both win. Attempts are the claim rows.
A stopping process releases its claims by back-dating their rows (`release`): free at once,
still counted as attempts.
Reads go by chunks of keys, one query each (session, recipient, kind and start `$in`,
filtered exactly here).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from adapters.zerodb.exclusive import insert_exclusive
from adapters.zerodb.rows import instant
from adapters.zerodb.tables import Pause, Row, ZeroDBTables
from core.model import DeliveryKey
from core.ports import RELEASED_CLAIM

KEY_CHUNK = 200
"""Keys per query (bounds the `$in` lists of one request)."""

Key = tuple[str, str, str, str]


def key_of(row: Row) -> Key:
    return (
        str(row.get("session_id")),
        str(row.get("recipient_id")),
        str(row.get("kind")),
        str(row.get("start_time")),
    )


def as_key(key: DeliveryKey) -> Key:
    return (key.session_id, key.recipient_id, key.kind.value, instant(key.start_time))


class Deliveries:
    """Delivery rows of one table."""

    def __init__(self, tables: ZeroDBTables, table: str, tries: int, pause: Pause) -> None:
        self._tables = tables
        self._table = table
        self._tries = tries
        self._pause = pause

    async def rows_of(self, keys: Iterable[Key]) -> dict[Key, list[Row]]:
        """Every row of these keys, grouped by key."""
        wanted = list(dict.fromkeys(keys))
        grouped: dict[Key, list[Row]] = {k: [] for k in wanted}
        for start in range(0, len(wanted), KEY_CHUNK):
            part = wanted[start : start + KEY_CHUNK]
            filters: dict[str, Any] = {
                "session_id": {"$in": sorted({k[0] for k in part})},
                "recipient_id": {"$in": sorted({k[1] for k in part})},
                "kind": {"$in": sorted({k[2] for k in part})},
                "start_time": {"$in": sorted({k[3] for k in part})},
            }
            for row in await self._tables.query_all(self._table, filters):
                if key_of(row) in grouped:
                    grouped[key_of(row)].append(row)
        return grouped

    async def claim(self, keys: list[Key], now: datetime, lease: timedelta) -> set[Key]:
        """Claim the free keys among `keys`; returns those claimed."""
        stale_before = instant(now - lease)

        def is_rival(row: Row) -> bool:
            claimed = row.get("claimed_at")
            return row.get("sent_at") is not None or (
                claimed is not None and str(claimed) > stale_before
            )

        existing = await self.rows_of(keys)
        free = [k for k in keys if not any(is_rival(r) for r in existing[k])]

        async def read() -> list[Row]:
            return [r for rows in (await self.rows_of(free)).values() for r in rows]

        entries = [(k, _row(k, claimed_at=instant(now), sent_at=None)) for k in free]
        won = await insert_exclusive(
            self._tables,
            self._table,
            entries,
            read,
            key_of,
            is_rival,
            tries=self._tries,
            pause=self._pause,
        )
        return set(won)

    async def mark_sent(self, keys: list[Key], at: datetime) -> None:
        """Append a sent row (`sent_at`, no `claimed_at`) for each key not yet sent.

        Appending, not updating the claim row, makes this one batch insert where the
        dialect batches; the first `sent_at` of a key is kept.
        """
        stamp = instant(at)
        existing = await self.rows_of(keys)
        fresh = [
            _row(key, claimed_at=None, sent_at=stamp)
            for key, rows in existing.items()
            if not any(r.get("sent_at") is not None for r in rows)
        ]
        if fresh:
            await self._tables.insert(self._table, fresh)

    async def release(self, keys: list[Key], claimed_at: datetime) -> None:
        """Back-date the claim rows made at `claimed_at` of unsent keys to `RELEASED_CLAIM`:
        no longer rivals, still counted as attempts."""
        stamp, released = instant(claimed_at), instant(RELEASED_CLAIM)
        id_field = self._tables.dialect.id_field
        for rows in (await self.rows_of(keys)).values():
            if any(r.get("sent_at") is not None for r in rows):
                continue
            for row in rows:
                if str(row.get("claimed_at")) == stamp:
                    kept = {k: v for k, v in row.items() if k != id_field}
                    await self._tables.replace(
                        self._table, self._tables.row_id(row), kept | {"claimed_at": released}
                    )

    async def reclaimed(self, keys: list[Key]) -> set[Key]:
        """Keys with more than one claim row and no sent row (claimed again after a crash
        or a failed send)."""
        return {
            key
            for key, rows in (await self.rows_of(keys)).items()
            if sum(1 for r in rows if r.get("claimed_at") is not None) > 1
            and not any(r.get("sent_at") is not None for r in rows)
        }

    async def sent(self, key: Key) -> bool:
        filters = _filter(key) | {"sent_at": {"$ne": None}}
        rows, _ = await self._tables.query(self._table, filters, limit=1)
        return bool(rows)

    async def attempts(self, key: Key) -> int:
        """Claim rows of the key; 1 for a key only ever marked sent, 0 for an unknown one."""
        rows = await self._tables.query_all(self._table, _filter(key))
        claims = sum(1 for r in rows if r.get("claimed_at") is not None)
        return claims or (1 if rows else 0)


def _filter(key: Key) -> dict[str, Any]:
    return {"session_id": key[0], "recipient_id": key[1], "kind": key[2], "start_time": key[3]}


def _row(key: Key, **values: Any) -> Row:
    return _filter(key) | values
