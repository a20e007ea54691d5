"""The calendar-feed part of `SqlSessionStore`: one row per member in `calendar_feeds`.

A new feed is one upsert on the member's primary key (`INSERT … ON CONFLICT DO UPDATE`):
of two saves at once, one row stays, whole. Only the token's SHA-256 is stored (unique).
Linking and forgetting move or drop the rows inside their own transaction
(`move_feeds`, `drop_feeds`).
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.engine import upsert
from adapters.sql.schema import calendar_feeds, rsvps, training_sessions
from core.calendar_feed import CalendarFeed
from core.errors import InvalidState
from core.model import RsvpStatus, ensure_utc

_f = calendar_feeds.c
_r = rsvps.c
_s = training_sessions.c
_ACTIVE = [RsvpStatus.GOING.value, RsvpStatus.WAITLISTED.value, RsvpStatus.OFFERED.value]


class SqlFeeds:
    """Mixed into SqlSessionStore, whose transactions it uses."""

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    def _read(self, statements: int = 1) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    async def save_feed_token(self, member_id: str, token_hash: str, at: datetime) -> None:
        """Make `token_hash` the member's one feed, replacing theirs (one upsert)."""
        row = CalendarFeed(member_id=member_id, token_hash=token_hash, created_at=at).model_dump()
        try:
            async with self._write() as connection:
                statement = upsert(connection.dialect.name, calendar_feeds).values(row)
                await connection.execute(
                    statement.on_conflict_do_update(
                        index_elements=[_f.member_id],
                        set_={"token_hash": row["token_hash"], "created_at": row["created_at"]},
                    )
                )
        except IntegrityError as error:  # the hash is another member's (unique)
            raise InvalidState("That feed token belongs to another member.") from error

    async def member_of_feed(self, token_hash: str) -> str | None:
        """The member whose feed has this hash, or None."""
        async with self._read() as connection:
            found = await connection.scalar(select(_f.member_id).where(_f.token_hash == token_hash))
        return None if found is None else str(found)

    async def drop_feed_token(self, member_id: str) -> bool:
        """Revoke the member's feed; False when they had none."""
        async with self._write() as connection:
            result = await connection.execute(
                delete(calendar_feeds).where(_f.member_id == member_id)
            )
        return bool(result.rowcount)

    async def member_session_ids(self, member_id: str, since: datetime, limit: int) -> list[str]:
        """Sessions from `since` where the member's RSVP is active, soonest first (one
        query on the RSVPs' member index, joined to the sessions)."""
        query = (
            select(_s.id)
            .select_from(rsvps.join(training_sessions, _s.id == _r.session_id))
            .where(
                _r.member_id == member_id,
                _r.status.in_(_ACTIVE),
                _s.start_time >= ensure_utc(since),
            )
            .order_by(_s.start_time, _s.id)
            .limit(limit)
        )
        async with self._read() as connection:
            return [str(i) for i in (await connection.scalars(query)).all()]


async def move_feeds(connection: AsyncConnection, ids: list[str], to: str) -> None:
    """Link, inside its transaction: the profile `to` keeps its own feed; without one, it
    takes the first of `ids`' feeds; the others are dropped."""
    held = await connection.scalar(select(_f.member_id).where(_f.member_id == to))
    if held is None:
        first = await connection.scalar(
            select(_f.member_id).where(_f.member_id.in_(ids)).order_by(_f.member_id).limit(1)
        )
        if first is not None:
            await connection.execute(
                update(calendar_feeds).where(_f.member_id == first).values(member_id=to)
            )
    await drop_feeds(connection, ids)


async def drop_feeds(connection: AsyncConnection, ids: list[str]) -> None:
    """Forget-me, inside its transaction: the feeds of `ids` stop working."""
    if ids:
        await connection.execute(delete(calendar_feeds).where(_f.member_id.in_(ids)))
