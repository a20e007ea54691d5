"""When to retry a ZeroDB call and how long to pause first (pure functions)."""

from __future__ import annotations

import random

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


def backoff_seconds(
    attempt: int,
    base: float,
    cap: float,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Pause before retry number `attempt` (1-based): the server's `Retry-After` if given,
    else exponential with full jitter; never more than `cap`."""
    if retry_after is not None:
        return min(retry_after, cap)
    ceiling = min(cap, base * (2 ** (attempt - 1)))
    return (rng or random).uniform(0, ceiling) if ceiling > 0 else 0.0
