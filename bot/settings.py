"""Settings, read once from the environment and `.env` by the composition root."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from adapters.discord.settings import DiscordSettings
from adapters.jitsi.settings import JitsiSettings
from adapters.metrics.settings import MetricsSettings
from adapters.realtimekit.settings import RealtimeKitSettings
from adapters.slack.settings import SlackSettings
from adapters.web.settings import WebSettings
from adapters.zerodb.settings import ZeroDBSettings


class Settings(BaseSettings):
    """dojobot's configuration. Environment variables are `DOJOBOT_<FIELD>`; nested fields
    use a double underscore, e.g. `DOJOBOT_JITSI__BASE_URL`."""

    model_config = SettingsConfigDict(
        env_prefix="DOJOBOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="ignore",
        hide_input_in_errors=True,
        populate_by_name=True,
    )

    data_dir: Path = Path("data")
    """Where the embedded SQLite database lives."""
    database_url: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("DOJOBOT_DATABASE_URL", "DATABASE_URL")
    )
    """SQLAlchemy URL; default `sqlite+aiosqlite:///<data_dir>/dojobot.db`. Also read from
    `DATABASE_URL` (Heroku and most platforms set it). Secret: it may carry a password."""
    default_timezone: str = "UTC"
    """Zone used to read and show times for members with no zone of their own."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"
    log_format: Literal["text", "json"] = "text"
    """`json`: one JSON object per log line (time, level, logger, message, role, ids)."""
    jitsi: JitsiSettings = Field(default_factory=JitsiSettings)
    realtimekit: RealtimeKitSettings | None = None
    """Set → rooms are Cloudflare RealtimeKit meetings instead of Jitsi rooms."""
    zerodb: ZeroDBSettings | None = None
    """Set → data lives in ZeroDB instead of the SQL database."""
    web: WebSettings = Field(default_factory=WebSettings)
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    """`/metrics` (Prometheus): on the web server, or a port of its own without one."""
    slack: SlackSettings | None = None
    """Set → the Slack front end runs."""
    discord: DiscordSettings | None = None
    """Set → the Discord front end runs."""
    terminal_channel: str = "dojo"
    """The channel name the terminal front end posts announcements to."""
    shutdown_seconds: float = Field(default=10.0, gt=0)
    """On SIGTERM (or Ctrl-C) the process stops within this long: in-flight work gets half
    of it to finish, what is still running is then handed back (`bot.shutdown`)."""

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from core.errors import InvalidInput
        from core.timeparse import valid_timezone

        try:
            return valid_timezone(value)
        except InvalidInput as error:  # a ValueError, so it names the variable
            raise ValueError(error.user_text()) from None

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: SecretStr | None) -> SecretStr | None:
        from sqlalchemy.exc import ArgumentError

        from adapters.sql.engine import normalise_url

        if value is None:
            return None
        try:
            backend = normalise_url(value.get_secret_value()).get_backend_name()
        except ArgumentError:
            raise ValueError("is not a database URL") from None
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"{backend} is not supported; use PostgreSQL or SQLite")
        return value

    @property
    def public_url(self) -> str:
        """The base URL of our web server as members' browsers and Slack reach it."""
        return self.web.base_url()

    @property
    def effective_database_url(self) -> str:
        if self.database_url and self.database_url.get_secret_value():
            return self.database_url.get_secret_value()
        return f"sqlite+aiosqlite:///{(self.data_dir / 'dojobot.db').as_posix()}"
