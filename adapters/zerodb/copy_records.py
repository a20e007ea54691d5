"""The announcement-copies part of `ZeroDBSessionStore`: one row per session × platform ×
channel, written by insert-then-verify on `copy_key` (the store's "only once" write), so
exactly one process records each copy."""

from __future__ import annotations

from typing import Any

from adapters.zerodb.host import ZeroDBHost
from adapters.zerodb.rows import instant, parse_instant
from core.announcement_copy import AnnouncementCopy

Row = dict[str, Any]
COPY_TABLES = {"announcement_copies": "A session's cards in linked channels (one per channel)"}
COPY_KEY = "copy_key"
"""`announcement_copies` rows: session|platform|channel, unique."""


def copy_key(session_id: str, platform: str, channel_id: str) -> str:
    """The unique key of a copy's row."""
    return f"{session_id}|{platform}|{channel_id}"


def copy_to_row(copy: AnnouncementCopy) -> Row:
    """The row of a copy (the instant as a fixed-width string)."""
    row: Row = copy.model_dump()
    row["created_at"] = instant(copy.created_at)
    row[COPY_KEY] = copy_key(copy.session_id, copy.platform, copy.channel_id)
    return row


def row_to_copy(row: Row) -> AnnouncementCopy:
    """Rebuild a copy from its row."""
    data = {name: row.get(name) for name in AnnouncementCopy.model_fields}
    data["created_at"] = parse_instant(row["created_at"])
    return AnnouncementCopy.model_validate(data)


class ZeroDBCopies(ZeroDBHost):
    """Mixed into ZeroDBSessionStore, whose table helpers it uses."""

    async def add_announcement_copy(self, copy: AnnouncementCopy) -> bool:
        """Insert the copy; False when the session has one on that platform and channel."""
        await self._require_session(copy.session_id)
        row = copy_to_row(copy)
        return await self._add_once("announcement_copies", COPY_KEY, row[COPY_KEY], row)

    async def save_announcement_copy(self, copy: AnnouncementCopy) -> None:
        """Replace the recorded copy's message ref (nothing when none is recorded)."""
        key = copy_key(copy.session_id, copy.platform, copy.channel_id)
        found = await self._first("announcement_copies", {COPY_KEY: key})
        if found is not None:
            await self._overwrite(
                "announcement_copies", found, found | {"message_ref": copy.message_ref}
            )

    async def list_announcement_copies(self, session_id: str) -> list[AnnouncementCopy]:
        """The session's copies, by platform then channel."""
        rows = await self._rows("announcement_copies", {"session_id": session_id})
        copies = {c.platform + "\0" + c.channel_id: c for c in map(row_to_copy, rows)}
        return [copies[k] for k in sorted(copies)]
