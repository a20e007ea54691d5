"""The `calendar_feeds` table of the in-memory store's export and import
(`core.testing.dump`): columns as the SQL table's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from core.calendar_feed import CalendarFeed

if TYPE_CHECKING:
    from core.testing.store import InMemorySessionStore

FEED_COLUMNS = tuple(CalendarFeed.model_fields)


def export_feeds(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    """The feeds in key (member id) order."""
    for member_id in sorted(store._feeds):
        yield store._feeds[member_id].model_dump()


def add_feed(staged: InMemorySessionStore, row: dict[str, Any]) -> bool:
    """Stage one imported feed (False: the member or the hash already has one)."""
    feed = CalendarFeed.model_validate_json(json.dumps(row), strict=True)
    if feed.created_at.utcoffset() is None:
        raise ValueError("created_at: an instant needs its offset, e.g. 2026-12-01T09:00:00Z")
    taken = any(f.token_hash == feed.token_hash for f in staged._feeds.values())
    if feed.member_id in staged._feeds or taken:
        return False
    staged._feeds[feed.member_id] = feed
    return True
