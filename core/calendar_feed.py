"""Personal calendar feeds: a member's own sessions at a secret `.ics` URL.

The secret is a token of 32 random bytes from `secrets`, written as 64 lower-case hex digits
(nothing a chat's markdown could take for formatting), shown to the member once in a private
reply. Stores keep only its SHA-256 (hex) with the
member's profile id, one feed per member: a new token replaces the old one (the old URL
stops working at once) and revoking drops it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from pydantic import field_validator

from core.model import Model, ensure_utc

TOKEN_BYTES = 32
"""Random bytes per token (`secrets.token_hex`)."""
TOKEN_SHAPE = re.compile(r"[0-9a-f]{64}")
"""What a token looks like in a URL (anything else is not looked up)."""
FEED_PAST = timedelta(days=30)
"""How far back the feed lists sessions (the upcoming ones all)."""
FEED_LIMIT = 500
"""The most sessions one feed lists (the soonest are kept)."""
_HEX = re.compile(r"[0-9a-f]{64}")


class CalendarFeed(Model):
    """A member's feed as stored: their profile id, the SHA-256 of the token (hex), and
    when it was made."""

    member_id: str
    token_hash: str
    created_at: datetime

    @field_validator("token_hash")
    @classmethod
    def _sha256(cls, value: str) -> str:
        if not _HEX.fullmatch(value):
            raise ValueError("token_hash must be a SHA-256 in lower-case hex (64 characters)")
        return value

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return ensure_utc(value)


def new_feed_token() -> str:
    """A fresh secret token (256 bits as 64 hex digits)."""
    return secrets.token_hex(TOKEN_BYTES)


def feed_token_hash(token: str) -> str:
    """What the store keeps of `token`: its SHA-256, lower-case hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_path(token: str) -> str:
    """Where the feed of `token` is served (append to the public base URL)."""
    return f"/calendar/feed/{token}.ics"


def usable_token(token: str) -> bool:
    """Whether `token` has a token's shape (others are refused without a lookup)."""
    return TOKEN_SHAPE.fullmatch(token) is not None
