"""Checks on an inbound Slack HTTP request before anything parses its body.

Slack signs `v0:<timestamp>:<raw body>` with the app's signing secret (HMAC-SHA256, header
`X-Slack-Signature: v0=<hex>`). The signature is checked over the raw bytes first; only a
signed body is decoded and handed to Bolt (which checks the signature and the 5-minute replay
window again). Anything unsigned or unparseable is refused with 400/401, never a 500.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass

MAX_TIMESTAMP_DIGITS = 12


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused: its HTTP status and a short reason for the log."""

    status: int
    reason: str


def signature_of(secret: str, timestamp: str, body: bytes) -> str:
    """Slack's `v0=` signature of `body` sent at `timestamp`."""
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def check_signed(secret: str, body: bytes, headers: Mapping[str, str]) -> Refusal | None:
    """None when `body` carries a valid signature; else the refusal (400 or 401)."""
    timestamp = headers.get("X-Slack-Request-Timestamp")
    signature = headers.get("X-Slack-Signature")
    if not timestamp or not signature:
        return Refusal(401, "missing Slack signature headers")
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > MAX_TIMESTAMP_DIGITS:
        return Refusal(400, "X-Slack-Request-Timestamp is not an integer")
    expected = signature_of(secret, timestamp, body).encode()
    if not hmac.compare_digest(expected, signature.encode("utf-8", "replace")):
        return Refusal(401, "bad Slack signature")
    return None
