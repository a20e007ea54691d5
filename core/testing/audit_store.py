"""The audit part of `InMemorySessionStore`: an append-only list (same rules as SQL)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from core.audit import AuditEntry, AuditQuery


def _newest_first(entry: AuditEntry) -> tuple[datetime, str]:
    return (entry.at, entry.id)


def _matches(entry: AuditEntry, query: AuditQuery) -> bool:
    return (
        (query.actor_id is None or entry.actor_id == query.actor_id)
        and (query.action is None or entry.action is query.action)
        and (query.target is None or entry.target == query.target)
        and (query.since is None or entry.at >= query.since)
        and (query.until is None or entry.at < query.until)
    )


class InMemoryAudit:
    """Audit entries in insertion order; copies in and out; never changed once added."""

    _lock: asyncio.Lock

    def __init__(self) -> None:
        self._audit: list[AuditEntry] = []

    async def append_audit(self, entry: AuditEntry) -> None:
        """Add an entry."""
        async with self._lock:
            self._audit.append(entry.model_copy(deep=True))

    async def list_audit(self, query: AuditQuery) -> list[AuditEntry]:
        """One page, newest first ((at, id) descending), after `before_id` when given."""
        entries = sorted(
            (e for e in self._audit if _matches(e, query)), key=_newest_first, reverse=True
        )
        if query.before_id is not None:
            cursor = next((e for e in self._audit if e.id == query.before_id), None)
            if cursor is None:  # unknown, or dropped by the retention with all older ones
                return []
            entries = [e for e in entries if _newest_first(e) < _newest_first(cursor)]
        return [e.model_copy(deep=True) for e in entries[: query.limit]]

    async def drop_audit(self, before: datetime) -> int:
        """Delete entries recorded before `before`; how many went."""
        async with self._lock:
            kept = [e for e in self._audit if e.at >= before]
            dropped = len(self._audit) - len(kept)
            self._audit = kept
            return dropped
