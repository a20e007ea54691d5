"""When to retry a RealtimeKit call: 429 and 5xx, after Retry-After or a doubling backoff."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime

RETRYABLE = frozenset({429, 500, 502, 503, 504})


def is_retryable(status: int) -> bool:
    """429 and 5xx are worth another try; other statuses are final."""
    return status in RETRYABLE or status >= 500


def retry_after_seconds(header: str | None, now: datetime) -> float | None:
    """Seconds asked for by a `Retry-After` header (delta-seconds or HTTP-date), if any."""
    if header is None or not header.strip():
        return None
    value = header.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0)
    try:
        when: datetime = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((when - now).total_seconds(), 0.0)


def next_delay(
    attempt: int, retry_after: float | None, base: float, ceiling: float
) -> float | None:
    """The wait before retry number `attempt` (0-based), or None to give up.

    Retry-After is honoured exactly; when it asks for longer than `ceiling`, waiting would
    hold the caller too long, so the call fails now (the room keeper retries later).
    """
    if retry_after is not None:
        return retry_after if retry_after <= ceiling else None
    return min(base * float(2**attempt), ceiling)
