"""The export format's rows of the SQL tables: which tables and columns, in which order,
and each value to and from JSON, checked.

Generic over `schema.metadata`: a table added there is exported and imported with no change
here. A row holds every column of its table except a surrogate key (a single autoincrement
integer primary key, as `attendance_intervals.id`: other stores have none, and importing
numbers the rows again, in the order of the file; see `key_of`). Instants are ISO-8601 UTC
strings (`2026-12-01T09:00:00.000000Z`), dates ISO-8601 dates (`2026-12-01`), everything
else JSON-native. Rows whose table maps to a domain record are also checked by building
that record (an unknown status, a naive instant … is refused).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from pydantic import ValidationError
from sqlalchemy import JSON, Boolean, Column, Date, Integer, String, Table

from adapters.sql.mapping import (
    row_to_event,
    row_to_interval,
    row_to_reminder,
    row_to_rsvp,
    row_to_session,
)
from adapters.sql.member_records import row_to_held, row_to_profile
from adapters.sql.min_attendance_records import row_to_decision
from adapters.sql.schema import metadata
from adapters.sql.series_records import row_to_series
from adapters.sql.substitute_records import row_to_request
from adapters.sql.types import UtcDateTime
from core.calendar_feed import CalendarFeed
from core.instants import instant_with_offset
from core.members import MemberCode
from core.model import DeliveryKey
from core.ports import ImportRefused
from core.ranks import Promotion
from core.seat_marks import SeatMark
from core.series import SeriesSkip, StandingRsvp

Row = dict[str, Any]


def _delivery(row: Row) -> object:
    key = {k: row[k] for k in ("session_id", "recipient_id", "kind", "start_time")}
    if row["attempts"] < 0:
        raise ValueError("attempts must be 0 or more")
    return DeliveryKey.model_validate(key)


DOMAIN_CHECKS: dict[str, Callable[[Row], object]] = {
    "training_sessions": row_to_session,
    "events": row_to_event,
    "rsvps": row_to_rsvp,
    "attendance_intervals": row_to_interval,
    "reminders": row_to_reminder,
    "deliveries": _delivery,
    "series": row_to_series,
    "standing_rsvps": StandingRsvp.model_validate,
    "series_skips": SeriesSkip.model_validate,
    "member_profiles": lambda row: row_to_profile(row, []),
    "member_codes": MemberCode.model_validate,
    "deferred_deliveries": row_to_held,
    "min_attendance_decisions": row_to_decision,
    "seat_marks": SeatMark.model_validate,
    "calendar_feeds": CalendarFeed.model_validate,
    "substitute_requests": row_to_request,
    "rank_promotions": Promotion.model_validate,
}
"""Tables whose rows must also make a valid domain record (the others: column checks only)."""


def is_surrogate(column: Column[Any]) -> bool:
    """Whether `column` is a table's own autoincrement integer key (not exported)."""
    table = column.table
    return (
        column.primary_key
        and len(table.primary_key.columns) == 1
        and isinstance(column.type, Integer)
        and column.autoincrement in (True, "auto")
    )


@cache
def exported_tables() -> tuple[Table, ...]:
    """Every table of the schema, parents before children (foreign keys)."""
    return tuple(metadata.sorted_tables)


@cache
def columns_of(table: Table) -> tuple[Column[Any], ...]:
    """The exported columns of `table`, in the table's order."""
    return tuple(c for c in table.columns if not is_surrogate(c))


@cache
def key_of(table: Table) -> tuple[Column[Any], ...]:
    """The columns the export is ordered by: the primary key; for a surrogate key, the
    foreign-key columns then the surrogate, so each parent's rows keep the order they were
    made in (the order a table like `standing_rsvps` means), and importing them in file order
    numbers them in that order again."""
    primary = tuple(table.primary_key.columns)
    if not any(is_surrogate(c) for c in primary):
        return primary
    return (*(c for c in table.columns if c.foreign_keys), *primary)


