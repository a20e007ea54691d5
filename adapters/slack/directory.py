"""Who a Slack user is: name, time zone and language (users.info `tz`, `locale`) and dojobot
role; users.info answers cached, the member's profile refreshed on every interaction."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.ids import member_id
from adapters.slack.roles import RoleResolver
from core.errors import InvalidInput
from core.members import PlatformFacts
from core.model import Member, Role
from core.timeparse import valid_timezone

Identify = Callable[[PlatformFacts, Role], Awaitable[Member]]
"""`SessionService.identify`: records the member acting and returns them as the core knows them."""


@dataclass(frozen=True)
class SlackProfile:
    """The parts of a users.info answer dojobot uses."""

    user_id: str
    name: str
    tz: str | None
    locale: str | None
    """Slack's language tag (`ja-JP`), present only when asked with `include_locale`."""
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
            locale=user.get("locale") or None,
            is_guest=bool(user.get("is_restricted") or user.get("is_ultra_restricted")),
            is_bot=bool(user.get("is_bot")),
        )


class SlackDirectory:
    """Turns a Slack user into a dojobot Member; users.info answers are reused for `ttl` s.

    Every call of `member` goes through `identify` (the service), which creates or refreshes
    the member's profile with what Slack said (name, zone, language), so a linked member comes
    back under their profile id, whatever platform that id is from.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        roles: RoleResolver,
        default_timezone: str,
        ttl: float,
        identify: Identify,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.identify = identify
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
        answer = await self.client.users_info(user=user_id, include_locale=True)
        profile = SlackProfile.from_user(answer["user"])
        self._profiles[user_id] = (now, profile)
        return profile

    async def member(self, team_id: str, user_id: str) -> Member:
        """The member acting, as the core knows them after refreshing their profile with
        Slack's name, zone and language; role from settings. When neither Slack nor the
        profile knows a zone, the default zone."""
        profile = await self.profile(user_id)
        zone = _zone(profile.tz)
        facts = PlatformFacts(
            member_id=member_id(team_id, user_id),
            display_name=profile.name,
            timezone=zone,
            locale=profile.locale,
            front_end="slack",
        )
        role = await self.roles.role_of(profile.user_id, profile.is_guest)
        member = await self.identify(facts, role)
        if zone is None and member.timezone == "UTC":  # nobody told us a zone
            return member.model_copy(update={"timezone": self.default_timezone})
        return member

    def forget(self, user_id: str) -> None:
        """Drop a cached profile (the user changed name or zone: `user_change` event)."""
        self._profiles.pop(user_id, None)


def _zone(tz: str | None) -> str | None:
    """Slack's zone when it is a real IANA zone, else None (Slack said nothing usable)."""
    if not tz:
        return None
    try:
        return valid_timezone(tz)
    except InvalidInput:
        return None
