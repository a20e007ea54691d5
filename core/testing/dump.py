"""Export and import of `InMemorySessionStore` in the export format of the SQL store.

Same logical tables, columns, key order and value encoding as `adapters.sql.dump_rows`
(instants as fixed-width ISO-8601 UTC strings), so files move between any two stores; the
contract suite (tests/contract/test_dump.py) compares the exports of every store.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterator
from datetime import UTC, date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar
from weakref import WeakKeyDictionary

from pydantic import BaseModel, ValidationError

from core.announcement_copy import AnnouncementCopy
from core.members import MemberCode, MemberProfile
from core.min_attendance import MinDecision
from core.model import (
    AttendanceInterval,
    DeferredDelivery,
    DeliveryKey,
    Event,
    Origin,
    Reminder,
    Room,
    Rsvp,
    TrainingSession,
)
from core.ports import ImportRefused, StoreRecord
from core.recurrence import WeeklyRule
from core.seat_marks import SeatMark
from core.series import Series, SeriesSkip, StandingRsvp
from core.substitutes import SubstituteRequest
from core.testing.audit_dump import AUDIT_COLUMNS, add_audit, export_audit
from core.testing.dump_values import read_instant
from core.testing.feed_dump import FEED_COLUMNS, add_feed, export_feeds
from core.testing.ledger_dump import LEDGER_COLUMNS, add_ledger, export_ledger
from core.testing.rank_dump import PROMOTION_COLUMNS, add_promotion, export_promotions

if TYPE_CHECKING:
    from core.testing.store import InMemorySessionStore

Row = dict[str, Any]
_M = TypeVar("_M", bound=BaseModel)

_ROOM = {name if name == "room_id" else f"room_{name}": name for name in Room.model_fields}
_ORIGIN = {f"origin_{name}": name for name in Origin.model_fields}
_FLAT = tuple(n for n in TrainingSession.model_fields if n not in ("room", "origin"))


def _fields(model: type[BaseModel], *more: str) -> tuple[str, ...]:
    return (*model.model_fields, *more)


_RULE = tuple(f"rule_{name}" for name in WeeklyRule.model_fields)
_SERIES_FLAT = tuple(n for n in Series.model_fields if n not in ("rule", "origin"))
_PROFILE = (
    *("id", "display_name", "timezone", "locale", "preferred_platform", "preferences"),
    *("last_seen_at", "created_at", "updated_at"),
)
_POSITIONS: WeakKeyDictionary[InMemorySessionStore, dict[str, int]] = WeakKeyDictionary()
"""Positions of the identities imported so far, per staging store."""

COLUMNS: dict[str, tuple[str, ...]] = {
    "audit_log": AUDIT_COLUMNS,
    "calendar_feeds": FEED_COLUMNS,
    "events": _fields(Event),
    "member_codes": _fields(MemberCode),
    "member_profiles": _PROFILE,
    "once_keys": ("key", "expires_at"),
    "rank_promotions": PROMOTION_COLUMNS,
    "series": (*_SERIES_FLAT, *_RULE, *_ORIGIN),
    "training_ledger": LEDGER_COLUMNS,
    "training_sessions": (*_FLAT, *_ROOM, *_ORIGIN),
    "webhook_deliveries": ("delivery_id", "received_at"),
    "announcement_copies": _fields(AnnouncementCopy),
    "attendance_intervals": _fields(AttendanceInterval),
    "deferred_deliveries": _fields(DeliveryKey, "due_at", "useful_until"),
    "deliveries": _fields(DeliveryKey, "claimed_at", "sent_at", "attempts"),
    "member_identities": ("identity_id", "profile_id", "position"),
    "min_attendance_decisions": _fields(MinDecision),
    "reminders": _fields(Reminder),
    "rsvps": _fields(Rsvp),
    "seat_marks": _fields(SeatMark),
    "series_skips": _fields(SeriesSkip),
    "standing_rsvps": _fields(StandingRsvp),
    "substitute_requests": _fields(SubstituteRequest),
}
"""Logical tables in the export's order with their columns: the records' fields (a session's
room and origin flattened to `room_*` / `origin_*`), as the SQL tables' columns are."""


