"""Captures every log line a story produces through dojobot's own logging set-up, at DEBUG.

The handler is the one `dojobot` installs (bot/logging_setup.py), with the root logger at
DEBUG, so slack_sdk, discord.py, httpx, aiohttp and our own loggers all write to it; the
captured text is exactly what an operator's log would hold.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterable
from typing import Any

from bot.log_redaction import RedactingFilter
from bot.logging_setup import LogFormat, configure, unconfigure
from bot.settings import Settings

JOIN_TOKEN = re.compile(r"/join/([A-Za-z0-9_\-.%~]+)")
ROOM_LINK = re.compile(r"https://meet\.jit\.si/[A-Za-z0-9_.-]+")
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


class LogWatch:
    """dojobot's handler at DEBUG on a string buffer, until `stop`."""

    def __init__(self) -> None:
        self.stream = io.StringIO()
        self._handler: logging.Handler | None = None
        self._level = logging.getLogger().level
        self.format: LogFormat = "text"

    def start(self, settings: Settings, fmt: LogFormat = "text", *, redact: bool = True) -> None:
        """Capture from now on; `redact=False` takes the redaction off (to prove the search
        finds what the old logging set-up let through)."""
        self.format = fmt
        self._handler = configure(settings, "run", level="DEBUG", fmt=fmt, stream=self.stream)
        if not redact:
            for found in [f for f in self._handler.filters if isinstance(f, RedactingFilter)]:
                self._handler.removeFilter(found)

    def stop(self) -> None:
        if self._handler is not None:
            unconfigure(self._handler)
            self._handler = None
        logging.getLogger().setLevel(self._level)

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def records(self) -> list[dict[str, Any]]:
        """The JSON lines (format `json` only), each parsed."""
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def loggers(self) -> set[str]:
        """Names of the loggers that wrote (JSON format)."""
        return {r["logger"] for r in self.records()}

    def leaks(self, needles: Iterable[str]) -> list[str]:
        """The needles (secrets, tokens, links) found in the captured text; [] is good."""
        text = self.text
        escaped = text.replace("\\/", "/")
        return sorted({n for n in needles if n and (n in text or n in escaped)})


def join_tokens(*texts: str) -> set[str]:
    """Tokens of every `/join/<token>` link in these texts."""
    return {m.group(1) for t in texts for m in JOIN_TOKEN.finditer(t)}


def jwts(*texts: str) -> set[str]:
    """Every JWT in these texts."""
    return {m.group(0) for t in texts for m in JWT.finditer(t)}


def room_links(*texts: str) -> set[str]:
    """Every Jitsi room link (on meet.jit.si, the room's name is what lets one in)."""
    return {m.group(0) for t in texts for m in ROOM_LINK.finditer(t)}
