"""The audit part of `ZeroDBSessionStore`: the append-only `audit_log` table.

Entries are inserted (the entry's own id as `entry_id`: the row id belongs to the server)
and read; only the retention deletes them. Nothing in the store ever rewrites an entry's
row. `before`/`after` are kept as the same canonical JSON text as in SQL. A page is read
sorted by the server when the dialect can (only the rows it needs), else whole.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.zerodb.host import ZeroDBHost
from adapters.zerodb.rows import instant, parse_instant
from adapters.zerodb.tables import Row
from core.audit import AuditEntry, AuditQuery
from core.audit_values import from_text, to_text
from core.model import ensure_utc

AUDIT_TABLES = {"audit_log": "Audit log: one row per admin or instructor action (append-only)"}
AUDIT_COLUMNS = (
    *("id", "at", "actor_id", "actor_name", "front_end"),
    *("action", "target", "before", "after"),
)
"""The logical columns (those of the SQL table)."""


def entry_logical(entry: AuditEntry) -> Row:
    """The logical row of an entry (as the SQL table holds it; instants as strings)."""
    return {
        "id": entry.id,
        "at": instant(entry.at),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "front_end": entry.front_end,
        "action": entry.action.value,
        "target": entry.target,
        "before": to_text(entry.before),
        "after": to_text(entry.after),
    }


def entry_to_row(entry: AuditEntry) -> Row:
    """The stored row of an entry (`id` as `entry_id`)."""
    logical = entry_logical(entry)
    return {("entry_id" if k == "id" else k): v for k, v in logical.items()}


def row_to_entry(row: Row) -> AuditEntry:
    """Rebuild an entry from its stored row."""
    return AuditEntry(
        id=str(row.get("entry_id")),
        at=parse_instant(str(row.get("at"))),
        actor_id=str(row.get("actor_id")),
        actor_name=str(row.get("actor_name")),
        front_end=str(row.get("front_end")),
        action=row.get("action"),  # validated by the model
        target=str(row.get("target")),
        before=from_text(str(row.get("before"))),
        after=from_text(str(row.get("after"))),
    )


def _filters(query: AuditQuery) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    if query.actor_id is not None:
        filters["actor_id"] = query.actor_id
    if query.action is not None:
        filters["action"] = query.action.value
    if query.target is not None:
        filters["target"] = query.target
    at: dict[str, str] = {}
    if query.since is not None:
        at["$gte"] = instant(ensure_utc(query.since))
    if query.until is not None:
        at["$lt"] = instant(ensure_utc(query.until))
    if at:
        filters["at"] = at
    return filters


def _order(entry: AuditEntry) -> tuple[datetime, str]:
    return (entry.at, entry.id)


class ZeroDBAudit(ZeroDBHost):
    """Mixed into ZeroDBSessionStore, whose table helpers it uses."""

    async def append_audit(self, entry: AuditEntry) -> None:
        """Add an entry."""
        await self.tables.insert(self._t("audit_log"), [entry_to_row(entry)])

    async def list_audit(self, query: AuditQuery) -> list[AuditEntry]:
        """One page, newest first ((at, id) descending), after `before_id` when given."""
        filters = _filters(query)
        after: tuple[datetime, str] | None = None
        if query.before_id is not None:
            cursor = await self._first("audit_log", {"entry_id": query.before_id})
            if cursor is None:  # unknown, or dropped by the retention with all older ones
                return []
            # older or equal instants; ties on `at` are cut by id below
            filters["at"] = {**filters.get("at", {}), "$lte": str(cursor.get("at"))}
            after = _order(row_to_entry(cursor))
        rows = await self._audit_rows(filters, after, query.limit)
        entries = {e.id: e for e in map(row_to_entry, rows)}
        ordered = sorted(entries.values(), key=_order, reverse=True)
        if after is not None:
            ordered = [e for e in ordered if _order(e) < after]
        return ordered[: query.limit]

    async def _audit_rows(
        self, filters: dict[str, Any], after: tuple[datetime, str] | None, limit: int
    ) -> list[Row]:
        """The rows a page needs. Sorted by the server (newest first) when the dialect can:
        read only until `limit` entries older than `after` are in hand, so a page costs one
        request however long the log is; otherwise every matching row."""
        if not self.tables.dialect.sort_key:
            return await self._rows("audit_log", filters)
        table = self._t("audit_log")
        order = [("at", -1), ("entry_id", -1)]
        page = min(self.tables.dialect.max_limit, limit + 1)
        found: list[Row] = []
        wanted = 0
        while True:
            rows, _ = await self.tables.query(
                table, filters, limit=page, offset=len(found), sort=order
            )
            found += rows
            wanted += sum(1 for r in rows if after is None or _order(row_to_entry(r)) < after)
            if len(rows) < page or wanted >= limit:
                return found

    async def drop_audit(self, before: datetime) -> int:
        """Delete entries recorded before `before`; how many went."""
        bound = instant(ensure_utc(before))
        dropped = 0
        for row in await self._rows("audit_log", {"at": {"$lt": bound}}):
            await self.tables.delete(self._t("audit_log"), self.tables.row_id(row))
            dropped += 1
        return dropped
