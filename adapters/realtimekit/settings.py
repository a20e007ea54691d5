"""Configuration of Cloudflare RealtimeKit rooms."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, SecretStr


class RealtimeKitSettings(BaseModel):
    """A Cloudflare account's RealtimeKit app; present → rooms are RealtimeKit meetings."""

    model_config = ConfigDict(extra="forbid")

    account_id: str
    app_id: str
    api_token: SecretStr
    base_url: str = "https://api.cloudflare.com/client/v4"
