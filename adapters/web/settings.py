"""Configuration of dojobot's own HTTP server."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from adapters.web.connections import ConnectionLimits
from core.join_pass import MIN_SECRET_BYTES

REALTIMEKIT_CORE_URL = "https://cdn.jsdelivr.net/npm/@cloudflare/realtimekit@2.0.2/dist/browser.js"
REALTIMEKIT_UI_LOADER_URL = (
    "https://cdn.jsdelivr.net/npm/@cloudflare/realtimekit-ui@2.0.2/loader/index.es2017.js"
)


class WebSettings(BaseModel):
    """Where the HTTP server listens and the address the outside world reaches it by."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    enabled: bool = True
    """Serve HTTP at all (the terminal front end works without it)."""
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    """0 picks a free port (tests)."""
    public_url: str | None = None
    """Base URL members' browsers and Slack reach us by; default http://<host>:<port>."""
    join_secret: SecretStr | None = None
    """HMAC key signing join links (>= 32 bytes). Unset → one is generated once and kept in
    `<data_dir>/join-secret`, so links survive restarts; set it when several processes or
    hosts serve the same join links."""
    join_link_ttl: timedelta = timedelta(minutes=15)
    """How long a join link works after it was handed out."""
    page_link_ttl: timedelta = timedelta(hours=24)
    """How long a personal training-page link (`/training-page`, `/class-page`,
    `/overview`) works after it was handed out (1 minute to 7 days)."""
    api_jwt_secret: SecretStr | None = Field(default=None, min_length=32)
    """HS256 key of the REST API's bearer tokens (>= 32 characters). Unset → /api answers 503."""
    status_poll_seconds: float = Field(default=5.0, gt=0, le=300)
    """How often an open session page re-checks the session's status (no reload needed)."""
    realtimekit_core_url: str = REALTIMEKIT_CORE_URL
    """The RealtimeKit web-core browser build the join page loads (pinned version)."""
    realtimekit_ui_url: str = REALTIMEKIT_UI_LOADER_URL
    """The RealtimeKit UI kit loader the join page imports (pinned, same version)."""
    header_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    """A connection whose request headers are not complete this long after it opened is
    dropped (slow clients cannot pile up)."""
    body_timeout_seconds: float = Field(default=30.0, gt=0, le=600)
    """A request whose body is not complete this long after its headers is answered 408
    and its connection dropped."""
    keepalive_timeout_seconds: float = Field(default=75.0, gt=0, le=3600)
    """An idle keep-alive connection is closed after this long."""
    max_connections: int = Field(default=1000, ge=10, le=100_000)
    """Open connections at most; beyond it the oldest one still sending its request is
    dropped (or the new one, when every connection is busy)."""

    @field_validator("join_secret")
    @classmethod
    def _long_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"join_secret must be at least {MIN_SECRET_BYTES} bytes")
        return value

    @field_validator("join_link_ttl")
    @classmethod
    def _sane_ttl(cls, value: timedelta) -> timedelta:
        if not timedelta(minutes=1) <= value <= timedelta(hours=24):
            raise ValueError("join_link_ttl must be between 1 minute and 24 hours")
        return value

    @field_validator("page_link_ttl")
    @classmethod
    def _sane_page_ttl(cls, value: timedelta) -> timedelta:
        if not timedelta(minutes=1) <= value <= timedelta(days=7):
            raise ValueError("page_link_ttl must be between 1 minute and 7 days")
        return value

    @field_validator("realtimekit_core_url", "realtimekit_ui_url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise ValueError("the RealtimeKit script URLs must be https URLs")
        return value

    def connection_limits(self) -> ConnectionLimits:
        """The server's deadlines on slow clients and its cap on connections."""
        return ConnectionLimits(
            header_timeout=self.header_timeout_seconds,
            body_timeout=self.body_timeout_seconds,
            keepalive_timeout=self.keepalive_timeout_seconds,
            max_connections=self.max_connections,
        )

    def base_url(self, port: int | None = None) -> str:
        """`public_url`, else http://<host>:<port> (`port`: the port actually listened on)."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "localhost" if self.host in ("127.0.0.1", "0.0.0.0") else self.host
        return f"http://{host}:{self.port if port is None else port}"
