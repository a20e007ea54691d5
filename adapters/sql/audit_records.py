"""The audit part of `SqlSessionStore`: the append-only `audit_log` table.

Entries are inserted and read; only the retention deletes them. A trigger refuses every
UPDATE (`schema.create_audit_guard`), so not even a stray statement changes an entry.
Pages are read newest first on the (at, id) index; `before_id` continues after an entry.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.schema import audit_log
from core.audit import AuditEntry, AuditQuery
from core.audit_values import from_text, to_text
from core.model import ensure_utc

_a = audit_log.c


def entry_to_row(entry: AuditEntry) -> dict[str, Any]:
    """The row of an entry (`before`/`after` as canonical JSON text)."""
    values = entry.model_dump(mode="python")
    values["action"] = entry.action.value
    values["before"], values["after"] = to_text(entry.before), to_text(entry.after)
    return values


def row_to_entry(row: Any) -> AuditEntry:
    """Rebuild an entry from its row."""
    values = dict(row)
    values["before"], values["after"] = from_text(values["before"]), from_text(values["after"])
    return AuditEntry.model_validate(values)


def _filters(query: AuditQuery) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if query.actor_id is not None:
        found.append(_a.actor_id == query.actor_id)
    if query.action is not None:
        found.append(_a.action == query.action.value)
    if query.target is not None:
        found.append(_a.target == query.target)
    if query.since is not None:
        found.append(_a.at >= ensure_utc(query.since))
    if query.until is not None:
        found.append(_a.at < ensure_utc(query.until))
    return found


class SqlAudit:
    """Mixed into SqlSessionStore, whose transactions it uses."""

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    def _read(self, statements: int = 1) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    async def append_audit(self, entry: AuditEntry) -> None:
        """Add an entry."""
        async with self._write() as connection:
            await connection.execute(insert(audit_log).values(**entry_to_row(entry)))

    async def list_audit(self, query: AuditQuery) -> list[AuditEntry]:
        """One page, newest first ((at, id) descending), after `before_id` when given."""
        statement = select(audit_log).where(*_filters(query))
        async with self._read(2) as connection:
            if query.before_id is not None:
                cursor = (
                    await connection.execute(select(_a.at, _a.id).where(_a.id == query.before_id))
                ).first()
                if cursor is None:  # unknown, or dropped by the retention with all older
                    return []
                at, entry_id = cursor
                statement = statement.where(or_(_a.at < at, and_(_a.at == at, _a.id < entry_id)))
            statement = statement.order_by(_a.at.desc(), _a.id.desc()).limit(query.limit)
            rows = (await connection.execute(statement)).mappings().all()
        return [row_to_entry(row) for row in rows]

    async def drop_audit(self, before: datetime) -> int:
        """Delete entries recorded before `before`; how many went."""
        async with self._write() as connection:
            result = await connection.execute(delete(audit_log).where(_a.at < ensure_utc(before)))
        return int(result.rowcount or 0)
