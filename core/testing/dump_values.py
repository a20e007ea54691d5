"""Values of the in-memory store's import (`core.testing.dump` and its table parts), read
as strictly as the SQL import reads them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def read_instant(value: Any, name: str, nullable: bool = False) -> datetime | None:
    """The column `name`'s ISO-8601 instant with its offset, in UTC (None only when
    `nullable`); ValueError saying so otherwise."""
    if value is None and nullable:
        return None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.utcoffset() is not None:
            return parsed.astimezone(UTC)
    raise ValueError(f"{name} must be an ISO-8601 instant with its offset, not {value!r}")
