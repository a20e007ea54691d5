"""SessionFilter → a ZeroDB filter, plus what the API cannot express, done on our side.

Pushed to the server: status / room_state (`$in`), instructor_id / event_id (equality), the
start window (`$gte` / `$lt` on sortable instant strings) and `archived_at: null`.
`finished_before` needs an OR of two fields, which the documented operators lack: it is
checked here, on the rows the server returned.
"""

from __future__ import annotations

from typing import Any

from adapters.zerodb.rows import instant
from core.model import SessionFilter, TrainingSession


def server_filter(criteria: SessionFilter) -> dict[str, Any]:
    """The Mongo-style filter of every criterion the API can evaluate."""
    c = criteria
    found: dict[str, Any] = {}
    if c.status is not None:
        found["status"] = {"$in": [s.value for s in c.status]}
    if c.instructor_id is not None:
        found["instructor_id"] = c.instructor_id
    if c.event_id is not None:
        found["event_id"] = c.event_id
    if c.series_id is not None:
        found["series_id"] = c.series_id
    window: dict[str, str] = {}
    if c.starts_after is not None:
        window["$gte"] = instant(c.starts_after)
    if c.starts_before is not None:
        window["$lt"] = instant(c.starts_before)
    if window:
        found["start_time"] = window
    if c.room_states is not None:
        found["room_state"] = {"$in": [s.value for s in c.room_states]}
    if not c.include_archived:
        found["archived_at"] = None
    return found


def needs_local_filter(criteria: SessionFilter) -> bool:
    """Whether some criterion is checked on our side (then paging is ours too)."""
    return criteria.finished_before is not None


def local_match(session: TrainingSession, criteria: SessionFilter) -> bool:
    """The criteria the server could not check."""
    finished = criteria.finished_before
    if finished is None:
        return True
    ended, canceled = session.ended_at, session.canceled_at
    return (ended is not None and ended < finished) or (
        canceled is not None and canceled < finished
    )


def sort_order(criteria: SessionFilter) -> list[tuple[str, int]]:
    """(start_time, session_id), both reversed when descending."""
    direction = -1 if criteria.descending else 1
    return [("start_time", direction), ("session_id", direction)]


def sort_key(session: TrainingSession) -> tuple[Any, str]:
    return (session.start_time, session.id)
