"""Who a Slack user is: name, time zone (users.info `tz`) and dojobot role, cached."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.ids import member_id
from adapters.slack.roles import RoleResolver
from core.errors import InvalidInput
from core.model import Member
from core.timeparse import valid_timezone


@dataclass(frozen=True)
class SlackProfile:
    """The parts of a users.info answer dojobot uses."""

    user_id: str
    name: str
    tz: str | None
    is_guest: bool
    is_bot: bool

    @classmethod
    def from_user(cls, user: dict[str, Any]) -> SlackProfile:
        profile = user.get("profile") or {}
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
            or user["id"]
        )
        return cls(
            user_id=user["id"],
            name=str(name),
            tz=user.get("tz"),
            is_guest=bool(user.get("is_restricted") or user.get("is_ultra_restricted")),
            is_bot=bool(user.get("is_bot")),
        )


class SlackDirectory:
    """Turns a Slack user into a dojobot Member; users.info answers are reused for `ttl` s."""

    def __init__(
        self,
        client: AsyncWebClient,
        roles: RoleResolver,
        default_timezone: str,
        ttl: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.roles = roles
        self.default_timezone = default_timezone
        self.ttl = ttl
        self._monotonic = monotonic
        self._profiles: dict[str, tuple[float, SlackProfile]] = {}

    async def profile(self, user_id: str) -> SlackProfile:
        """The user's profile from users.info (cached)."""
        now = self._monotonic()
        cached = self._profiles.get(user_id)
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        answer = await self.client.users_info(user=user_id)
        profile = SlackProfile.from_user(answer["user"])
        self._profiles[user_id] = (now, profile)
        return profile

    async def member(self, team_id: str, user_id: str) -> Member:
        """The member acting: name, zone (default when Slack has none) and role."""
        profile = await self.profile(user_id)
        return Member(
            id=member_id(team_id, user_id),
            display_name=profile.name,
            role=await self.roles.role_of(profile.user_id, profile.is_guest),
            timezone=self._zone(profile.tz),
        )

    def _zone(self, tz: str | None) -> str:
        if not tz:
            return self.default_timezone
        try:
            return valid_timezone(tz)
        except InvalidInput:
            return self.default_timezone

    def forget(self, user_id: str) -> None:
        """Drop a cached profile (the user changed name or zone: `user_change` event)."""
        self._profiles.pop(user_id, None)
