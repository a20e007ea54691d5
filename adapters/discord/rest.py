"""Discord's REST API as the front end uses it: paced, with cached DM channels.

Works over a logged-in `discord.http.HTTPClient` alone (no gateway), so a process that only
sends reminders can use it. discord.py handles per-route buckets and 429 retries; every call
made here first waits for a turn under the global limit (GlobalPacer). A 429 that outlasts
discord.py's own retries comes out of a message call as `core.errors.RateLimited` (retry
later), never as a failure.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import discord
from discord.http import HTTPClient, MultipartParameters

from adapters.discord.memory import DiscordMemory
from adapters.discord.pacing import GlobalPacer
from core.errors import RateLimited

UNKNOWN_CHANNEL = 10003
MEMBER_TTL = 60.0
ROLES_TTL = 300.0


class DiscordRest:
    """The REST calls of the Discord front end."""

    def __init__(self, http: HTTPClient, pacer: GlobalPacer, memory: DiscordMemory) -> None:
        self.http = http
        self.pacer = pacer
        self.memory = memory
        self._opening: dict[int, asyncio.Future[int]] = {}
        self._members: dict[tuple[int, int], tuple[float, dict[str, Any]]] = {}
        self._roles: dict[int, tuple[float, list[dict[str, Any]]]] = {}

    # messages ---------------------------------------------------------------------------
    async def dm_channel(self, user_id: int) -> int:
        """The DM channel with this user: cached, else opened once (concurrent callers wait)."""
        cached = self.memory.dm_channels.get(user_id)
        if cached is not None:
            return cached
        pending = self._opening.get(user_id)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._opening[user_id] = future
        try:
            async with self.pacer.slot(), _retryable():
                data = await self.http.start_private_message(user_id)
            channel_id = int(data["id"])
            self.memory.remember_dm_channel(user_id, channel_id)
            future.set_result(channel_id)
            return channel_id
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters re-raise it, nobody else must
            raise
        finally:
            del self._opening[user_id]

    async def send_dm(self, user_id: int, params: MultipartParameters) -> dict[str, Any]:
        """Send a DM; a cached channel Discord no longer knows is re-opened once."""
        channel_id = await self.dm_channel(user_id)
        try:
            return await self.send(channel_id, params)
        except discord.NotFound as exc:
            if exc.code != UNKNOWN_CHANNEL:
                raise
            self.memory.dm_channels.pop(user_id, None)
            return await self.send(await self.dm_channel(user_id), params)

    async def send(self, channel_id: int, params: MultipartParameters) -> dict[str, Any]:
        async with self.pacer.slot(), _retryable():
            data: Any = await self.http.send_message(channel_id, params=params)
        return cast("dict[str, Any]", data)

    async def recent_dms(self, user_id: int, limit: int) -> list[dict[str, Any]]:
        """The latest `limit` (≤ 100) messages of the DM channel with this user, newest
        first; a cached channel Discord no longer knows is re-opened once."""
        channel_id = await self.dm_channel(user_id)
        try:
            return await self._recent(channel_id, limit)
        except discord.NotFound as exc:
            if exc.code != UNKNOWN_CHANNEL:
                raise
            self.memory.dm_channels.pop(user_id, None)
            return await self._recent(await self.dm_channel(user_id), limit)

    async def _recent(self, channel_id: int, limit: int) -> list[dict[str, Any]]:
        async with self.pacer.slot(), _retryable():
            data: Any = await self.http.logs_from(channel_id, limit)
        return cast("list[dict[str, Any]]", data)

    async def edit(
        self, channel_id: int, message_id: int, params: MultipartParameters
    ) -> dict[str, Any]:
        async with self.pacer.slot():
            data: Any = await self.http.edit_message(channel_id, message_id, params=params)
        return cast("dict[str, Any]", data)

    # scheduled events -------------------------------------------------------------------
    async def create_event(self, guild_id: int, payload: dict[str, Any]) -> dict[str, Any]:
        async with self.pacer.slot():
            data: Any = await self.http.create_guild_scheduled_event(guild_id, **payload)
        return cast("dict[str, Any]", data)

    async def edit_event(
        self, guild_id: int, event_id: int, payload: dict[str, Any]
    ) -> dict[str, Any]:
        async with self.pacer.slot():
            data: Any = await self.http.edit_scheduled_event(guild_id, event_id, **payload)
        return cast("dict[str, Any]", data)

    async def get_event(self, guild_id: int, event_id: int) -> dict[str, Any]:
        async with self.pacer.slot():
            data: Any = await self.http.get_scheduled_event(guild_id, event_id, False)
        return cast("dict[str, Any]", data)

    # members and roles (cached briefly) ------------------------------------------------
    async def member(self, guild_id: int, user_id: int) -> dict[str, Any]:
        """The guild member payload (`roles` ids, `permissions` absent), cached a minute."""
        key = (guild_id, user_id)
        hit = self._members.get(key)
        if hit is not None and time.monotonic() - hit[0] < MEMBER_TTL:
            return hit[1]
        async with self.pacer.slot():
            data: Any = await self.http.get_member(guild_id, user_id)
        self._members[key] = (time.monotonic(), data)
        return cast("dict[str, Any]", data)

    async def roles(self, guild_id: int) -> list[dict[str, Any]]:
        """The guild's roles (id, name, permissions), cached five minutes."""
        hit = self._roles.get(guild_id)
        if hit is not None and time.monotonic() - hit[0] < ROLES_TTL:
            return hit[1]
        async with self.pacer.slot():
            data: Any = await self.http.get_roles(guild_id)
        self._roles[guild_id] = (time.monotonic(), data)
        return cast("list[dict[str, Any]]", data)


@asynccontextmanager
async def _retryable() -> AsyncIterator[None]:
    """A 429 discord.py gave up on (after its retries, or a Cloudflare 429 it does not
    retry) becomes RateLimited, carrying how long Discord asked us to wait."""
    try:
        yield
    except discord.RateLimited as exc:
        raise RateLimited("Discord is rate-limiting us.", exc.retry_after) from exc
    except discord.HTTPException as exc:
        if exc.status != 429:
            raise
        raise RateLimited("Discord is rate-limiting us.", _retry_after(exc)) from exc


def _retry_after(exc: discord.HTTPException) -> float:
    headers = getattr(exc.response, "headers", None) or {}
    for name in ("X-RateLimit-Reset-After", "Retry-After"):
        try:
            return float(str(headers.get(name)))
        except ValueError:
            continue
    return 1.0
