"""When to retry a RealtimeKit call: 429 and 5xx, after Retry-After or a doubling backoff."""

from __future__ import annotations

RETRYABLE = frozenset({429, 500, 502, 503, 504})


def is_retryable(status: int) -> bool:
    """429 and 5xx are worth another try; other statuses are final."""
    return status in RETRYABLE or status >= 500


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