def instant(value: datetime) -> str:
    """An aware datetime as a fixed-width ISO-8601 UTC string."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return instant(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


def _ordered(table: str, values: dict[str, Any]) -> Row:
    return {c: _json(values[c]) for c in COLUMNS[table]}


def session_values(session: TrainingSession) -> dict[str, Any]:
    """A session's `training_sessions` values (room and origin flattened)."""
    values = session.model_dump(exclude={"room", "origin"})
    values |= {column: getattr(session.room, name) for column, name in _ROOM.items()}
    origin = session.origin
    values |= {c: None if origin is None else getattr(origin, n) for c, n in _ORIGIN.items()}
    return values


def series_values(series: Series) -> dict[str, Any]:
    """A series' `series` values (rule and origin flattened, as the SQL store does)."""
    values = series.model_dump(exclude={"rule", "origin"})
    rule = series.rule
    values |= {
        "rule_weekdays": sorted(rule.weekdays),
        "rule_local_time": rule.local_time.isoformat(timespec="minutes"),
        "rule_timezone": rule.timezone,
        "rule_first_day": rule.first_day,
        "rule_until": rule.until,
        "rule_interval_weeks": rule.interval_weeks,
    }
    origin = series.origin
    values |= {c: None if origin is None else getattr(origin, n) for c, n in _ORIGIN.items()}
    return values


def count(store: InMemorySessionStore) -> int:
    """How many records an export of `store` holds."""
    return sum(1 for _ in _records(store))


async def export_records(store: InMemorySessionStore) -> AsyncIterator[StoreRecord]:
    """Every row of `store` in the export's table order, each table in key order."""
    for record in _records(store):
        yield record


def _records(store: InMemorySessionStore) -> Iterator[StoreRecord]:
    for table in COLUMNS:
        for values in _EXPORTERS[table](store):
            yield StoreRecord(table, _ordered(table, values))


