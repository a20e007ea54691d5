"""Conversions between domain records and table rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.model import (
    AttendanceInterval,
    Event,
    Origin,
    Reminder,
    Room,
    Rsvp,
    TrainingSession,
)

Row = Mapping[Any, Any]


def _room_column(name: str) -> str:
    # Room.room_id is already prefixed: it maps to `room_id`, not `room_room_id`.
    return name if name.startswith("room_") else f"room_{name}"


_ROOM_COLUMNS = {_room_column(name): name for name in Room.model_fields}
_ORIGIN_COLUMNS = {f"origin_{name}": name for name in Origin.model_fields}


def session_to_row(session: TrainingSession) -> dict[str, Any]:
    """The `training_sessions` row of a session (room and origin flattened)."""
    row = session.model_dump(mode="python", exclude={"room", "origin"})
    for column, name in _ROOM_COLUMNS.items():
        row[column] = getattr(session.room, name)
    for column, name in _ORIGIN_COLUMNS.items():
        row[column] = None if session.origin is None else getattr(session.origin, name)
    return row


def row_to_session(row: Row) -> TrainingSession:
    """Rebuild a session from its row."""
    data = {k: v for k, v in row.items() if k not in _ROOM_COLUMNS and k not in _ORIGIN_COLUMNS}
    data["room"] = {name: row[column] for column, name in _ROOM_COLUMNS.items()}
    origin = {name: row[column] for column, name in _ORIGIN_COLUMNS.items()}
    data["origin"] = None if origin["platform"] is None else origin
    return TrainingSession.model_validate(data)


def row_to_event(row: Row) -> Event:
    """Rebuild an event from its row."""
    return Event.model_validate(dict(row))


def row_to_rsvp(row: Row) -> Rsvp:
    """Rebuild an RSVP from its row."""
    return Rsvp.model_validate(dict(row))


def row_to_interval(row: Row) -> AttendanceInterval:
    """Rebuild an attendance interval from its row (the surrogate id is dropped)."""
    return AttendanceInterval.model_validate({k: v for k, v in row.items() if k != "id"})


def row_to_reminder(row: Row) -> Reminder:
    """Rebuild a reminder from its row."""
    return Reminder.model_validate(dict(row))
