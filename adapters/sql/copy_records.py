"""The announcement-copies part of `SqlSessionStore`: one row per session × platform ×
channel (the primary key), inserted with `ON CONFLICT DO NOTHING`, so exactly one
process records each copy."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.engine import upsert
from adapters.sql.schema import announcement_copies, training_sessions
from core.announcement_copy import AnnouncementCopy
from core.errors import NotFound

_c = announcement_copies.c


class SqlCopies:
    """Mixed into SqlSessionStore, whose transactions it uses."""

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    def _read(self, statements: int = 1) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    async def add_announcement_copy(self, copy: AnnouncementCopy) -> bool:
        """Insert the copy; False when the session has one on that platform and channel."""
        async with self._write() as connection:
            found = await connection.scalar(
                select(training_sessions.c.id).where(training_sessions.c.id == copy.session_id)
            )
            if found is None:
                raise NotFound(f"No session with id {copy.session_id}.")
            statement = upsert(connection.dialect.name, announcement_copies).values(
                **copy.model_dump()
            )
            result = await connection.execute(statement.on_conflict_do_nothing())
            return bool(result.rowcount)

    async def save_announcement_copy(self, copy: AnnouncementCopy) -> None:
        """Replace the recorded copy's message ref (nothing when none is recorded)."""
        async with self._write() as connection:
            await connection.execute(
                update(announcement_copies)
                .where(
                    _c.session_id == copy.session_id,
                    _c.platform == copy.platform,
                    _c.channel_id == copy.channel_id,
                )
                .values(message_ref=copy.message_ref)
            )

    async def list_announcement_copies(self, session_id: str) -> list[AnnouncementCopy]:
        """The session's copies, by platform then channel."""
        async with self._read() as connection:
            result = await connection.execute(
                select(announcement_copies).where(_c.session_id == session_id)
            )
            copies = [AnnouncementCopy.model_validate(dict(row)) for row in result.mappings()]
        return sorted(copies, key=lambda c: (c.platform, c.channel_id))
