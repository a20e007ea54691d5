"""A test-only mirror of the Jitsi token checks, so drift between us and Prosody shows.

Server side follows `resources/prosody-plugins/luajwtjitsi.lib.lua` (`M.verify`) and
`token/util.lib.lua` (`verify_token`, `verify_room`); the URL side follows the web client's
`parseJWTFromURLParams` (fragment first, then query). See reference/jitsi.md §2, §5, §9.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

_HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
_USER_STRING_FIELDS = ("id", "name", "email", "avatar")


class TokenRejected(Exception):
    """Prosody would refuse the connection or the MUC join; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ProsodyTokenConfig:
    """The Prosody options the verifier reads (reference §4 table)."""

    app_id: str
    app_secret: str
    accepted_issuers: tuple[str, ...] | None = None
    """Defaults to `(app_id,)`; `"*"` accepts any issuer."""
    accepted_audiences: tuple[str, ...] = ("*",)
    require_room_claim: bool = True
    enable_domain_verification: bool = False
    signature_algorithm: str = "HS256"

    @property
    def issuers(self) -> tuple[str, ...]:
        return self.accepted_issuers or (self.app_id,)


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _accepted(claim: object, accepted: tuple[str, ...]) -> bool:
    return "*" in accepted or claim in accepted


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def verify_token(token: str, config: ProsodyTokenConfig, now: datetime) -> dict[str, Any]:
    """Connect-time checks: header, signature, exp/nbf (no leeway), iss, room, aud, user."""
    segments = token.split(".")
    if len(segments) != 3 or not all(segments):
        raise TokenRejected("Invalid token")
    try:
        header = json.loads(_b64decode(segments[0]))
        body = json.loads(_b64decode(segments[1]))
        signature = _b64decode(segments[2])
    except ValueError as exc:
        raise TokenRejected("Invalid token encoding") from exc
    if header.get("typ") != "JWT":
        raise TokenRejected("Invalid typ")
    algorithm = config.signature_algorithm
    if header.get("alg") != algorithm or algorithm not in _HASHES:
        raise TokenRejected("Invalid or incorrect alg")
    signing_input = f"{segments[0]}.{segments[1]}".encode("ascii")
    expected = hmac.new(config.app_secret.encode(), signing_input, _HASHES[algorithm]).digest()
    if not hmac.compare_digest(signature, expected):
        raise TokenRejected("Invalid signature")
    _check_times(body, int(now.timestamp()))
    if "iss" not in body:
        raise TokenRejected("'iss' claim is missing")
    if not _accepted(body["iss"], config.issuers):
        raise TokenRejected("invalid 'iss' claim")
    if config.require_room_claim and "room" not in body:
        raise TokenRejected("'room' claim is missing")
    if "aud" not in body:
        raise TokenRejected("'aud' claim is missing")
    if not _accepted(body["aud"], config.accepted_audiences):
        raise TokenRejected("Invalid audience ('aud' claim)")
    _check_context(body.get("context"))
    return dict(body)


def _check_times(body: dict[str, Any], now: int) -> None:
    for claim in ("exp", "nbf"):
        if claim in body and not _is_number(body[claim]):
            raise TokenRejected(f"{claim} must be number")
    if "exp" not in body:
        raise TokenRejected("exp is missing (the web client flags it)")
    if now >= body["exp"]:
        raise TokenRejected("Not acceptable by exp")
    if "nbf" in body and now < body["nbf"]:
        raise TokenRejected("Not acceptable by nbf")


def _check_context(context: object) -> None:
    if context is None:
        return
    if not isinstance(context, dict):
        raise TokenRejected("context must be an object")
    user = context.get("user", {})
    for field in _USER_STRING_FIELDS:
        if field in user and not isinstance(user[field], str):
            raise TokenRejected(f"context.user.{field} must be a string")
    for name, value in context.get("features", {}).items():
        if value not in (True, False, "true", "false") or _is_number(value):
            raise TokenRejected(f"context.features.{name} must be true/false")


def verify_room(
    claims: dict[str, Any],
    room: str,
    config: ProsodyTokenConfig,
    *,
    domain: str,
    tenant: str | None = None,
) -> None:
    """MUC-join checks: the `room` claim (lowercased, or `*`) and, if enabled, `sub`."""
    room_claim = claims.get("room")
    if room_claim is not None and room_claim != "*" and room.lower() != room_claim.lower():
        raise TokenRejected("token is for another room")
    if config.enable_domain_verification:
        expected = (tenant or domain).lower()
        if claims.get("sub") != "*" and str(claims.get("sub", "")).lower() != expected:
            raise TokenRejected("token is for another domain or tenant")


_BLACKLIST = {"__proto__", "constructor", "prototype"}
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def parse_params(text: str, *, parse_json: bool) -> dict[str, Any]:
    """The client's `parseURLParams`: split on `&` and `=`; optionally decode + JSON-parse.

    A value that does not parse as JSON is dropped, as the client does (it only logs).
    """
    params: dict[str, Any] = {}
    for part in text.split("&") if text else []:
        key, *rest = part.split("=")
        if not key or _BLACKLIST & set(key.split(".")):
            continue
        value: Any = rest[0] if rest else None
        if parse_json:
            decoded = unquote(value or "undefined").replace("\\&", "&", 1).translate(_QUOTES)
            if decoded == "undefined":
                value = None
            else:
                try:
                    value = json.loads(decoded)
                except ValueError:
                    continue
        params[key] = value
    return params


@dataclass(frozen=True)
class ParsedLink:
    """What the web client reads from a join URL."""

    domain: str
    tenant: str | None
    room: str
    token: str | None
    fragment: dict[str, Any]
    """Fragment parameters as the client sees them (JSON-parsed)."""


def parse_link(url: str) -> ParsedLink:
    """Read a join URL like the web client (`parseJWTFromURLParams`, after jitsi-meet #14760).

    The token is the JSON-parsed fragment `jwt`, else the raw query `jwt`; room lowercased.
    """
    parts = urlsplit(url)
    path = [unquote(segment) for segment in parts.path.split("/") if segment]
    fragment = parse_params(parts.fragment, parse_json=True)
    token = fragment.get("jwt") or parse_params(parts.query, parse_json=False).get("jwt")
    return ParsedLink(
        domain=parts.hostname or "",
        tenant=path[0] if len(path) > 1 else None,
        room=path[-1].lower() if path else "",
        token=token if isinstance(token, str) else None,
        fragment=fragment,
    )


def verify_join(
    url: str, config: ProsodyTokenConfig, now: datetime, *, room: str | None = None
) -> dict[str, Any]:
    """Follow a join link end to end: read the token, verify it, then check the room join."""
    link = parse_link(url)
    if link.token is None:
        raise TokenRejected("token required")
    claims = verify_token(link.token, config, now)
    verify_room(claims, room or link.room, config, domain=link.domain, tenant=link.tenant)
    return claims
