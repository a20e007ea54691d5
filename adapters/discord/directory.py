"""Who a Discord user is to dojobot: their role from configured Discord roles, their zone."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import discord

from adapters.discord.ids import member_id
from adapters.discord.rest import DiscordRest
from adapters.discord.settings import DiscordSettings
from core.model import Member, Role

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
    ) -> None:
        self.settings = settings
        self.default_timezone = settings.timezone or default_timezone
        self._rest = rest

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

    async def member(self, guild_id: int | None, user: discord.abc.User) -> Member:
        """The core Member for `user` acting in (or about a session of) guild `guild_id`."""
        role = Role.GUEST
        if guild_id is not None:
            role = await self._role_in_guild(guild_id, user)
        return Member(
            id=member_id(user.id),
            display_name=user.display_name or user.name or str(user.id),
            role=role,
            timezone=self.timezone_for(guild_id),
        )

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
