"""Who a Discord user is to dojobot: their role from configured Discord roles, their zone,
their language; and the language of each server's channels."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import discord

from adapters.discord.ids import member_id
from adapters.discord.rest import DiscordRest
from adapters.discord.settings import DiscordSettings
from core.members import PlatformFacts
from core.model import Member, Role

Identify = Callable[[PlatformFacts, Role], Awaitable[Member]]
"""`SessionService.identify`: records the member acting and returns them as the core knows them."""
log = logging.getLogger(__name__)

GUILD_LOCALE_TTL = 3600.0
"""Seconds a server's language read from Discord is trusted before it is read again."""
DISCORD_DEFAULT_LOCALE = "en-US"
"""The `guild_locale` of every server that never set one (only Community servers can)."""

ADMINISTRATOR = 1 << 3


def _matches(entries: list[str], role_ids: set[int], role_names: set[str]) -> bool:
    """An entry is a role id (digits) or a role name (any case)."""
    for entry in entries:
        text = entry.strip()
        if text.isdigit() and int(text) in role_ids:
            return True
        if text.lower() in role_names:
            return True
    return False


class DiscordMembers:
    """Maps Discord users to core Members using the role settings.

    Roles come from the gateway's guild cache when it holds the guild, otherwise from the
    REST API (member roles, guild role names), cached briefly.
    """

    def __init__(
        self,
        settings: DiscordSettings,
        default_timezone: str,
        rest: Callable[[], DiscordRest],
        identify: Identify,
    ) -> None:
        self.settings = settings
        self.default_timezone = settings.timezone or default_timezone
        self._rest = rest
        self._identify = identify
        self.guild_locales: dict[int, str] = {}
        """Per server, the language its members set for it (Community servers)."""
        self._locale_seen: dict[int, float] = {}

    def timezone_for(self, guild_id: int | None) -> str:
        """The configured zone of this server (or the default)."""
        if guild_id is not None and str(guild_id) in self.settings.guild_timezones:
            return self.settings.guild_timezones[str(guild_id)]
        return self.default_timezone

    def role_of(self, role_ids: set[int], role_names: set[str], server_admin: bool) -> Role:
        """The dojobot role for a member holding these Discord roles."""
        s = self.settings
        if (server_admin and s.server_admins_are_admins) or _matches(
            s.admin_roles, role_ids, role_names
        ):
            return Role.ADMIN
        if _matches(s.instructor_roles, role_ids, role_names):
            return Role.INSTRUCTOR
        if not s.member_roles or _matches(s.member_roles, role_ids, role_names):
            return Role.MEMBER
        return Role.GUEST

    async def channel_locale(self, guild_id: int | None) -> str | None:
        """The language of a server's channel posts (its `guild_locale`), or None when the
        server never chose one (then the association's default applies). Known from the
        last interaction there, else read once an hour from the server (`GET /guilds/{id}`:
        its `preferred_locale` and `features`), so a process without the gateway knows it."""
        if guild_id is None:
            return None
        seen = self._locale_seen.get(guild_id)
        if seen is None or time.monotonic() - seen >= GUILD_LOCALE_TTL:
            await self._read_guild_locale(guild_id)
        return self.guild_locales.get(guild_id)

    def note_guild_locale(
        self, guild_id: int | None, locale: str | None, community: bool = False
    ) -> None:
        """Remember a server's `guild_locale` (from an interaction, or read from the server).
        Only Community servers can set one, so Discord's default counts only when the server
        is known to be one."""
        if guild_id is None or locale is None:
            return
        self._locale_seen[guild_id] = time.monotonic()
        if locale != DISCORD_DEFAULT_LOCALE or community:
            self.guild_locales[guild_id] = locale
        else:
            self.guild_locales.pop(guild_id, None)

    async def _read_guild_locale(self, guild_id: int) -> None:
        rest = self._rest()
        try:
            async with rest.pacer.slot():
                data: Any = await rest.http.get_guild(guild_id, with_counts=False)
        except discord.HTTPException as error:
            log.warning("could not read the language of server %s: %s", guild_id, error.status)
            return
        community = "COMMUNITY" in (data.get("features") or [])
        self.note_guild_locale(guild_id, data.get("preferred_locale"), community)

    async def member(
        self, guild_id: int | None, user: discord.abc.User, locale: str | None = None
    ) -> Member:
        """The core Member for `user` acting in (or about a session of) guild `guild_id`,
        with `locale`, their Discord client's language. Their profile is created or refreshed
        (`identify`). Discord tells no personal zone: times are read in the server's zone."""
        role = Role.GUEST
        if guild_id is not None:
            role = await self._role_in_guild(guild_id, user)
        facts = PlatformFacts(
            member_id=member_id(user.id),
            display_name=user.display_name or user.name or str(user.id),
            locale=locale,
            front_end="discord",
        )
        member = await self._identify(facts, role)
        return member.model_copy(update={"timezone": self.timezone_for(guild_id)})

    async def _role_in_guild(self, guild_id: int, user: discord.abc.User) -> Role:
        if isinstance(user, discord.Member) and len(user.guild.roles) > 0:
            roles = user.roles
            return self.role_of(
                {r.id for r in roles},
                {r.name.lower() for r in roles},
                user.guild_permissions.administrator,
            )
        rest = self._rest()
        try:
            data = await rest.member(guild_id, user.id)
        except discord.NotFound:  # not (or no longer) in that server: a guest there
            return Role.GUEST
        ids = {int(r) for r in data.get("roles", [])}
        guild_roles = await rest.roles(guild_id) if self._needs_role_table() else []
        held = [r for r in guild_roles if int(r["id"]) in ids or int(r["id"]) == guild_id]
        return self.role_of(ids, {str(r["name"]).lower() for r in held}, _administrator(held))

    def _needs_role_table(self) -> bool:
        s = self.settings
        entries = [*s.admin_roles, *s.instructor_roles, *s.member_roles]
        return s.server_admins_are_admins or any(not e.strip().isdigit() for e in entries)


def _administrator(roles: Iterable[dict[str, object]]) -> bool:
    return any(int(str(r.get("permissions", "0"))) & ADMINISTRATOR for r in roles)
