"""Minting Jitsi JWTs for self-hosted token auth (reference §5, §6, §8)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.jitsi.settings import JitsiSettings


@dataclass(frozen=True)
class TokenWindow:
    """Validity of one token in whole unix seconds, as Prosody compares them."""

    not_before: int
    expires: int

    @property
    def expires_at(self) -> datetime:
        return datetime.fromtimestamp(self.expires, UTC)


def token_window(
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    lead: timedelta,
    grace: timedelta,
    min_validity: timedelta,
    skew: timedelta,
) -> TokenWindow:
    """`nbf = min(start − lead, now − skew)`, `exp = max(end + grace, now + min_validity)`."""
    not_before = min(start - lead, now - skew)
    expires = max(end + grace, now + min_validity)
    return TokenWindow(int(not_before.timestamp()), int(expires.timestamp()))


@dataclass(frozen=True)
class JoinGrant:
    """Who joins which room as what; the input of `build_claims`."""

    room: str
    user_id: str
    user_name: str
    is_host: bool
    recording: bool


def build_claims(
    settings: JitsiSettings, grant: JoinGrant, window: TokenWindow, now: datetime
) -> dict[str, Any]:
    """The JWT payload: iss/aud/sub/room, nbf/exp/iat ints, context.user and features."""
    if settings.app_id is None:
        raise ValueError("token auth is not configured (app_id is missing)")
    return {
        "iss": settings.app_id,
        "aud": settings.audience,
        "sub": settings.subject,
        "room": grant.room.lower(),
        "iat": int(now.timestamp()),
        "nbf": window.not_before,
        "exp": window.expires,
        "context": {
            "user": {
                "id": grant.user_id,
                "name": grant.user_name,
                "moderator": grant.is_host,
                "affiliation": "owner" if grant.is_host else "member",
            },
            "features": {"recording": grant.recording},
        },
    }


def mint_token(settings: JitsiSettings, claims: dict[str, Any]) -> str:
    """Sign `claims` with the app secret; header `{"alg": settings.algorithm, "typ": "JWT"}`."""
    if settings.app_secret is None:
        raise ValueError("token auth is not configured (app_secret is missing)")
    import jwt  # deferred: only token-auth servers sign, so public Jitsi never loads PyJWT

    return jwt.encode(
        claims,
        settings.app_secret.get_secret_value(),
        algorithm=settings.algorithm,
        headers={"typ": "JWT"},
    )
