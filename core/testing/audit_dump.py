"""The `audit_log` table of the in-memory store's export and import (`core.testing.dump`):
columns as the SQL table's, `before`/`after` as canonical JSON text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from core.audit import AuditEntry
from core.audit_values import from_text, to_text
from core.testing.dump_values import read_instant

if TYPE_CHECKING:
    from core.testing.store import InMemorySessionStore

AUDIT_COLUMNS = (
    *("id", "at", "actor_id", "actor_name", "front_end"),
    *("action", "target", "before", "after"),
)


def export_audit(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    """The audit entries in key (id) order, as the SQL table's rows."""
    for entry in sorted(store._audit, key=lambda e: e.id):
        yield {
            **entry.model_dump(include={"id", "at", "actor_id", "actor_name", "front_end"}),
            "action": entry.action.value,
            "target": entry.target,
            "before": to_text(entry.before),
            "after": to_text(entry.after),
        }


def _json_text(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be the JSON text of an object, not {value!r}")
    return from_text(value)


def add_audit(staged: InMemorySessionStore, row: dict[str, Any]) -> bool:
    """Stage one imported entry (False: its id is taken)."""
    entry = AuditEntry.model_validate(
        row
        | {
            "at": read_instant(row["at"], "at"),
            "before": _json_text(row["before"], "before"),
            "after": _json_text(row["after"], "after"),
        },
        strict=False,
    )
    if any(e.id == entry.id for e in staged._audit):
        return False
    staged._audit.append(entry)
    return True
