"""Domain records ↔ ZeroDB rows: canonical field names, JSON values, sortable instants.

* Field names are the model's. The record's own `id` is stored as `session_id` / `event_id`
  (the name every other table uses for it), because the row id field (`id`, `_id`, …) belongs
  to the server. `room.*` and `origin.*` are flattened to `room_<field>` / `origin_<field>`,
  as in the SQL tables.
* Instants are fixed-width UTC strings (`2026-12-01T09:00:00.000000Z`), so the server's
  string comparison and sort order agree with time order.
* Fields we add for bookkeeping (`write_token`, the server's row id) are dropped on the way in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel

from core.model import (
    AttendanceInterval,
    Event,
    Origin,
    Reminder,
    Room,
    Rsvp,
    TrainingSession,
)

Row = dict[str, Any]
_M = TypeVar("_M", bound=BaseModel)
_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def instant(value: datetime) -> str:
    """An aware datetime as a fixed-width, lexically sortable UTC string."""
    if value.tzinfo is None:
        raise ValueError("instants must be timezone-aware")
    return value.astimezone(UTC).strftime(_FORMAT)


def parse_instant(value: str) -> datetime:
    """The inverse of `instant` (any ISO-8601 with an offset is accepted)."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"stored instant without a zone: {value!r}")
    return parsed.astimezone(UTC)


def json_value(value: Any) -> Any:
    """A plain JSON value: instants as strings, enums as their values."""
    if isinstance(value, datetime):
        return instant(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


def _datetime_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(
        name
        for name, field in model.model_fields.items()
        if field.annotation in (datetime, datetime | None)
    )


def _room_column(name: str) -> str:
    # Room.room_id is already prefixed: it maps to `room_id`, not `room_room_id`.
    return name if name.startswith("room_") else f"room_{name}"


_ROOM = {_room_column(name): name for name in Room.model_fields}
_ORIGIN = {f"origin_{name}": name for name in Origin.model_fields}
_ROOM_TIMES = {_room_column(name) for name in _datetime_fields(Room)}
_SESSION_TIMES = _datetime_fields(TrainingSession) | _ROOM_TIMES


def _dump(record: BaseModel, exclude: frozenset[str] = frozenset(), **renames: str) -> Row:
    data = record.model_dump(mode="python", exclude=set(exclude))
    return {renames.get(k, k): json_value(v) for k, v in data.items()}


def _load(model: type[_M], row: Row, **renames: str) -> _M:
    """Build `model` from the row's fields that belong to it (instants parsed to UTC)."""
    times = _datetime_fields(model)
    data: Row = {}
    for name in model.model_fields:
        value = row.get(renames.get(name, name))
        data[name] = parse_instant(value) if name in times and value is not None else value
    return model.model_validate({k: v for k, v in data.items() if v is not None})


def record_to_row(record: BaseModel) -> Row:
    """The row of a flat record: its fields, instants as fixed-width strings, enums as values."""
    return _dump(record)


def row_to_record(model: type[_M], row: Row) -> _M:
    """Rebuild a flat record of `model` from its row: every field read (a missing one as
    None), instants parsed to UTC."""
    times = _datetime_fields(model)
    data = {name: row.get(name) for name in model.model_fields}
    for name in times:
        value = data[name]
        data[name] = None if value is None else parse_instant(str(value))
    return model.model_validate(data)


def session_to_row(session: TrainingSession) -> Row:
    """The `training_sessions` row of a session."""
    row = _dump(session, frozenset({"room", "origin"}), id="session_id")
    for column, name in _ROOM.items():
        row[column] = json_value(getattr(session.room, name))
    for column, name in _ORIGIN.items():
        row[column] = None if session.origin is None else json_value(getattr(session.origin, name))
    return row


def row_to_session(row: Row) -> TrainingSession:
    """Rebuild a session from its row."""
    data: Row = {}
    for name in TrainingSession.model_fields:
        if name in ("room", "origin"):
            continue
        value = row.get("session_id" if name == "id" else name)
        if value is not None:
            data[name] = parse_instant(value) if name in _SESSION_TIMES else value
    data["room"] = {
        name: parse_instant(row[c]) if c in _ROOM_TIMES and row.get(c) is not None else row.get(c)
        for c, name in _ROOM.items()
        if row.get(c) is not None
    }
    origin = {name: row.get(column) for column, name in _ORIGIN.items()}
    data["origin"] = None if origin["platform"] is None else origin
    return TrainingSession.model_validate(data)


def event_to_row(event: Event) -> Row:
    return _dump(event, id="event_id")


def row_to_event(row: Row) -> Event:
    return _load(Event, row, id="event_id")


def rsvp_to_row(rsvp: Rsvp) -> Row:
    return _dump(rsvp)


def row_to_rsvp(row: Row) -> Rsvp:
    return _load(Rsvp, row)


def interval_to_row(interval: AttendanceInterval) -> Row:
    return _dump(interval)


def row_to_interval(row: Row) -> AttendanceInterval:
    return _load(AttendanceInterval, row)


def reminder_to_row(reminder: Reminder) -> Row:
    return _dump(reminder)


def row_to_reminder(row: Row) -> Reminder:
    return _load(Reminder, row)
