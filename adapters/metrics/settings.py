"""Configuration of the `/metrics` endpoint (Prometheus text format)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

MIN_TOKEN_CHARS = 16


class MetricsSettings(BaseModel):
    """Whether this process counts, where a process without a web server serves its own
    figures, and the bearer token that guards `/metrics`."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    enabled: bool = True
    """Count and serve `/metrics` (on the web server in `web` and `run`)."""
    port: int | None = Field(default=None, ge=0, le=65535)
    """Processes without a web server (`discord`, `clock`) serve `/metrics` on this port;
    unset, they serve none. 0 picks a free port (tests)."""
    host: str = "127.0.0.1"
    """Address of that port; 0.0.0.0 to be scraped from another machine."""
    token: SecretStr | None = None
    """Set → `/metrics` answers 401 unless sent `Authorization: Bearer <token>`."""

    @field_validator("token")
    @classmethod
    def _long_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_TOKEN_CHARS:
            raise ValueError(f"the metrics token must be at least {MIN_TOKEN_CHARS} characters")
        return value
