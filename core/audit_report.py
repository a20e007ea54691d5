"""The audit log as people read it: one chat line per entry, and the CSV export.

CSV columns (UTF-8 with a byte order mark, header first, `core.csv_export` quoting and
formula guard): `id`, `at` (ISO-8601 UTC), `actor_id`, `actor_name`, `front_end`, `action`,
`target`, `before`, `after` (the changed fields as JSON objects).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from datetime import UTC, date
from typing import Any
from zoneinfo import ZoneInfo

from core.audit import AuditEntry
from core.audit_values import to_text
from core.csv_export import spreadsheet_csv_async
from core.i18n import Text, t

CSV_HEADER = (
    *("id", "at", "actor_id", "actor_name", "front_end"),
    *("action", "target", "before", "after"),
)
CONTENT_TYPE = "text/csv; charset=utf-8"
MAX_VALUE = 60
"""Characters of one value shown in a chat line (the CSV and API have them whole)."""


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def changes_text(entry: AuditEntry) -> str:
    """`field before → after` for every field the entry names (`–`: not set; a new
    record's unset options are left out)."""
    names = sorted({*entry.before, *entry.after})
    parts = []
    for name in names:
        if name not in entry.before and entry.after.get(name) in (None, "", [], {}):
            continue  # a new record's unset option: nothing to read
        old = _shown(entry.before[name]) if name in entry.before else None
        new = _shown(entry.after[name]) if name in entry.after else "–"
        parts.append(f"{name} {new}" if old is None else f"{name} {old} → {new}")
    return "; ".join(parts)


def entry_line(entry: AuditEntry, tz: str) -> Text:
    """One entry for chat: when (in the reader's zone), who, from where, what, what changed."""
    at = entry.at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
    changes = changes_text(entry)
    suffix = ": " + changes if changes else ""
    return t(
        "{at} · {actor} ({front_end}) · {action} {target}{changes} · #{id}",
        at=at,
        actor=entry.actor_name,
        front_end=entry.front_end,
        action=entry.action.value,
        target=entry.target,
        changes=suffix,
        id=entry.id,
    )


def csv_row(entry: AuditEntry) -> Sequence[object]:
    """The entry's CSV cells, in `CSV_HEADER` order."""
    return (
        entry.id,
        entry.at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        entry.actor_id,
        entry.actor_name,
        entry.front_end,
        entry.action.value,
        entry.target,
        to_text(entry.before),
        to_text(entry.after),
    )


def audit_csv(entries: AsyncIterable[AuditEntry]) -> AsyncIterator[str]:
    """The CSV text of `entries` in chunks (byte order mark and header first)."""
    return spreadsheet_csv_async(CSV_HEADER, entries, csv_row)


def audit_filename(today: date) -> str:
    """The export's file name, e.g. `audit-2026-12-01.csv`."""
    return f"audit-{today.isoformat()}.csv"
