"""Configuration of the Slack front end."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

DEFAULT_API_BASE_URL = "https://slack.com/api/"


class SlackSettings(BaseModel):
    """A Slack app's credentials and dojobot's Slack-side choices.

    Present (bot token + signing secret set) → `dojobot run` starts the Slack front end.
    Roles: `admins` and `instructors` list Slack user ids (`U012AB3CD`), user-group ids
    (`S0123ABC`) or user-group handles (`@dojo-admins`). Everyone else is a member, except
    guests (multi- and single-channel guests); with `members_usergroup` set, only that group's
    people are members and everyone else is a guest.
    """

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)  # tokens stay out

    bot_token: SecretStr
    """xoxb-… bot token."""
    signing_secret: SecretStr
    """Verifies that HTTP requests come from Slack."""
    app_token: SecretStr | None = None
    """xapp-… app-level token; when set, Socket Mode is used (no public URL needed)."""
    api_base_url: str = DEFAULT_API_BASE_URL
    """Slack Web API base URL (tests point it at a local fake)."""
    events_path: str = "/slack/events"
    """Our route for slash commands, interactivity and events (HTTP mode)."""
    admins: list[str] = Field(default_factory=list)
    instructors: list[str] = Field(default_factory=list)
    members_usergroup: str | None = None
    """Id or @handle of the user group whose people are members; unset: every full member."""
    directory_cache_seconds: float = Field(default=600, ge=0)
    """How long users.info answers and user-group memberships are reused."""
    channel_post_interval_seconds: float = Field(default=1.0, ge=0)
    """Minimum spacing of chat.postMessage calls per channel (Slack allows ~1/s)."""
    rate_limit_retries: int = Field(default=3, ge=0)
    """Retries of a Web API call answered 429 (each waits the Retry-After seconds)."""
    server_error_retries: int = Field(default=2, ge=0)
    """Retries of a Web API call that failed with 500/503 or a dropped connection."""
    dedupe_seconds: float = Field(default=600, ge=360)
    """How long a delivery (event_id / trigger_id / a command's fingerprint) is remembered in
    the store to drop Slack's retries and replays: longer than the 5-minute replay window."""
    work_concurrency: int = Field(default=2, ge=1)
    """How many acknowledged requests are worked on at once (the rest wait their turn)."""
    work_quiet_seconds: float = Field(default=0.02, ge=0)
    """Queued work starts once no request arrived for this long (acks first in a burst)."""
    work_max_defer_seconds: float = Field(default=10.0, ge=0)
    """…or once it has waited this long, so a long burst cannot starve it."""

    @field_validator("admins", "instructors", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        """Accept `"U1,@dojo-admins"` as well as a list (the environment takes a JSON list)."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("app_token")
    @classmethod
    def _app_level(cls, value: SecretStr | None) -> SecretStr | None:
        """Socket Mode takes only an app-level token; a bot token would be refused by Slack."""
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError(
                "must be an app-level token starting with xapp- (Basic Information → "
                "App-Level Tokens, scope connections:write), not the xoxb- bot token"
            )
        return value

    @field_validator("api_base_url")
    @classmethod
    def _slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"
