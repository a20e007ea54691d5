"""Instants as exported files write them: ISO-8601 with an offset, read back in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def instant_with_offset(value: object) -> datetime | None:
    """`value` as a UTC instant when it is an ISO-8601 string with its offset; None when it
    is anything else (a zone-less time, another type, not a date at all)."""
    if type(value) is not str:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.utcoffset() is not None else None
