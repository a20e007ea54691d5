"""No secret, token or personal join link reaches a log line, at any level.

`Redactor` replaces, in the final text of every record: the secret values known from the
settings (every `SecretStr`, plus the parts of URLs that carry a password), and anything shaped
like a credential whatever its origin: Slack tokens, JWTs (RealtimeKit participant tokens,
Jitsi `#jwt=`/`?jwt=`), Discord bot tokens and interaction tokens (they travel in the URL
path), `Authorization` values, `token`/`secret`-like keys in JSON or dict reprs, Slack
response URLs, our own `/join/<token>` links and personal calendar feeds'
`/calendar/feed/<token>.ics`. `RedactingFilter` applies it on the root handler, so library
loggers (slack_sdk, discord.py, httpx, aiohttp) are covered too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

REDACTED = "[redacted]"
_SLASH = r"(?:/|\\/)"
MIN_SECRET_LENGTH = 6
"""Known values shorter than this are not searched for (they would blank ordinary words)."""

_KEYS = (
    r"token|access_token|refresh_token|bot_token|app_token|authToken|auth_token|jwt|"
    r"password|passwd|secret|client_secret|signing_secret|app_secret|api_key|apikey|"
    r"api_token|join_secret|api_jwt_secret|authorization|ticket"
)
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # our personal join links: /join/<token> (also JSON-escaped or URL-encoded slashes)
    (re.compile(r"((?:/|\\/|%2F)join(?:/|\\/|%2F))[A-Za-z0-9_\-.%~]+", re.I), r"\1" + REDACTED),
    # personal calendar feeds: /calendar/feed/<token>.ics (the path is the secret)
    (
        re.compile(
            r"((?:/|\\/|%2F)calendar(?:/|\\/|%2F)feed(?:/|\\/|%2F))[A-Za-z0-9_\-.%~]+", re.I
        ),
        r"\1" + REDACTED,
    ),
    # personal training-page links: /record/<token> (the path is the pass)
    (re.compile(r"((?:/|\\/|%2F)record(?:/|\\/|%2F))[A-Za-z0-9_\-.%~]+", re.I), r"\1" + REDACTED),
    # Discord interaction and webhook tokens travel in the path
    (re.compile(r"(/interactions/\d+/)[^/\s\"'?]+"), r"\1" + REDACTED),
    (re.compile(r"(/webhooks/\d+/)[^/\s\"'?]+"), r"\1" + REDACTED),
    # Slack response URLs and incoming webhooks are bearer capabilities
    (
        re.compile(
            r"(hooks\.slack\.com(?:/|\\/|%2F)(?:actions|commands|services|workflows|triggers))\S+",
            re.I,
        ),
        r"\1/" + REDACTED,
    ),
    # key=value in queries, fragments and forms (Jitsi ?jwt= / #jwt=, RealtimeKit authToken,
    # the ticket of Slack's Socket Mode URL)
    # (a value may be quoted, as in a repr's `token='…'`)
    (
        re.compile(
            rf"((?<![A-Za-z0-9_])(?:{_KEYS})=)"
            r"(?:\"[^\"\n]*\"|'[^'\n]*'|[\"']?[^&\s\"'#<>|\\,;)]+)",
            re.I,
        ),
        r"\1" + REDACTED,
    ),
    # "key": "value" and 'key': 'value' in JSON bodies and dict reprs
    (
        re.compile(rf"([\"'](?:{_KEYS})[\"']\s*:\s*[\"'])[^\"']+", re.I),
        r"\1" + REDACTED,
    ),
    # Authorization header values
    # (`Bot <token>`: a Discord token has the three-part shape below)
    (re.compile(r"(\b(?:Bearer|Basic) )[A-Za-z0-9._~+/=-]{16,}"), r"\1" + REDACTED),
    # Slack tokens
    (re.compile(r"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+"), REDACTED),
    # JWTs, and Discord bot tokens (three dot-separated base64url parts)
    (re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)?"), REDACTED),
    (re.compile(r"\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{20,}"), REDACTED),
    # a password inside a URL: scheme://user:password@host
    (re.compile(r"(://[^:/@\s\"']+:)[^@\s/\"']+(@)"), r"\1" + REDACTED + r"\2"),
]


class Redactor:
    """Replaces known secret values, then credential-shaped text, by `[redacted]`.

    `room_bases`: base URLs whose first path segment lets one in (a Jitsi server without
    token auth: the room's name is the key); `https://meet.jit.si/[redacted]#…`.
    """

    def __init__(self, secrets: Iterable[str] = (), room_bases: Iterable[str] = ()) -> None:
        values = {v for s in secrets for v in _variants(s) if len(v) >= MIN_SECRET_LENGTH}
        ordered = sorted(values, key=len, reverse=True)
        self._known = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        bases = sorted({_slashes_either_way(b) for b in room_bases if b}, key=len, reverse=True)
        self._rooms = (
            re.compile(rf"((?:{'|'.join(bases)}){_SLASH})[^\s\"'<>|\\#?)/]+") if bases else None
        )

    def __call__(self, text: str) -> str:
        if self._known is not None:
            text = self._known.sub(REDACTED, text)
        if self._rooms is not None:
            text = self._rooms.sub(r"\1" + REDACTED, text)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text


def _slashes_either_way(base_url: str) -> str:
    """A pattern of `base_url` without its scheme, its slashes plain or JSON-escaped."""
    parts = base_url.split("://", 1)[-1].strip("/").split("/")
    return _SLASH.join(map(re.escape, parts))


def _variants(secret: str) -> set[str]:
    """The secret itself, and the password of a URL (a database URL's, say)."""
    found = {secret}
    try:
        password = urlsplit(secret).password
    except ValueError:
        password = None
    if password:
        found |= {password, unquote(password)}
    return found


def secrets_of(settings: Any) -> list[str]:
    """Every `SecretStr` value anywhere in a settings model (nested models, lists, maps)."""
    from pydantic import BaseModel, SecretBytes, SecretStr

    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, SecretStr):
            found.append(value.get_secret_value())
        elif isinstance(value, SecretBytes):
            found.append(value.get_secret_value().decode("utf-8", "replace"))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name, None))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple | set | frozenset):
            for item in value:
                walk(item)

    walk(settings)
    return [s for s in found if s]


class RedactingFilter(logging.Filter):
    """Rewrites a record's message, traceback and stack with a `Redactor` (never drops one).

    Installed on a handler, it sees every record that handler writes, whichever logger made it.
    """

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        redact = self.redactor
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: keep its raw text, still scrubbed
            message = f"{record.msg!r} % {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
