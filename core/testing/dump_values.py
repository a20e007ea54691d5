"""Values of the in-memory store's import (`core.testing.dump` and its table parts), read
as strictly as the SQL import reads them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.instants import instant_with_offset


def read_instant(value: Any, name: str, nullable: bool = False) -> datetime | None:
    """The column `name`'s ISO-8601 instant with its offset, in UTC (None only when
    `nullable`); ValueError saying so otherwise."""
    if value is None and nullable:
        return None
    parsed = instant_with_offset(value)
    if parsed is not None:
        return parsed
    raise ValueError(f"{name} must be an ISO-8601 instant with its offset, not {value!r}")
