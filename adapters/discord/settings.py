"""Configuration of the Discord front end."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator


class DiscordSettings(BaseModel):
    """A Discord bot's credentials and behaviour; present → `dojobot run` starts the Discord
    front end. Environment: `DOJOBOT_DISCORD__TOKEN`, `DOJOBOT_DISCORD__GUILD_IDS='[123]'`…"""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    token: SecretStr
    """The bot token (Developer Portal → Bot → Reset Token)."""
    guild_ids: list[int] = Field(default_factory=list)
    """Servers to register the slash commands in (instant). Empty: global commands."""
    timezone: str | None = None
    """The server's zone for reading and showing times; default: the app's default_timezone."""
    guild_timezones: dict[str, str] = Field(default_factory=dict)
    """Per-server zone override, keyed by guild id."""
    admin_roles: list[str] = Field(default_factory=list)
    """Discord role ids or names whose holders are dojobot admins."""
    instructor_roles: list[str] = Field(default_factory=list)
    member_roles: list[str] = Field(default_factory=list)
    """Empty: everyone in the server is a member; else others are guests."""
    server_admins_are_admins: bool = True
    """Members with Discord's Administrator permission are dojobot admins too."""
    scheduled_events: bool = True
    """Mirror each session as a native Discord Scheduled Event."""
    gateway: bool = True
    """Connect to the gateway (receive commands). False: REST only (a reminder-only process)."""
    sync_commands: bool = True
    """Register the slash commands at start when their definition changed."""
    shard_count: int | None = Field(default=None, ge=1)
    """Set → AutoShardedClient with this many shards (large bots)."""
    auto_shard: bool = False
    """AutoShardedClient with the shard count Discord recommends."""
    shard_ids: list[int] | None = None
    """Shards this process runs (with shard_count, to split shards across processes)."""
    api_base: str | None = None
    """Override of discord.py's Route.BASE (a proxy, or the fake API in tests)."""
    global_rate_limit: int = Field(default=50, ge=1)
    """Requests per window our fan-out stays under (Discord's global limit: 50 per second)."""
    rate_window_seconds: float = Field(default=1.0, gt=0)
    pace_margin: float = Field(default=0.0, ge=0, lt=1)
    """Extra share of the window a request slot stays held after its answer (clock drift)."""
    quiet_start: bool = True
    """Send nothing for one window after start: the process this one replaces may have used
    the last window in full (off only in tests, where no process came before)."""
    defer_after_seconds: float = Field(default=2.0, ge=0)
    """An interaction not answered by then is deferred (Discord allows 3 s)."""

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return None if value is None else _valid_zone(value)

    @field_validator("guild_timezones")
    @classmethod
    def _zones(cls, value: dict[str, str]) -> dict[str, str]:
        return {guild: _valid_zone(zone) for guild, zone in value.items()}

    @property
    def sharded(self) -> bool:
        return self.auto_shard or self.shard_count is not None


def _valid_zone(name: str) -> str:
    """The canonical zone name, or a ValueError (so the settings error names the variable)."""
    from core.errors import InvalidInput
    from core.timeparse import valid_timezone

    try:
        return valid_timezone(name)
    except InvalidInput as error:
        raise ValueError(error.user_text()) from None
