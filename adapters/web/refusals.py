"""Bounded logging of refused unauthenticated requests: one line per kind per interval.

Anyone on the internet can send garbage to a public endpoint; each refusal is answered 4xx
and logged as one warning line (never a traceback), and a flood of them logs at most one line
per kind every `interval` seconds, saying how many were refused since the last line.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from aiohttp.http_exceptions import HttpProcessingError

DEFAULT_INTERVAL_SECONDS = 60.0
MAX_DETAIL_CHARS = 200


class RefusalLog:
    """Rate-limited one-line warnings about refused requests, per kind of refusal."""

    def __init__(
        self,
        logger: logging.Logger,
        interval: float = DEFAULT_INTERVAL_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.interval = interval
        self.monotonic = monotonic
        self._last: dict[str, float] = {}
        self._suppressed: dict[str, int] = {}

    def refused(self, kind: str, detail: str = "") -> None:
        """Note one refusal of `kind`; logs a line unless one was logged within `interval`."""
        now = self.monotonic()
        last = self._last.get(kind)
        if last is not None and now - last < self.interval:
            self._suppressed[kind] = self._suppressed.get(kind, 0) + 1
            return
        self._last[kind] = now
        more = self._suppressed.pop(kind, 0)
        since = f" (+{more} more since the last report)" if more else ""
        text = " ".join(detail.split())[:MAX_DETAIL_CHARS]
        self.logger.warning("refused: %s%s%s", kind, f": {text}" if text else "", since)


class MalformedHttpFilter(logging.Filter):
    """On aiohttp's server logger: a malformed request (over-long header line, bad request
    line…) becomes one rate-limited warning line instead of an ERROR with a traceback.

    Any other record (a real server error) passes unchanged.
    """

    def __init__(self, refusals: RefusalLog) -> None:
        super().__init__()
        self.refusals = refusals

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, HttpProcessingError):
            return True
        remote = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
        self.refusals.refused("malformed HTTP request", f"{type(error).__name__} from {remote}")
        return False