def _events(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for event in sorted(store._events.values(), key=lambda e: e.id):
        yield dict(event)


def _once_keys(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for key, expires in sorted(store._once.items()):
        yield {"key": key, "expires_at": expires}


def _series(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for series_id in sorted(store._series):
        yield series_values(store._series[series_id])


def _sessions(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for session_id in sorted(store._sessions):
        yield session_values(store._sessions[session_id])


def _webhooks(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for delivery_id, at in sorted(store._webhooks.items()):
        yield {"delivery_id": delivery_id, "received_at": at}


def _copies(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for _, copy in sorted(store._copies.items()):
        yield dict(copy)


def _codes(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for _, code in sorted(store._codes.items()):
        yield dict(code)


def _profiles(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for _, profile in sorted(store._profiles.items()):
        yield dict(profile) | {"preferences": profile.preferences.model_dump_json()}


def _identities(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for identity, profile_id in sorted(store._identities.items()):
        position = store._profiles[profile_id].identities.index(identity)
        yield {"identity_id": identity, "profile_id": profile_id, "position": position}


def _held(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for held in sorted(store._deferred.values(), key=lambda h: _key_order(h.key)):
        yield dict(held.key) | {"due_at": held.due_at, "useful_until": held.useful_until}


def _key_order(key: DeliveryKey) -> tuple[str, str, str, datetime]:
    return (key.session_id, key.recipient_id, key.kind.value, key.start_time)


def _stays(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for _, stays in sorted(store._attendance.items()):  # each session's in the order made
        yield from (dict(stay) for stay in stays)


def _deliveries(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    order = sorted(
        store._deliveries, key=lambda k: (k.session_id, k.recipient_id, k.kind.value, k.start_time)
    )
    for key in order:
        found = store._deliveries[key]
        yield dict(key) | {
            "claimed_at": found.claimed_at,
            "sent_at": found.sent_at,
            "attempts": found.attempts,
        }


def _reminders(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for _, reminder in sorted(store._reminders.items(), key=lambda p: (p[0][0], p[0][1].value)):
        yield dict(reminder)


def _rsvps(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    rsvps = (r for rows in store._rsvps.values() for r in rows.values())
    for rsvp in sorted(rsvps, key=lambda r: (r.session_id, r.member_id)):
        yield dict(rsvp)


def _skips(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for _, days in sorted(store._skips.items()):
        yield from (dict(days[day]) for day in sorted(days))


def _standing(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for _, rows in sorted(store._standing.items()):  # each series' in the order made
        yield from (dict(row) for row in rows)


def _seat_marks(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for key in sorted(store._marks):
        yield store._marks[key].model_dump()


def _min_decisions(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for session_id in sorted(store._min_decisions):
        yield dict(store._min_decisions[session_id])


def _substitutes(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    for session_id in sorted(store._substitutes):
        yield store._substitutes[session_id].model_dump()


_EXPORTERS: dict[str, Callable[[InMemorySessionStore], Iterator[dict[str, Any]]]] = {
    "audit_log": export_audit,
    "calendar_feeds": export_feeds,
    "events": _events,
    "once_keys": _once_keys,
    "rank_promotions": export_promotions,
    "series": _series,
    "training_ledger": export_ledger,
    "member_codes": _codes,
    "member_profiles": _profiles,
    "training_sessions": _sessions,
    "webhook_deliveries": _webhooks,
    "announcement_copies": _copies,
    "attendance_intervals": _stays,
    "deferred_deliveries": _held,
    "deliveries": _deliveries,
    "member_identities": _identities,
    "min_attendance_decisions": _min_decisions,
    "reminders": _reminders,
    "rsvps": _rsvps,
    "seat_marks": _seat_marks,
    "series_skips": _skips,
    "standing_rsvps": _standing,
    "substitute_requests": _substitutes,
}


_STATE = (
    *("_events", "_once", "_sessions", "_webhooks", "_attendance", "_deliveries"),
    *("_reminders", "_rsvps", "_series", "_standing", "_skips", "_copies"),
    *("_profiles", "_identities", "_codes", "_deferred"),
    "_marks",
    "_substitutes",
    "_min_decisions",
    "_audit",
    "_feeds",
    "_ledger",
    "_promotions",
)


async def import_records(store: InMemorySessionStore, records: AsyncIterable[StoreRecord]) -> int:
    """Check every record into a staging store, then give `store` its contents (all or
    nothing); ImportRefused names the line. `store` must be empty."""
    from core.testing.store import InMemorySessionStore

    if store._sessions:
        raise ImportRefused(
            f"the target store already holds {len(store._sessions)} sessions; "
            "import needs an empty store"
        )
    if any(getattr(store, name) for name in _STATE):
        raise ImportRefused("the target store already holds rows; import needs an empty store")
    staged = InMemorySessionStore()
    loader = _Loader(staged)
    async for record in records:
        loader.add(record)
    for name in _STATE:
        setattr(store, name, getattr(staged, name))
    return loader.stored


class _Loader:
    def __init__(self, staged: InMemorySessionStore) -> None:
        self.staged = staged
        self.stored = 0

    def add(self, record: StoreRecord) -> None:
        where = f"line {record.line}: {record.table}"
        columns = COLUMNS.get(record.table)
        if columns is None:
            raise ImportRefused(
                f"line {record.line}: unknown table {record.table!r} (known: {', '.join(COLUMNS)})"
            )
        row = record.row
        missing = [c for c in columns if c not in row]
        extra = sorted(k for k in row if k not in columns)
        if missing or extra:
            parts = ([f"missing column(s) {', '.join(missing)}"] if missing else []) + (
                [f"unknown column(s) {', '.join(extra)}"] if extra else []
            )
            raise ImportRefused(f"{where}: {'; '.join(parts)}")
        try:
            fresh = _ADDERS[record.table](self.staged, row)
        except (ValidationError, ValueError, TypeError) as error:
            raise ImportRefused(f"{where}: {_first_error(error)}") from None
        if not fresh:
            raise ImportRefused(f"{where}: a second row with the same key")
        self.stored += 1


def _model(model: type[_M], values: dict[str, Any]) -> _M:
    """`values` (JSON) as `model`, strictly (no "3" for 3), every instant with its offset."""
    built = model.model_validate_json(json.dumps(values), strict=True)
    _aware(built)
    return built


def _aware(record: BaseModel) -> None:
    for name, value in record:
        if isinstance(value, datetime) and value.utcoffset() is None:
            raise ValueError(f"{name}: an instant needs its offset, e.g. 2026-12-01T09:00:00Z")
        if isinstance(value, BaseModel):
            _aware(value)


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, not {value!r}")
    return value


def _require_session(staged: InMemorySessionStore, session_id: str) -> None:
    if session_id not in staged._sessions:
        raise ValueError(f"session {session_id!r} is not among the sessions before this line")


def _add_event(staged: InMemorySessionStore, row: Row) -> bool:
    event = _model(Event, row)
    return staged._events.setdefault(event.id, event) is event


def _add_keyed_instant(kept: dict[str, datetime], row: Row, key: str, at: str) -> bool:
    """Keep the row's instant `at` under its text `key`, unless that key is kept already."""
    name = _text(row[key], key)
    when = read_instant(row[at], at)
    assert when is not None
    return kept.setdefault(name, when) is when


def _add_once(staged: InMemorySessionStore, row: Row) -> bool:
    return _add_keyed_instant(staged._once, row, "key", "expires_at")


def _add_session(staged: InMemorySessionStore, row: Row) -> bool:
    values = {k: v for k, v in row.items() if k not in _ROOM and k not in _ORIGIN}
    values["room"] = {name: row[column] for column, name in _ROOM.items()}
    origin = {name: row[column] for column, name in _ORIGIN.items()}
    values["origin"] = None if origin["platform"] is None else origin
    session = _model(TrainingSession, values)
    return staged._sessions.setdefault(session.id, session) is session


def _add_webhook(staged: InMemorySessionStore, row: Row) -> bool:
    return _add_keyed_instant(staged._webhooks, row, "delivery_id", "received_at")


def _add_copy(staged: InMemorySessionStore, row: Row) -> bool:
    copy = _model(AnnouncementCopy, row)
    _require_session(staged, copy.session_id)
    key = (copy.session_id, copy.platform, copy.channel_id)
    return staged._copies.setdefault(key, copy) is copy


def _add_code(staged: InMemorySessionStore, row: Row) -> bool:
    code = _model(MemberCode, row)
    return staged._codes.setdefault(code.code, code) is code


def _add_profile(staged: InMemorySessionStore, row: Row) -> bool:
    preferences = json.loads(_text(row["preferences"], "preferences"))
    profile = _model(MemberProfile, row | {"preferences": preferences})
    if profile.preferences.model_dump_json() != row["preferences"]:
        raise ValueError("preferences must be the JSON text of reminder preferences")
    return staged._profiles.setdefault(profile.id, profile) is profile


def _add_identity(staged: InMemorySessionStore, row: Row) -> bool:
    identity = _text(row["identity_id"], "identity_id")
    profile_id = _text(row["profile_id"], "profile_id")
    position = row["position"]
    if isinstance(position, bool) or not isinstance(position, int):
        raise ValueError(f"position must be a whole number, not {position!r}")
    profile = staged._profiles.get(profile_id)
    if profile is None:
        raise ValueError(f"profile {profile_id!r} is not among the profiles before this line")
    if identity in staged._identities:
        return False
    positions = _POSITIONS.setdefault(staged, {})
    positions[identity] = position
    ordered = sorted([*profile.identities, identity], key=lambda i: (positions[i], i))
    staged._profiles[profile_id] = profile.model_copy(update={"identities": ordered})
    staged._identities[identity] = profile_id
    return True


def _add_held(staged: InMemorySessionStore, row: Row) -> bool:
    key = _model(DeliveryKey, {k: row[k] for k in DeliveryKey.model_fields})
    _require_session(staged, key.session_id)
    held = _model(
        DeferredDelivery,
        {
            "key": dict(key.model_dump(mode="json")),
            "due_at": row["due_at"],
            "useful_until": row["useful_until"],
        },
    )
    return staged._deferred.setdefault(held.key, held) is held


def _add_stay(staged: InMemorySessionStore, row: Row) -> bool:
    stay = _model(AttendanceInterval, row)
    _require_session(staged, stay.session_id)
    stays = staged._attendance.setdefault(stay.session_id, [])
    if any(s.member_id == stay.member_id and s.joined_at == stay.joined_at for s in stays):
        return False
    stays.append(stay)
    return True


def _add_delivery(staged: InMemorySessionStore, row: Row) -> bool:
    from core.testing.store import _Delivery

    key = _model(
        DeliveryKey,
        {k: row[k] for k in ("session_id", "recipient_id", "kind")}
        | {"start_time": row["start_time"]},
    )
    _require_session(staged, key.session_id)
    claimed = read_instant(row["claimed_at"], "claimed_at")
    attempts = row["attempts"]
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 0:
        raise ValueError(f"attempts must be a whole number, 0 or more, not {attempts!r}")
    assert claimed is not None
    found = _Delivery(claimed, attempts, read_instant(row["sent_at"], "sent_at", nullable=True))
    return staged._deliveries.setdefault(key, found) is found


def _add_reminder(staged: InMemorySessionStore, row: Row) -> bool:
    reminder = _model(Reminder, row)
    _require_session(staged, reminder.session_id)
    key = (reminder.session_id, reminder.kind)
    return staged._reminders.setdefault(key, reminder) is reminder


def _add_rsvp(staged: InMemorySessionStore, row: Row) -> bool:
    rsvp = _model(Rsvp, row)
    _require_session(staged, rsvp.session_id)
    rows = staged._rsvps.setdefault(rsvp.session_id, {})
    return rows.setdefault(rsvp.member_id, rsvp) is rsvp


def _add_series(staged: InMemorySessionStore, row: Row) -> bool:
    values = {k: v for k, v in row.items() if not k.startswith(("rule_", "origin_"))}
    values["rule"] = {name: row[f"rule_{name}"] for name in WeeklyRule.model_fields}
    origin = {name: row[column] for column, name in _ORIGIN.items()}
    values["origin"] = None if origin["platform"] is None else origin
    series = _model(Series, values)
    return staged._series.setdefault(series.id, series) is series


def _require_series(staged: InMemorySessionStore, series_id: str) -> None:
    if series_id not in staged._series:
        raise ValueError(f"series {series_id!r} is not among the series before this line")


def _add_skip(staged: InMemorySessionStore, row: Row) -> bool:
    skip = _model(SeriesSkip, row)
    _require_series(staged, skip.series_id)
    days = staged._skips.setdefault(skip.series_id, {})
    return days.setdefault(skip.day, skip) is skip


def _add_standing(staged: InMemorySessionStore, row: Row) -> bool:
    standing = _model(StandingRsvp, row)
    _require_series(staged, standing.series_id)
    rows = staged._standing.setdefault(standing.series_id, [])
    if any(r.member_id == standing.member_id for r in rows):
        return False
    rows.append(standing)
    return True


def _add_min_decision(staged: InMemorySessionStore, row: Row) -> bool:
    decision = _model(MinDecision, row)
    _require_session(staged, decision.session_id)
    return staged._min_decisions.setdefault(decision.session_id, decision) is decision


def _add_substitute(staged: InMemorySessionStore, row: Row) -> bool:
    request = _model(SubstituteRequest, row)
    _require_session(staged, request.session_id)
    return staged._substitutes.setdefault(request.session_id, request) is request


def _add_seat_mark(staged: InMemorySessionStore, row: Row) -> bool:
    from core.testing.no_show_store import mark_key

    mark = _model(SeatMark, row)
    _require_session(staged, mark.session_id)
    return staged._marks.setdefault(mark_key(mark), mark) is mark


_ADDERS: dict[str, Callable[[InMemorySessionStore, Row], bool]] = {
    "audit_log": add_audit,
    "calendar_feeds": add_feed,
    "training_ledger": add_ledger,
    "events": _add_event,
    "once_keys": _add_once,
    "rank_promotions": add_promotion,
    "member_codes": _add_code,
    "member_profiles": _add_profile,
    "training_sessions": _add_session,
    "webhook_deliveries": _add_webhook,
    "announcement_copies": _add_copy,
    "attendance_intervals": _add_stay,
    "deferred_deliveries": _add_held,
    "deliveries": _add_delivery,
    "member_identities": _add_identity,
    "reminders": _add_reminder,
    "rsvps": _add_rsvp,
    "seat_marks": _add_seat_mark,
    "series": _add_series,
    "series_skips": _add_skip,
    "standing_rsvps": _add_standing,
    "substitute_requests": _add_substitute,
    "min_attendance_decisions": _add_min_decision,
}


def _first_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        return f"{place}: {first['msg']}" if place else str(first["msg"])
    return str(error)
