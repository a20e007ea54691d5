"""The training-ledger part of `InMemorySessionStore` (same rules as the SQL adapter).

One entry per session × member in a dict; `save_ledger` keeps a stored verdict
(`core.training_ledger.saved_over`); `read_ledger` yields copies in (starts_at, session id,
member id) order, `batch` at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from core.ledger_reads import ledger_matches, ledger_order
from core.training_ledger import (
    LedgerEntry,
    LedgerQuery,
    better_entry,
    saved_over,
    verdict_over,
)

LedgerKey = tuple[str, str]


class InMemoryLedger:
    """Ledger entries by (session id, member id); copies in and out."""

    _lock: asyncio.Lock

    def __init__(self) -> None:
        self._ledger: dict[LedgerKey, LedgerEntry] = {}

    async def save_ledger(self, entries: list[LedgerEntry]) -> None:
        """Store the entries; one that exists keeps its verdict."""
        async with self._lock:
            for entry in entries:
                key = (entry.session_id, entry.member_id)
                self._ledger[key] = saved_over(self._ledger.get(key), entry).model_copy(deep=True)

    async def set_verdict(self, entry: LedgerEntry) -> LedgerEntry | None:
        """Store `entry`'s verdict (the whole entry when missing); the entry it replaced."""
        async with self._lock:
            key = (entry.session_id, entry.member_id)
            replaced = self._ledger.get(key)
            self._ledger[key] = verdict_over(replaced, entry).model_copy(deep=True)
            return replaced

    async def get_ledger_entry(self, session_id: str, member_id: str) -> LedgerEntry | None:
        """The member's entry for the session, or None."""
        found = self._ledger.get((session_id, member_id))
        return None if found is None else found.model_copy(deep=True)

    async def read_ledger(
        self, query: LedgerQuery, batch: int = 1000
    ) -> AsyncIterator[LedgerEntry]:
        """Matching entries in order (a snapshot taken at the first read)."""
        found = sorted(
            (e for e in self._ledger.values() if ledger_matches(e, query)), key=ledger_order
        )
        for start in range(0, len(found), max(1, batch)):
            for entry in found[start : start + batch]:
                yield entry.model_copy(deep=True)
            await asyncio.sleep(0)  # a batch boundary: let others run

    def _move_ledger(self, ids: set[str], to: str, name: str | None) -> None:
        """Linking / forgetting: entries of `ids` go to `to` (renamed `name` when given);
        per session the better entry survives (`better_entry`; `to`'s own on a tie)."""
        renamed: dict[str, Any] = {"member_id": to}
        if name is not None:
            renamed["member_name"] = name
        for key in sorted(k for k in self._ledger if k[1] in ids):
            moved = self._ledger.pop(key).model_copy(update=renamed)
            target = (key[0], to)
            found = self._ledger.get(target)
            self._ledger[target] = moved if found is None else better_entry(found, moved)
