"""The calendar-feed part of `ZeroDBSessionStore`: one row per member in `calendar_feeds`.

A new feed rewrites the member's row under a lease of their own (`feed:<member>`), so of
two saves at once one row stays, whole; a twin row left by a cut-off write is dropped at the
next save. Only the token's SHA-256 is stored. Linking and forgetting move or drop the rows
under the members' lease (`_move_feeds`, `_drop_feeds`).
"""

from __future__ import annotations

from datetime import datetime

from adapters.zerodb.host import ZeroDBHost
from adapters.zerodb.rows import record_to_row, row_to_record, row_to_session
from adapters.zerodb.tables import Row
from core.calendar_feed import CalendarFeed
from core.errors import InvalidState
from core.model import RsvpStatus, ensure_utc

_ACTIVE = [RsvpStatus.GOING.value, RsvpStatus.WAITLISTED.value, RsvpStatus.OFFERED.value]
_CHUNK = 100
FEED_TABLES = {"calendar_feeds": "Personal calendar feeds: one token hash per member"}


def feed_row(feed: CalendarFeed) -> Row:
    """The stored row of a feed (its instant as a string)."""
    return record_to_row(feed)


def row_to_feed(row: Row) -> CalendarFeed:
    """Rebuild a feed from its stored row."""
    return row_to_record(CalendarFeed, row)


class ZeroDBFeeds(ZeroDBHost):
    """Mixed into ZeroDBSessionStore, whose table helpers and leases it uses."""

    async def _drop_feed_row(self, row: Row) -> None:
        await self.tables.delete(self._t("calendar_feeds"), self.tables.row_id(row))

    async def save_feed_token(self, member_id: str, token_hash: str, at: datetime) -> None:
        """Make `token_hash` the member's one feed, replacing theirs (under their lease)."""
        at = ensure_utc(at)
        row = feed_row(CalendarFeed(member_id=member_id, token_hash=token_hash, created_at=at))
        async with self._serialised(f"feed:{member_id}", at):
            for other in await self._rows("calendar_feeds", {"token_hash": token_hash}):
                if other["member_id"] != member_id:
                    raise InvalidState("That feed token belongs to another member.")
            held = await self._rows("calendar_feeds", {"member_id": member_id})
            if not held:
                await self.tables.insert(self._t("calendar_feeds"), [row])
                return
            await self._overwrite("calendar_feeds", held[0], row)
            for twin in held[1:]:
                await self._drop_feed_row(twin)

    async def member_of_feed(self, token_hash: str) -> str | None:
        """The member whose feed has this hash, or None."""
        found = await self._first("calendar_feeds", {"token_hash": token_hash})
        return None if found is None else str(found["member_id"])

    async def drop_feed_token(self, member_id: str) -> bool:
        """Revoke the member's feed; False when they had none."""
        held = await self._rows("calendar_feeds", {"member_id": member_id})
        for row in held:
            await self._drop_feed_row(row)
        return bool(held)

    async def member_session_ids(self, member_id: str, since: datetime, limit: int) -> list[str]:
        """Sessions from `since` where the member's RSVP is active, soonest first."""
        since = ensure_utc(since)
        held = await self._rows("rsvps", {"member_id": member_id, "status": {"$in": _ACTIVE}})
        ids = sorted({str(r["session_id"]) for r in held})
        found = []
        for start in range(0, len(ids), _CHUNK):
            part = {"session_id": {"$in": ids[start : start + _CHUNK]}}
            found += [row_to_session(r) for r in await self._rows("training_sessions", part)]
        found = sorted(
            {s.id: s for s in found if s.start_time >= since}.values(),
            key=lambda s: (s.start_time, s.id),
        )
        return [s.id for s in found[:limit]]

    async def _move_feeds(self, ids: list[str], to: str) -> None:
        """Link: the profile `to` keeps its own feed; without one, it takes the first of
        `ids`' feeds; the others are dropped."""
        keep = await self._first("calendar_feeds", {"member_id": to}) is None
        for member_id in sorted(set(ids) - {to}):
            for row in await self._rows("calendar_feeds", {"member_id": member_id}):
                if keep:
                    await self._overwrite("calendar_feeds", row, {"member_id": to})
                    keep = False
                else:
                    await self._drop_feed_row(row)

    async def _drop_feeds(self, ids: list[str]) -> None:
        """Forget-me: the feeds of `ids` stop working."""
        for member_id in sorted(set(ids)):
            await self.drop_feed_token(member_id)
