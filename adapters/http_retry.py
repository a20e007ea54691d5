"""The `Retry-After` header (RFC 9110 §10.2.3), parsed once for every HTTP adapter."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds a `Retry-After` header asks for: delta-seconds (int or float, negatives as 0)
    or an HTTP-date relative to the aware `now` (a date without a zone, or with `-0000`, is
    read as UTC; one already past is 0). None when missing, blank or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)