def instant(value: datetime) -> str:
    """An aware datetime as a fixed-width ISO-8601 UTC string."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


@cache
def _encoders(table: Table) -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]]:
    """The exported column names, and the positions of its instants and of its dates."""
    columns = columns_of(table)
    return (
        tuple(c.name for c in columns),
        tuple(i for i, c in enumerate(columns) if isinstance(c.type, UtcDateTime)),
        tuple(i for i, c in enumerate(columns) if isinstance(c.type, Date)),
    )


def to_json(table: Table, values: Any) -> Row:
    """A database row (in `columns_of(table)` order) as the export's JSON row."""
    names, instants, dates = _encoders(table)
    row = dict(zip(names, values, strict=True))
    for i in instants:
        if values[i] is not None:
            row[names[i]] = instant(values[i])
    for i in dates:
        if values[i] is not None:
            row[names[i]] = values[i].isoformat()
    return row


class _Bad(Exception):
    """A value refused (the message says why, without the line and column)."""


Decode = Callable[[Any], Any]


@cache
def _decoders(table: Table) -> tuple[tuple[str, Decode], ...]:
    return tuple((c.name, _decoder(c)) for c in columns_of(table))


def from_json(table: Table, record_row: Any, line: int) -> Row:
    """The record's row checked against `table` and decoded (instants parsed); ImportRefused
    naming the line, the column and what is wrong."""
    decoders = _decoders(table)
    if not isinstance(record_row, dict):
        raise ImportRefused(f"line {line}: {table.name}: the row must be a JSON object")
    decoded: Row = {}
    try:
        for name, decode in decoders:
            decoded[name] = decode(record_row[name])
    except (KeyError, _Bad) as error:
        where = f"line {line}: {table.name}"
        if len(record_row) != len(decoders) or isinstance(error, KeyError):
            _refuse_columns(record_row, decoders, where)
        raise ImportRefused(f"{where}.{name} {error}") from None
    if len(record_row) != len(decoders):
        _refuse_columns(record_row, decoders, f"line {line}: {table.name}")
    check = DOMAIN_CHECKS.get(table.name)
    if check is not None:
        try:
            check(decoded)
        except (ValidationError, ValueError, TypeError) as error:
            raise ImportRefused(f"line {line}: {table.name}: {_first_error(error)}") from None
    return decoded


def _refuse_columns(row: Row, decoders: tuple[tuple[str, Decode], ...], where: str) -> None:
    names = [name for name, _ in decoders]
    missing = [n for n in names if n not in row]
    extra = sorted(k for k in row if k not in names)
    parts = ([f"missing column(s) {', '.join(missing)}"] if missing else []) + (
        [f"unknown column(s) {', '.join(extra)}"] if extra else []
    )
    raise ImportRefused(f"{where}: {'; '.join(parts)}")


def _decoder(column: Column[Any]) -> Decode:
    """A function checking and decoding one JSON value of `column` (raises _Bad)."""
    kind, nullable = column.type, column.nullable
    if isinstance(kind, UtcDateTime):
        check: Decode = _parse_instant
    elif isinstance(kind, Date):
        check = _parse_date
    elif isinstance(kind, Boolean):
        check = _exactly(bool, "true or false")
    elif isinstance(kind, Integer):
        check = _exactly(int, "a whole number")
    elif isinstance(kind, String):
        check = _text(kind.length)
    elif isinstance(kind, JSON):
        check = _as_is
    else:
        raise TypeError(f"{column}: no import rule for column type {kind!r}")

    def decode(value: Any) -> Any:
        if value is None:
            if nullable:
                return None
            raise _Bad("must not be null")
        return check(value)

    return decode


def _as_is(value: Any) -> Any:
    return value


def _exactly(kind: type, wording: str) -> Decode:
    def check(value: Any) -> Any:
        if type(value) is not kind:
            raise _Bad(f"must be {wording}, not {value!r}")
        return value

    return check


def _text(length: int | None) -> Decode:
    def check(value: Any) -> Any:
        if type(value) is not str:
            raise _Bad(f"must be a string, not {value!r}")
        if length is not None and len(value) > length:
            raise _Bad(f"is longer than {length} characters")
        return value

    return check


def _parse_instant(value: Any) -> datetime:
    parsed = instant_with_offset(value)
    if parsed is not None:
        return parsed
    raise _Bad(
        "must be an ISO-8601 instant with its offset, e.g. 2026-12-01T09:00:00.000000Z, "
        f"not {value!r}"
    )


def _parse_date(value: Any) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _Bad(f"must be a date like 2026-12-01, not {value!r}") from None


def _first_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        return f"{place}: {first['msg']}" if place else str(first["msg"])
    return str(error)
