"""dojobot roles from settings: Slack user ids, user-group ids or @handles, cached."""

from __future__ import annotations

import time
from collections.abc import Callable

from slack_sdk.web.async_client import AsyncWebClient

from core.model import Role


def _is_user_id(entry: str) -> bool:
    return entry[:1] in ("U", "W") and entry.isalnum() and entry.isupper()


def _is_group_id(entry: str) -> bool:
    return entry.startswith("S") and entry.isalnum() and entry.isupper()


class RoleResolver:
    """Admin, instructor, member or guest for a Slack user.

    Admins and instructors are listed in settings (user ids, user-group ids or @handles,
    resolved with usergroups.list and usergroups.users.list). Everyone else is a member unless
    Slack says they are a guest; with `members_group` set, only that group's people are
    members. Group memberships are reused for `ttl` seconds.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        admins: list[str],
        instructors: list[str],
        members_group: str | None,
        ttl: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.admins = admins
        self.instructors = instructors
        self.members_group = members_group
        self.ttl = ttl
        self._monotonic = monotonic
        self._handles: tuple[float, dict[str, str]] | None = None
        self._groups: dict[str, tuple[float, frozenset[str]]] = {}

    async def role_of(self, user_id: str, is_guest: bool) -> Role:
        if await self._listed(user_id, self.admins):
            return Role.ADMIN
        if await self._listed(user_id, self.instructors):
            return Role.INSTRUCTOR
        if self.members_group is not None:
            listed = await self._listed(user_id, [self.members_group])
            return Role.MEMBER if listed else Role.GUEST
        return Role.GUEST if is_guest else Role.MEMBER

    async def _listed(self, user_id: str, entries: list[str]) -> bool:
        if user_id in entries:
            return True
        for entry in entries:
            if _is_user_id(entry):
                continue
            group_id = entry if _is_group_id(entry) else await self._group_id(entry)
            if group_id is not None and user_id in await self._group_users(group_id):
                return True
        return False

    async def _group_id(self, handle: str) -> str | None:
        now = self._monotonic()
        if self._handles is None or now - self._handles[0] >= self.ttl:
            answer = await self.client.usergroups_list()
            groups: list[dict[str, str]] = answer.get("usergroups", [])
            by_handle = {g["handle"]: g["id"] for g in groups}
            self._handles = (now, by_handle)
        return self._handles[1].get(handle.lstrip("@"))

    async def _group_users(self, group_id: str) -> frozenset[str]:
        now = self._monotonic()
        cached = self._groups.get(group_id)
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        answer = await self.client.usergroups_users_list(usergroup=group_id)
        users: frozenset[str] = frozenset(answer.get("users", []))
        self._groups[group_id] = (now, users)
        return users
