"""Configuration of dojobot's own HTTP server."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class WebSettings(BaseModel):
    """Where the HTTP server listens and the address the outside world reaches it by."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    """Serve HTTP at all (the terminal front end works without it)."""
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    """0 picks a free port (tests)."""
    public_url: str | None = None
    """Base URL members' browsers and Slack reach us by; default http://<host>:<port>."""
