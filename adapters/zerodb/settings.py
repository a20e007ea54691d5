"""Configuration of the ZeroDB store."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from adapters.zerodb.dialect import DialectName, ZeroDBDialect, resolve_dialect


class ZeroDBSettings(BaseModel):
    """A ZeroDB project; present → sessions are stored in ZeroDB tables.

    Env: `DOJOBOT_ZERODB__BASE_URL`, `…__PROJECT_ID`, `…__API_KEY`, `…__DIALECT`,
    `…__DIALECT_OVERRIDES` (JSON object of `ZeroDBDialect` knobs) and so on.
    """

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    base_url: str = "https://api.ainative.studio"
    project_id: str = Field(min_length=1)
    api_key: SecretStr
    table_prefix: str = "dojobot_"
    """Prepended to every table name, so several bots can share one project."""
    dialect: DialectName = "docs"
    dialect_overrides: dict[str, Any] = Field(default_factory=dict)
    create_tables: bool = True
    """Create missing tables when the store opens."""
    timeout_seconds: float = Field(default=10.0, gt=0)
    connect_timeout_seconds: float = Field(default=5.0, gt=0)
    retry_attempts: int = Field(default=4, ge=1)
    """Tries per call on 429/5xx/network errors (inserts: only on 429, never re-sent blind)."""
    retry_base_seconds: float = Field(default=0.25, ge=0)
    retry_max_seconds: float = Field(default=10.0, ge=0)
    """Cap of one pause, also of an honoured `Retry-After`."""
    session_lock_seconds: float = Field(default=30.0, gt=0)
    """Lease of the per-session lock row that serialises RSVP writes across processes."""
    session_lock_tries: int = Field(default=8, ge=1)
    """How often an RSVP write retries a contended session lock before giving up (busy)."""

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError("base_url must be an http(s) URL such as https://api.ainative.studio")
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ValueError("base_url must not carry credentials, a query or a fragment")
        return value.strip().rstrip("/")

    @field_validator("table_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if value and not value.replace("_", "").isalnum():
            raise ValueError("table_prefix may hold only letters, digits and underscores")
        return value

    @field_validator("dialect_overrides")
    @classmethod
    def _dialect(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        """Refuse bad overrides now, naming the knob (so the error names this variable)."""
        dialect = info.data.get("dialect")
        if dialect is None:  # the dialect itself was refused; its own error says so
            return value
        try:
            resolve_dialect(dialect, value)
        except ValidationError as error:
            problems = error.errors(include_input=False, include_url=False)
            knobs = "; ".join(f"{'.'.join(map(str, p['loc']))}: {p['msg']}" for p in problems)
            raise ValueError(f"refused knobs ({knobs})") from None
        return value

    @property
    def api_dialect(self) -> ZeroDBDialect:
        """The chosen preset with the overrides applied."""
        return resolve_dialect(self.dialect, self.dialect_overrides)
