"""Configuration of the Jitsi adapter (public meet.jit.si by default, or a token-auth server)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

TokenPlacement = Literal["fragment", "query"]
"""Where the JWT goes: `#jwt=` (clients since mid-2024; kept out of server logs and Referer)
or `?jwt=` (every client version; use it for deployments older than that)."""

SigningAlgorithm = Literal["HS256", "HS384", "HS512"]

OptionValue = str | bool | int
"""A per-link Jitsi option value; it is JSON-encoded into the URL fragment."""

MIN_SECRET_BYTES: dict[str, int] = {"HS256": 32, "HS384": 48, "HS512": 64}
"""RFC 7518 §3.2: an HMAC key at least as long as the hash output."""

_TENANT = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_OPTION_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$")
_FORBIDDEN_KEY_PARTS = {"__proto__", "constructor", "prototype", "jwt"}


class JitsiSettingsError(Exception):
    """Unusable Jitsi credentials.

    Deliberately not a ValueError: pydantic would turn that into a ValidationError whose text
    echoes the raw input (the secret) whenever a parent settings model lacks
    `hide_input_in_errors`; this one propagates with only our message.
    """


class JitsiSettings(BaseModel):
    """How the bot builds Jitsi links; with `app_id` + `app_secret` every link carries a JWT.

    Token lifetime (reference §5): `nbf = min(start − token_lead, now − clock_skew)` and
    `exp = max(end + token_grace, now + token_min_validity)`, so a link handed out is valid
    at once (even if the server's clock is a little behind) and never already expired when a
    member joins late or the class overruns; a leaked link still dies shortly after the slot.
    Whether a member may join at all is decided by the service before a link is minted.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    base_url: str = "https://meet.jit.si"
    """`https://<domain>` or `https://<domain>/<tenant>` for multi-tenant deployments."""
    app_id: str | None = Field(default=None, min_length=1)
    app_secret: SecretStr | None = None
    audience: str = Field(default="jitsi", min_length=1)
    token_in: TokenPlacement = "fragment"
    algorithm: SigningAlgorithm = "HS256"
    """Must match Prosody's `signature_algorithm` (docker: `JWT_SIGN_TYPE`)."""
    token_lead: timedelta = timedelta(minutes=15)
    token_grace: timedelta = timedelta(minutes=15)
    token_min_validity: timedelta = timedelta(minutes=15)
    clock_skew: timedelta = timedelta(seconds=60)
    link_options: dict[str, OptionValue] = {}
    """Extra `#key=value` options, e.g. `{"config.prejoinConfig.enabled": False}`."""

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError("base_url must be an https URL such as https://meet.jit.si")
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ValueError("base_url must not carry credentials, a query or a fragment")
        tenant = parts.path.strip("/").lower()
        if tenant and not _TENANT.match(tenant):
            raise ValueError("base_url may hold at most one path segment (the tenant)")
        netloc = parts.hostname.lower() + (f":{parts.port}" if parts.port else "")
        return f"https://{netloc}" + (f"/{tenant}" if tenant else "")

    @field_validator("token_lead", "token_grace", "token_min_validity", "clock_skew")
    @classmethod
    def _not_negative(cls, value: timedelta) -> timedelta:
        if value < timedelta():
            raise ValueError("token margins must not be negative")
        return value

    @field_validator("link_options")
    @classmethod
    def _option_keys(cls, value: dict[str, OptionValue]) -> dict[str, OptionValue]:
        for key in value:
            if not _OPTION_KEY.match(key) or _FORBIDDEN_KEY_PARTS & set(key.split(".")):
                raise ValueError(f"invalid Jitsi link option name: {key!r}")
        return value

    @model_validator(mode="after")
    def _credentials(self) -> JitsiSettings:
        if (self.app_id is None) != (self.app_secret is None):
            raise JitsiSettingsError("set both app_id and app_secret for token auth, or neither")
        if self.app_secret is not None:
            minimum = MIN_SECRET_BYTES[self.algorithm]
            if len(self.app_secret.get_secret_value().encode()) < minimum:
                message = f"app_secret must be at least {minimum} bytes for {self.algorithm}"
                raise JitsiSettingsError(message)
        return self

    @property
    def uses_tokens(self) -> bool:
        """Whether links carry a signed JWT (self-hosted token auth)."""
        return self.app_id is not None and self.app_secret is not None

    @property
    def domain(self) -> str:
        """The lowercase host name, without port or tenant."""
        return urlsplit(self.base_url).hostname or ""

    @property
    def tenant(self) -> str | None:
        """The tenant path segment of a multi-tenant deployment, if any."""
        return urlsplit(self.base_url).path.strip("/") or None

    @property
    def subject(self) -> str:
        """The JWT `sub`: the tenant when there is one, else the domain (reference §5)."""
        return self.tenant or self.domain
