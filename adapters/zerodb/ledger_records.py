"""The training-ledger part of `ZeroDBSessionStore` (`core.training_ledger`).

Each row carries `ledger_key` (session|member). Writes of one session's entries
(`save_ledger`, `set_verdict`) run under a lease of their own (`ledger:<session>`), read then
insert or overwrite, so recording twice keeps a verdict and two verdicts at once leave one
whole, across processes. `read_ledger` reads the matching rows (by member, session or series
when the query names them) and yields them in order, `batch` at a time: ZeroDB has no keyset
reads, so its memory grows with the matching rows (the SQL stores' does not).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from adapters.zerodb.host import ZeroDBHost
from adapters.zerodb.rows import parse_instant, record_to_row, row_to_record
from adapters.zerodb.tables import Row
from core.ledger_reads import ledger_matches, ledger_order
from core.training_ledger import (
    LedgerEntry,
    LedgerQuery,
    better_entry,
    saved_over,
    tags_text,
    text_tags,
    verdict_over,
)

LEDGER_TABLES = {"training_ledger": "Verified training ledger (one row per session and member)"}
LEDGER_KEY = "ledger_key"
_CHUNK = 100


def ledger_row(entry: LedgerEntry) -> Row:
    """The stored row of an entry (instants as strings, with its unique `ledger_key`)."""
    return record_to_row(entry) | {LEDGER_KEY: f"{entry.session_id}|{entry.member_id}"}


def row_to_entry(row: Row) -> LedgerEntry:
    """Rebuild an entry from its stored row."""
    return row_to_record(LedgerEntry, row)


class ZeroDBLedger(ZeroDBHost):
    """Mixed into ZeroDBSessionStore, whose table helpers and leases it uses."""

    async def _ledger_rows(self, session_id: str) -> dict[str, list[Row]]:
        found: dict[str, list[Row]] = {}
        for row in await self._rows("training_ledger", {"session_id": session_id}):
            found.setdefault(str(row["member_id"]), []).append(row)
        return found

    async def _put_entry(self, rows: list[Row], entry: LedgerEntry) -> None:
        """Overwrite the member's row (dropping a twin) or insert it."""
        row = ledger_row(entry)
        if not rows:
            await self.tables.insert(self._t("training_ledger"), [row])
            return
        await self._overwrite("training_ledger", rows[0], row)
        for twin in rows[1:]:
            await self.tables.delete(self._t("training_ledger"), self.tables.row_id(twin))

    async def save_ledger(self, entries: list[LedgerEntry]) -> None:
        """Store the entries; one that exists keeps its verdict (per session, leased)."""
        by_session: dict[str, list[LedgerEntry]] = {}
        for entry in entries:
            by_session.setdefault(entry.session_id, []).append(entry)
        for session_id in sorted(by_session):
            batch = by_session[session_id]
            async with self._serialised(f"ledger:{session_id}", batch[0].recorded_at):
                stored = await self._ledger_rows(session_id)
                for entry in batch:
                    rows = stored.get(entry.member_id, [])
                    old = row_to_entry(rows[0]) if rows else None
                    await self._put_entry(rows, saved_over(old, entry))

    async def set_verdict(self, entry: LedgerEntry) -> LedgerEntry | None:
        """Store `entry`'s verdict (the whole entry when missing) under the session's
        ledger lease; the entry it replaced."""
        at = entry.verdict_at or entry.recorded_at
        async with self._serialised(f"ledger:{entry.session_id}", at):
            rows = await self._rows(
                "training_ledger",
                {"session_id": entry.session_id, "member_id": entry.member_id},
            )
            old = row_to_entry(rows[0]) if rows else None
            await self._put_entry(rows, verdict_over(old, entry))
            return old

    async def get_ledger_entry(self, session_id: str, member_id: str) -> LedgerEntry | None:
        """The member's entry for the session, or None."""
        row = await self._first(
            "training_ledger", {"session_id": session_id, "member_id": member_id}
        )
        return None if row is None else row_to_entry(row)

    async def read_ledger(
        self, query: LedgerQuery, batch: int = 1000
    ) -> AsyncIterator[LedgerEntry]:
        """Matching entries in (starts_at, session id, member id) order."""
        rows: list[Row] = []
        if query.session_id is not None:
            rows = await self._rows("training_ledger", {"session_id": query.session_id})
        elif query.member_ids is not None:
            wanted = sorted(set(query.member_ids))
            for start in range(0, len(wanted), _CHUNK):
                part = wanted[start : start + _CHUNK]
                rows += await self._rows("training_ledger", {"member_id": {"$in": part}})
        elif query.series_id is not None:
            rows = await self._rows("training_ledger", {"series_id": query.series_id})
        else:
            rows = await self._rows("training_ledger", {})
        unique: dict[tuple[str, str], LedgerEntry] = {}
        for row in rows:
            entry = row_to_entry(row)
            if ledger_matches(entry, query):
                unique.setdefault((entry.session_id, entry.member_id), entry)
        found = sorted(unique.values(), key=ledger_order)
        del rows, unique
        for entry in found:
            yield entry

    async def _move_ledger(self, ids: list[str], to: str, name: str | None) -> None:
        """Linking / forgetting: entries of `ids` go to `to` (renamed `name` when given);
        per session the better entry survives (`better_entry`, `to`'s own on a tie)."""
        members = sorted({*ids, to})
        rows: list[Row] = []
        for start in range(0, len(members), _CHUNK):
            part = members[start : start + _CHUNK]
            rows += await self._rows("training_ledger", {"member_id": {"$in": part}})
        groups: dict[str, list[Row]] = {}
        for row in rows:
            groups.setdefault(str(row["session_id"]), []).append(row)
        renamed: dict[str, Any] = {"member_id": to} | (
            {} if name is None else {"member_name": name}
        )
        for session_id in sorted(groups):
            group = sorted(groups[session_id], key=lambda r: (r["member_id"] != to, r["member_id"]))
            best, best_entry = group[0], row_to_entry(group[0])
            for row in group[1:]:
                entry = row_to_entry(row)
                if better_entry(best_entry, entry) is entry:
                    best, best_entry = row, entry
            for row in group:
                if row is not best:
                    await self.tables.delete(self._t("training_ledger"), self.tables.row_id(row))
            if best["member_id"] != to or name is not None:
                key = f"{session_id}|{to}"
                await self._overwrite("training_ledger", best, renamed | {LEDGER_KEY: key})


# export and import (adapters/zerodb/dump.py) -------------------------------------------------
LEDGER_COLUMNS = tuple(LedgerEntry.model_fields)
LEDGER_EXPORT_KEY = ("session_id", "member_id")


def ledger_logical(row: Row) -> Row:
    """A stored row as the export's row (the SQL table's: tags as JSON text)."""
    logical = {name: row.get(name) for name in LEDGER_COLUMNS}
    logical["tags"] = tags_text(list(logical["tags"] or []))
    return logical


def import_ledger(row: Row) -> tuple[tuple[Any, ...], list[Row], Row]:
    """An export's row: its key, the stored row it becomes, and that row read back."""
    tags = row["tags"]
    if not isinstance(tags, str):
        raise ValueError(f"tags must be the JSON text of a list of strings, not {tags!r}")
    times = {
        name: parse_instant(str(row[name]))
        for name in ("starts_at", "verdict_at", "recorded_at")
        if row.get(name) is not None
    }
    entry = LedgerEntry.model_validate(row | times | {"tags": text_tags(tags)})
    stored = ledger_row(entry)
    return (entry.session_id, entry.member_id), [stored], ledger_logical(stored)
