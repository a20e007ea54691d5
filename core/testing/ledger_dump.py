"""The `training_ledger` table of the in-memory store's export and import
(`core.testing.dump`): columns as the SQL table's, tags as their JSON text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from core.testing.dump_values import read_instant
from core.training_ledger import LedgerEntry, tags_text, text_tags

if TYPE_CHECKING:
    from core.testing.store import InMemorySessionStore

LEDGER_COLUMNS = tuple(LedgerEntry.model_fields)
_INSTANTS = ("starts_at", "verdict_at", "recorded_at")


def export_ledger(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    """The entries in key (session id, member id) order, as the SQL table's rows."""
    for key in sorted(store._ledger):
        entry = store._ledger[key]
        yield entry.model_dump() | {"tags": tags_text(entry.tags)}


def add_ledger(staged: InMemorySessionStore, row: dict[str, Any]) -> bool:
    """Stage one imported entry (False: its session × member is taken)."""
    tags = row["tags"]
    if not isinstance(tags, str):
        raise ValueError(f"tags must be the JSON text of a list of strings, not {tags!r}")
    times = {
        name: read_instant(row[name], name, nullable=name == "verdict_at") for name in _INSTANTS
    }
    entry = LedgerEntry.model_validate(row | times | {"tags": text_tags(tags)})
    key = (entry.session_id, entry.member_id)
    return staged._ledger.setdefault(key, entry) is entry
