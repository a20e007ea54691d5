"""Configuration of the ZeroDB store."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, SecretStr


class ZeroDBSettings(BaseModel):
    """A ZeroDB project; present → sessions are stored in ZeroDB tables."""

    model_config = ConfigDict(extra="forbid")

    base_url: str
    project_id: str
    api_key: SecretStr
