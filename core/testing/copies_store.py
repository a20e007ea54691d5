"""The announcement-copies part of `InMemorySessionStore`: one record per session ×
platform × channel, with the same rules as the SQL and ZeroDB adapters."""

from __future__ import annotations

import asyncio

from core.announcement_copy import AnnouncementCopy
from core.errors import NotFound
from core.model import TrainingSession


class InMemoryCopies:
    """Announcement copies in a dict keyed by (session, platform, channel)."""

    _lock: asyncio.Lock
    _sessions: dict[str, TrainingSession]

    def __init__(self) -> None:
        self._copies: dict[tuple[str, str, str], AnnouncementCopy] = {}

    async def add_announcement_copy(self, copy: AnnouncementCopy) -> bool:
        """Record the copy; False when the session has one on that platform and channel."""
        async with self._lock:
            if copy.session_id not in self._sessions:
                raise NotFound(f"No session with id {copy.session_id}.")
            key = (copy.session_id, copy.platform, copy.channel_id)
            return self._copies.setdefault(key, copy) is copy

    async def save_announcement_copy(self, copy: AnnouncementCopy) -> None:
        """Replace the recorded copy's message ref (nothing when none is recorded)."""
        async with self._lock:
            key = (copy.session_id, copy.platform, copy.channel_id)
            found = self._copies.get(key)
            if found is not None:
                self._copies[key] = found.model_copy(update={"message_ref": copy.message_ref})

    async def list_announcement_copies(self, session_id: str) -> list[AnnouncementCopy]:
        """The session's copies, by platform then channel."""
        return [c for k, c in sorted(self._copies.items()) if k[0] == session_id]
