"""Bearer tokens of the REST API: HS256 JWTs carrying the member's identity and role.

Claims: `sub` (member id, e.g. `web:42` or `slack:T1:U2`), `name`, `role` (a core Role),
optional `tz` (IANA zone) and a required `exp`. Expiry is checked against our Clock, so tests
move a FakeClock instead of waiting.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from adapters.web.api.errors import Unauthorized
from core.clock import Clock
from core.errors import InvalidInput
from core.members import PlatformFacts
from core.model import Member, Role
from core.timeparse import valid_timezone

ALGORITHM = "HS256"
MIN_SECRET_BYTES = 32
"""HS256 keys shorter than the hash (32 bytes) are refused (RFC 7518 §3.2)."""
DEFAULT_TOKEN_TTL = timedelta(days=30)
TOKEN_HINT = (
    "Send `Authorization: Bearer <JWT>`, signed HS256 with the API secret, with the claims "
    "sub, name, role and exp."
)


class TokenClaims(BaseModel):
    """The claims we read from a token; anything else in it is ignored."""

    model_config = ConfigDict(extra="ignore")

    sub: str = Field(min_length=1, max_length=200)
    name: str = Field(min_length=1, max_length=200)
    role: Role
    tz: str | None = None
    exp: int
    nbf: int | None = None


def check_secret(secret: SecretStr) -> bytes:
    """The secret's bytes; ValueError when too short for HS256."""
    raw = secret.get_secret_value().encode()
    if len(raw) < MIN_SECRET_BYTES:
        raise ValueError(f"the API's JWT secret must be at least {MIN_SECRET_BYTES} bytes")
    return raw


def mint_token(
    secret: SecretStr,
    member_id: str,
    name: str,
    role: Role,
    now: datetime,
    *,
    ttl: timedelta = DEFAULT_TOKEN_TTL,
    timezone: str | None = None,
) -> str:
    """A signed bearer token for `member_id` acting as `role`, valid from `now` for `ttl`.

    For the website's backend (and `dojobot api-token`); `timezone` must be an IANA zone.
    """
    claims: dict[str, Any] = {
        "sub": member_id,
        "name": name,
        "role": role.value,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    if timezone is not None:
        claims["tz"] = valid_timezone(timezone)
    import jwt  # deferred: PyJWT (and cryptography) load at the first token, not at start-up

    return jwt.encode(claims, check_secret(secret), algorithm=ALGORITHM)


class BearerAuth:
    """Turns an `Authorization` header into the Member acting, or raises Unauthorized."""

    def __init__(self, secret: SecretStr, clock: Clock) -> None:
        self._key = check_secret(secret)
        self._clock = clock

    def member(self, authorization: str | None) -> Member:
        """The member the header's token names (401 Unauthorized when missing or invalid)."""
        facts, role = self.facts(authorization)
        zone = facts.timezone or "UTC"
        return Member(id=facts.member_id, display_name=facts.display_name, role=role, timezone=zone)

    def facts(self, authorization: str | None) -> tuple[PlatformFacts, Role]:
        """What the header's token says about the member (for `SessionService.identify`:
        no tz claim, no zone) and their role; 401 Unauthorized when missing or invalid."""
        token = _bearer_token(authorization)
        claims = self._claims(token)
        now = int(self._clock.now().timestamp())
        if claims.exp <= now:
            raise Unauthorized("The token has expired.", "Ask the website for a fresh token.")
        if claims.nbf is not None and claims.nbf > now:
            raise Unauthorized("The token is not valid yet.", TOKEN_HINT)
        try:
            timezone = valid_timezone(claims.tz) if claims.tz else None
        except InvalidInput as error:
            raise Unauthorized(f"The token's tz claim is invalid: {error.message}") from None
        facts = PlatformFacts(
            member_id=claims.sub, display_name=claims.name, timezone=timezone, front_end="api"
        )
        return facts, claims.role

    def _claims(self, token: str) -> TokenClaims:
        import jwt  # deferred: see mint_token

        try:
            payload = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                options={
                    "require": ["exp", "sub"],
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(f"The token is invalid: {error}.", TOKEN_HINT) from None
        try:
            return TokenClaims.model_validate(payload)
        except ValidationError as error:
            fields = ", ".join(str(e["loc"][0]) for e in error.errors() if e["loc"])
            raise Unauthorized(f"The token's claims are invalid ({fields}).", TOKEN_HINT) from None


def _bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise Unauthorized("This endpoint needs a bearer token.", TOKEN_HINT)
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("The Authorization header must use the Bearer scheme.", TOKEN_HINT)
    return token.strip()
