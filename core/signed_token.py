"""Signed tokens: a JSON payload anyone can read and nobody can change without the secret.

A token is `base64url(json payload) "." base64url(HMAC-SHA256(secret, purpose + payload))`
(unpadded, canonical base64url: one spelling per token). The purpose string separates the
kinds of token (join passes, page passes), so one kind never verifies as another; the
signature is checked before anything in the payload is trusted.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from typing import Any

MIN_SECRET_BYTES = 32
MAX_TOKEN_CHARS = 2048
_TOKEN = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def check_secret(secret: bytes, what: str) -> None:
    """ValueError unless `secret` (the `what` secret, for the message) is long enough."""
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the {what} secret must be at least {MIN_SECRET_BYTES} bytes")


def sign_fields(fields: dict[str, Any], secret: bytes, purpose: bytes) -> str:
    """The URL-safe token carrying `fields` (compact JSON), signed for `purpose`."""
    payload = json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode()
    body = _b64encode(payload)
    return f"{body}.{_b64encode(_mac(secret, purpose, body))}"


def signed_fields(token: str, secret: bytes, purpose: bytes) -> dict[str, Any] | None:
    """The JSON object inside `token` when its signature is ours for `purpose`; None when
    the token is forged, damaged, too long or carries no object."""
    if len(token) > MAX_TOKEN_CHARS or not _TOKEN.fullmatch(token):
        return None
    body, _, signature = token.partition(".")
    try:
        given = _b64decode(signature)
        fields = json.loads(_b64decode(body))
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors too
        fields, given = None, b""
    if not hmac.compare_digest(_mac(secret, purpose, body), given) or not isinstance(fields, dict):
        return None
    return fields


def _mac(secret: bytes, purpose: bytes, body: str) -> bytes:
    return hmac.new(secret, purpose + body.encode("ascii"), hashlib.sha256).digest()


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    """The bytes of unpadded base64url `text`; ValueError unless `text` is their canonical
    spelling (the last character's unused bits zero), so a token has exactly one spelling."""
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64encode(data) != text:
        raise ValueError("not canonical base64url")
    return data
