"""Settings, read once from the environment and `.env` by the composition root."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from adapters.discord.settings import DiscordSettings
from adapters.jitsi.settings import JitsiSettings
from adapters.metrics.settings import MetricsSettings
from adapters.realtimekit.settings import RealtimeKitSettings
from adapters.slack.settings import SlackSettings
from adapters.web.branding import Branding
from adapters.web.settings import WebSettings
from adapters.zerodb.settings import ZeroDBSettings
from bot.audit_settings import AuditSettings
from bot.min_attendance_settings import MinAttendanceSettings
from bot.no_show_settings import NoShowSettings
from bot.offer_settings import OfferSettings
from bot.rank_settings import RankSettings
from bot.substitute_settings import SubstituteSettings
from bot.training_settings import TrainingSettings
from core.channel_map import ChannelMap, parse_channel_map
from core.members import ReminderRoute
from core.model import ReminderKind
from core.reminder_preferences import ReminderDefaults, one_custom
from core.reminders import by_lead


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
    default_language: Literal["en", "ja", "de", "es", "fr"] = "en"
    """The association's language: channel posts (unless the channel has its own, like a
    Discord Community server's) and members whose platform names none of the shipped ones."""
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"
    log_format: Literal["text", "json"] = "text"
    """`json`: one JSON object per log line (time, level, logger, message, role, ids)."""
    jitsi: JitsiSettings = Field(default_factory=JitsiSettings)
    realtimekit: RealtimeKitSettings | None = None
    """Set → rooms are Cloudflare RealtimeKit meetings instead of Jitsi rooms."""
    zerodb: ZeroDBSettings | None = None
    """Set → data lives in ZeroDB instead of the SQL database."""
    web: WebSettings = Field(default_factory=WebSettings)
    branding: Branding = Field(default_factory=Branding)
    """The association's name, logo and accent on the web pages (`DOJOBOT_BRANDING__NAME`…)."""
    metrics: MetricsSettings = Field(default_factory=MetricsSettings)
    """`/metrics` (Prometheus): on the web server, or a port of its own without one."""
    slack: SlackSettings | None = None
    """Set → the Slack front end runs."""
    discord: DiscordSettings | None = None
    """Set → the Discord front end runs."""
    terminal_channel: str = "dojo"
    """The channel name the terminal front end posts announcements to."""
    channel_map: Annotated[ChannelMap, NoDecode] = Field(default_factory=ChannelMap)
    """Channels linked across platforms (`core.channel_map`), e.g.
    `slack:T01ABC/C01DEF=discord:111111111111111111/222222222222222222`: a session scheduled
    in one is announced in each, with one capacity and one waitlist."""
    shutdown_seconds: float = Field(default=10.0, gt=0)
    """On SIGTERM (or Ctrl-C) the process stops within this long: in-flight work gets half
    of it to finish, what is still running is then handed back (`bot.shutdown`)."""
    reminders: Annotated[list[ReminderKind], NoDecode] = Field(
        default_factory=lambda: [
            ReminderKind.BEFORE_24H,
            ReminderKind.BEFORE_1H,
            ReminderKind.BEFORE_10M,
        ]
    )
    """The reminders members get by DM unless they chose otherwise, comma-separated
    (`24h,1h,10m`, plus at most one of `48h,12h,6h,3h,2h,30m`); empty: none."""
    reminder_route: ReminderRoute = ReminderRoute.DM
    """`dm`: members get their reminders by DM unless they chose otherwise; `none`: only
    those who ask for them."""
    channel_reminders: Annotated[list[ReminderKind], NoDecode] = Field(
        default_factory=lambda: [ReminderKind.BEFORE_10M]
    )
    """The reminders also posted in the session's channel (default: the 10-minute
    "starting soon" one only; `24h,1h,10m`: every one; empty: none)."""
    offers: OfferSettings = Field(default_factory=OfferSettings)
    """Waitlist offers (`DOJOBOT_OFFERS__ENABLED`…): a freed seat is offered with a deadline."""
    min_attendance: MinAttendanceSettings = Field(default_factory=MinAttendanceSettings)
    """How sessions with `min N` are decided (`DOJOBOT_MIN_ATTENDANCE__DECIDE_BEFORE`…)."""
    substitutes: SubstituteSettings = Field(default_factory=SubstituteSettings)
    """Substitute instructors (`DOJOBOT_SUBSTITUTES__PREFERRED`…): who is asked, how long."""
    no_shows: NoShowSettings = Field(default_factory=NoShowSettings)
    """The no-show policy (`DOJOBOT_NO_SHOWS__ENABLED`…): marks always, consequences opt-in."""
    training: TrainingSettings = Field(default_factory=TrainingSettings)
    """The training ledger (`DOJOBOT_TRAINING__ATTENDED_SHARE`): the share of a session a
    member must be present for to count as attended."""
    audit: AuditSettings = Field(default_factory=AuditSettings)
    """The audit log's retention (`DOJOBOT_AUDIT__KEPT_FOR`, e.g. `730d`; at least `30d`)."""
    ranks: RankSettings = Field(default_factory=RankSettings)
    """The rank ladder (`DOJOBOT_RANKS__LADDER` or `DOJOBOT_RANKS__FILE`) and the weekly
    digest of newly eligible members (`DOJOBOT_RANKS__DIGEST_WEEKDAY`, `…__DIGEST_HOUR`)."""

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from core.errors import InvalidInput
        from core.timeparse import valid_timezone

        try:
            return valid_timezone(value)
        except InvalidInput as error:  # a ValueError, so it names the variable
            raise ValueError(error.user_text()) from None

    @field_validator("channel_map", mode="before")
    @classmethod
    def _channel_map(cls, value: object) -> object:
        from core.errors import InvalidInput

        if not isinstance(value, str):
            return value
        try:
            return parse_channel_map(value)
        except InvalidInput as error:  # as a ValueError, the error names the variable
            raise ValueError(error.message) from None

    @field_validator("reminders", "channel_reminders", mode="before")
    @classmethod
    def _reminder_kinds(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list):
            return value
        known = [kind.value for kind in by_lead(ReminderKind)]
        unknown = [str(v) for v in value if str(v) not in known]
        if unknown:
            raise ValueError(
                f"unknown reminder {', '.join(unknown)}; use a comma-separated list of "
                f"{', '.join(known)}"
            )
        return one_custom([ReminderKind(str(v)) for v in value])

    def reminder_defaults(self) -> ReminderDefaults:
        """The association's reminder choices, for the core (`core.reminder_preferences`)."""
        return ReminderDefaults(
            kinds=self.reminders,
            route=self.reminder_route,
            channel_kinds=self.channel_reminders,
            timezone=self.default_timezone,
        )

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
