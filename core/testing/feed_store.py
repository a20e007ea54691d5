"""The calendar-feed part of `InMemorySessionStore`: one feed (token hash) per member, with
the same rules as the SQL adapter."""

from __future__ import annotations

import asyncio
from datetime import datetime

from core.calendar_feed import CalendarFeed
from core.errors import InvalidState
from core.model import Rsvp, RsvpStatus, TrainingSession, ensure_utc

ACTIVE = (RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.OFFERED)


class InMemoryFeeds:
    """Feeds by member id; each write under the store's lock."""

    _lock: asyncio.Lock
    _sessions: dict[str, TrainingSession]
    _rsvps: dict[str, dict[str, Rsvp]]

    def __init__(self) -> None:
        self._feeds: dict[str, CalendarFeed] = {}

    async def save_feed_token(self, member_id: str, token_hash: str, at: datetime) -> None:
        """Make `token_hash` the member's one feed, replacing theirs."""
        feed = CalendarFeed(member_id=member_id, token_hash=token_hash, created_at=ensure_utc(at))
        async with self._lock:
            if any(
                f.token_hash == token_hash and f.member_id != member_id
                for f in self._feeds.values()
            ):
                raise InvalidState("That feed token belongs to another member.")
            self._feeds[member_id] = feed

    async def member_of_feed(self, token_hash: str) -> str | None:
        """The member whose feed has this hash, or None."""
        return next((f.member_id for f in self._feeds.values() if f.token_hash == token_hash), None)

    async def drop_feed_token(self, member_id: str) -> bool:
        """Revoke the member's feed; False when they had none."""
        async with self._lock:
            return self._feeds.pop(member_id, None) is not None

    async def member_session_ids(self, member_id: str, since: datetime, limit: int) -> list[str]:
        """Sessions from `since` where the member's RSVP is active, soonest first."""
        since = ensure_utc(since)
        found = [
            session
            for session_id, rows in self._rsvps.items()
            if (rsvp := rows.get(member_id)) is not None and rsvp.status in ACTIVE
            if (session := self._sessions.get(session_id)) is not None
            and session.start_time >= since
        ]
        found.sort(key=lambda s: (s.start_time, s.id))
        return [s.id for s in found[:limit]]

    def _move_feeds(self, ids: set[str], to: str) -> None:
        """Link: the profile keeps its own feed; without one, it takes the linked
        identity's (the others are dropped). Called under the lock."""
        for member_id in sorted(ids):
            feed = self._feeds.pop(member_id, None)
            if feed is not None and to not in self._feeds:
                self._feeds[to] = feed.model_copy(update={"member_id": to})

    def _drop_feeds(self, ids: set[str]) -> None:
        """Forget-me: the feeds of these ids stop working. Called under the lock."""
        for member_id in ids:
            self._feeds.pop(member_id, None)
