"""Configuration of Cloudflare RealtimeKit rooms and webhooks."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

PUBLISHED_KEY_URL = "https://api.realtime.cloudflare.com/.well-known/webhooks.json"
"""Where RealtimeKit publishes the public key its webhook signatures verify against."""


class PresetNames(BaseModel):
    """Which of the app's presets (role templates, `GET /presets`) each role joins with.

    Chat permissions live in presets, so sessions with chat off use the `*_without_chat`
    presets when they are set (otherwise the normal ones, and a warning is logged).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = Field(default="group_call_host", min_length=1)
    participant: str = Field(default="group_call_participant", min_length=1)
    host_without_chat: str | None = None
    participant_without_chat: str | None = None

    def pick(self, is_host: bool, chat_enabled: bool) -> str:
        """The preset name for a host or a member of a session with chat on or off."""
        if is_host:
            return self.host if chat_enabled else (self.host_without_chat or self.host)
        if chat_enabled:
            return self.participant
        return self.participant_without_chat or self.participant

    def names(self) -> set[str]:
        """Every configured preset name."""
        optional = (self.host_without_chat, self.participant_without_chat)
        return {self.host, self.participant, *(name for name in optional if name)}


class RealtimeKitSettings(BaseModel):
    """A Cloudflare account's RealtimeKit app; present → rooms are RealtimeKit meetings.

    `api_token` is a Cloudflare API token with the Realtime (or Realtime Admin) permission.
    Environment: `DOJOBOT_REALTIMEKIT__ACCOUNT_ID`, `…__APP_ID`, `…__API_TOKEN`,
    `…__PRESETS__HOST`, `…__WEBHOOK_PUBLIC_KEY` …
    """

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    account_id: str = Field(min_length=1)
    app_id: str = Field(min_length=1)
    api_token: SecretStr
    base_url: str = "https://api.cloudflare.com/client/v4"
    presets: PresetNames = Field(default_factory=PresetNames)
    keep_alive_seconds: int = Field(default=60, ge=60, le=600)
    """How long a call stays open after the last participant left."""
    persist_chat: bool = False
    """Keep each meeting's chat for a week after the call (RealtimeKit's `persist_chat`).

    This is not chat on/off: sessions without chat join with the `*_without_chat` presets."""
    webhook_public_key: str | None = None
    """PEM of the webhook signing key; unset → fetched from `webhook_key_url` and cached."""
    webhook_key_url: str = PUBLISHED_KEY_URL
    key_refetch_seconds: float = Field(default=300.0, ge=0)
    """After a failed check, the published key is fetched again at most this often."""
    max_retries: int = Field(default=3, ge=0, le=10)
    """Retries of one call after a 429, a 5xx or a network error."""
    backoff_seconds: float = Field(default=0.5, ge=0)
    """First retry delay; doubled each retry (when no Retry-After is given)."""
    max_backoff_seconds: float = Field(default=8.0, ge=0)
    """Longest wait between two tries; a longer Retry-After gives up at once."""
    timeout_seconds: float = Field(default=10.0, gt=0)
    connect_timeout_seconds: float = Field(default=5.0, gt=0)

    @field_validator("base_url", "webhook_key_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/")

    @property
    def app_path(self) -> str:
        """The path prefix of every RealtimeKit call, under `base_url`."""
        return f"/accounts/{self.account_id}/realtime/kit/{self.app_id}"
