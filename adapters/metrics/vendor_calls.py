"""Counting vendor calls: outcome labels, method labels without ids or tokens, retries.

A retry is told apart without touching the vendors' retry loops: each task remembers its
last call. A call to the same vendor method that follows, in the same task, one that ended
in a 429, a 5xx or a network error (or never ended: the exception went past the hooks) is
counted as a retry. slack_sdk tells its retries exactly (`slack_calls`).
"""

from __future__ import annotations

import re
from contextvars import ContextVar

from adapters.metrics.registry import DojoMetrics

RETRYABLE_OUTCOMES = frozenset({"429", "5xx", "error"})
ID = "{id}"

_last_call: ContextVar[tuple[str, str, bool] | None] = ContextVar("last_vendor_call", default=None)
"""(vendor, method, whether it may be retried) of this task's last vendor call."""


def outcome_of(status: int | None) -> str:
    """The outcome label of an HTTP status: "2xx", "4xx", "429", "5xx"; "error" without one."""
    if status is None:
        return "error"
    return "429" if status == 429 else f"{status // 100}xx"


class VendorCalls:
    """Counts calls and retries of vendor APIs into `DojoMetrics`."""

    def __init__(self, metrics: DojoMetrics) -> None:
        self.metrics = metrics

    def started(self, vendor: str, method: str) -> None:
        """A call is about to go out: a retry when this task's last call of the same method
        failed retryably."""
        last = _last_call.get()
        if last is not None and last[:2] == (vendor, method) and last[2]:
            self.metrics.vendor_retries.labels(vendor, method).inc()
        _last_call.set((vendor, method, True))  # stays "failed" if no answer ever comes

    def ended(self, vendor: str, method: str, status: int | None) -> None:
        """A call was answered (`status`) or failed on the network (None)."""
        outcome = outcome_of(status)
        self.metrics.vendor_calls.labels(vendor, method, outcome).inc()
        _last_call.set((vendor, method, outcome in RETRYABLE_OUTCOMES))

    def counted(self, vendor: str, method: str, status: int | None, retry: bool) -> None:
        """A call whose retry status the client itself knows (slack_sdk)."""
        self.metrics.vendor_calls.labels(vendor, method, outcome_of(status)).inc()
        if retry:
            self.metrics.vendor_retries.labels(vendor, method).inc()


_SLACK_METHOD = re.compile(r"/api/([a-zA-Z]+(?:\.[a-zA-Z]+)+)")
_API_VERSION = re.compile(r"v\d{1,3}")

DISCORD_WORDS = frozenset(
    {
        "@me",
        "@original",
        "applications",
        "bot",
        "callback",
        "channels",
        "commands",
        "gateway",
        "guilds",
        "interactions",
        "members",
        "messages",
        "oauth2",
        "pins",
        "reactions",
        "roles",
        "scheduled-events",
        "threads",
        "typing",
        "users",
        "webhooks",
    }
)
REALTIMEKIT_WORDS = frozenset(
    {
        "active-recording",
        "active-session",
        "kick",
        "kick-all",
        "livestreams",
        "meetings",
        "participants",
        "presets",
        "recordings",
        "sessions",
        "token",
        "webhooks",
    }
)
ZERODB_WORDS = frozenset({"batch", "delete", "insert", "query", "rows", "tables", "update"})


def slack_method(path: str) -> str:
    """`chat.postMessage` of `/api/chat.postMessage`; "response_url" for anything else
    (response URLs carry a token in their path)."""
    found = _SLACK_METHOD.search(path)
    return found.group(1) if found else "response_url"


def discord_method(http_method: str, path: str) -> str:
    """`POST /channels/{id}/messages` of `/api/v10/channels/123/messages`: ids, interaction
    and webhook tokens become `{id}` (only known words of the API are kept)."""
    parts = [p for p in path.split("/") if p]
    while parts and (parts[0] == "api" or _API_VERSION.fullmatch(parts[0])):
        parts = parts[1:]
    return _method(http_method, parts, DISCORD_WORDS)


def realtimekit_method(http_method: str, path: str) -> str:
    """`GET /meetings/{id}/participants`: the part after the account and app ids."""
    parts = [p for p in path.split("/") if p]
    if "kit" in parts:
        parts = parts[parts.index("kit") + 2 :]
    return _method(http_method, parts, REALTIMEKIT_WORDS)


def zerodb_method(http_method: str, path: str, table_prefix: str) -> str:
    """`POST tables/dojobot_sessions/query`: the part from `tables` on, table names kept
    (they start with the configured prefix), row ids as `{id}`."""
    parts = [p for p in path.split("/") if p]
    if "tables" in parts:
        parts = parts[parts.index("tables") :]
    table = re.compile(re.escape(table_prefix) + r"[a-z_]{1,40}") if table_prefix else None
    kept = [
        p if p in ZERODB_WORDS or (table is not None and table.fullmatch(p)) else ID for p in parts
    ]
    return f"{http_method.upper()} /{'/'.join(kept)}"


def _method(http_method: str, parts: list[str], words: frozenset[str]) -> str:
    kept = [p if p in words else ID for p in parts]
    return f"{http_method.upper()} /{'/'.join(kept)}"
