"""ZeroDBStoreDump: the StoreDump port on ZeroDB tables, in the SQL store's export format.

ZeroDB rows differ from the logical rows of the export: the server's row id, `write_token`
and `stay_key` are bookkeeping (dropped); sessions and events keep their id as `session_id` /
`event_id`; `once_keys` name the key `once_key`; a delivery is one row per claim plus a sent
row (folded into one logical row: the latest claim, the first `sent_at`, attempts = claim
rows); `session_locks` (leases) are not exported. Rows of one key written twice by racing
writers are exported once.

ZeroDB has no server-side sort in every dialect and no transactions, so: the export reads each
table whole (page by page) and sorts it here, and the import reads and checks the whole file
before its first write (both hold one table or file in memory: ZeroDB stores are small, each
row costs an HTTP request). A failure while writing leaves the rows written so far.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Callable
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from adapters.zerodb.audit_records import (
    AUDIT_COLUMNS,
    entry_logical,
    entry_to_row,
    row_to_entry,
)
from adapters.zerodb.copy_records import copy_to_row
from adapters.zerodb.feed_records import feed_row
from adapters.zerodb.ledger_records import (
    LEDGER_COLUMNS,
    LEDGER_EXPORT_KEY,
    import_ledger,
    ledger_logical,
)
from adapters.zerodb.member_records import (
    code_to_row,
    held_to_row,
    profile_to_row,
    row_to_code,
    row_to_held,
    row_to_profile,
)
from adapters.zerodb.min_attendance_records import decision_to_row, row_to_decision
from adapters.zerodb.no_show_records import mark_row
from adapters.zerodb.rank_records import promotion_logical, promotion_to_row
from adapters.zerodb.rows import (
    event_to_row,
    instant,
    interval_to_row,
    json_value,
    parse_instant,
    reminder_to_row,
    row_to_event,
    row_to_interval,
    row_to_reminder,
    row_to_rsvp,
    row_to_session,
    rsvp_to_row,
    session_to_row,
)
from adapters.zerodb.series_records import row_to_series, series_to_row
from adapters.zerodb.store import STAY_KEY, ZeroDBSessionStore
from adapters.zerodb.substitute_records import request_to_row, row_to_request
from adapters.zerodb.tables import Row
from core.announcement_copy import AnnouncementCopy
from core.calendar_feed import CalendarFeed
from core.members import MemberCode
from core.min_attendance import MinDecision
from core.model import DeliveryKey, Origin, TrainingSession
from core.ports import ImportRefused, StoreRecord
from core.ranks import Promotion
from core.recurrence import WeeklyRule
from core.seat_marks import SeatMark
from core.series import Series, SeriesSkip, StandingRsvp
from core.substitutes import SubstituteRequest

ORDER = (
    "audit_log",
    "calendar_feeds",
    "events",
    "member_codes",
    "member_profiles",
    "once_keys",
    "rank_promotions",
    "series",
    "training_ledger",
    "training_sessions",
    "webhook_deliveries",
    "announcement_copies",
    "attendance_intervals",
    "deferred_deliveries",
    "deliveries",
    "member_identities",
    "min_attendance_decisions",
    "reminders",
    "rsvps",
    "seat_marks",
    "series_skips",
    "standing_rsvps",
    "substitute_requests",
)
"""Logical tables in the export's order (the SQL schema's `sorted_tables`)."""
PARENTS = {
    **dict.fromkeys(
        (
            "announcement_copies",
            "attendance_intervals",
            "deferred_deliveries",
            "deliveries",
            "min_attendance_decisions",
            "reminders",
            "rsvps",
            "seat_marks",
            "substitute_requests",
        ),
        "session",
    ),
    "member_identities": "profile",
    **dict.fromkeys(("series_skips", "standing_rsvps"), "series"),
}
"""Tables whose rows belong to a session or a series (which must come before them)."""
_PARENT_TABLES = {"session": "training_sessions", "series": "series", "profile": "member_profiles"}
_DELIVERY_KEY = ("session_id", "recipient_id", "kind", "start_time")
_COPY_KEY = ("session_id", "platform", "channel_id")
_PROFILE_STORED = (
    *("profile_id", "display_name", "timezone", "locale", "preferred_platform"),
    *("preferences", "last_seen_at", "created_at", "updated_at"),
)
_PROFILE_COLUMNS = ("id", *_PROFILE_STORED[1:])


def _renamed(row: Row, old: str, new: str) -> Row:
    return {(new if k == old else k): v for k, v in row.items()}


def _session_logical(session: TrainingSession) -> Row:
    return _renamed(session_to_row(session), "session_id", "id")


_COLUMNS: dict[str, tuple[str, ...]] = {
    "training_ledger": LEDGER_COLUMNS,
    "audit_log": AUDIT_COLUMNS,
    "calendar_feeds": tuple(CalendarFeed.model_fields),
    "series": (
        *(n for n in Series.model_fields if n not in ("rule", "origin")),
        *(f"rule_{n}" for n in WeeklyRule.model_fields),
        *(f"origin_{n}" for n in Origin.model_fields),
    ),
    "series_skips": tuple(SeriesSkip.model_fields),
    "standing_rsvps": tuple(StandingRsvp.model_fields),
    "seat_marks": tuple(SeatMark.model_fields),
    "rank_promotions": tuple(Promotion.model_fields),
    "events": ("id", "title", "description", "created_at"),
    "once_keys": ("key", "expires_at"),
    "webhook_deliveries": ("delivery_id", "received_at"),
    "announcement_copies": tuple(AnnouncementCopy.model_fields),
    "member_codes": tuple(MemberCode.model_fields),
    "member_profiles": _PROFILE_COLUMNS,
    "deferred_deliveries": (*_DELIVERY_KEY, "due_at", "useful_until"),
    "member_identities": ("identity_id", "profile_id", "position"),
    "attendance_intervals": ("session_id", "member_id", "member_name", "joined_at", "left_at"),
    "deliveries": (*_DELIVERY_KEY, "claimed_at", "sent_at", "attempts"),
    "reminders": ("session_id", "kind", "start_time", "due_at", "useful_until", "done_at"),
    "substitute_requests": tuple(SubstituteRequest.model_fields),
    "min_attendance_decisions": tuple(MinDecision.model_fields),
    "rsvps": (
        "session_id",
        "member_id",
        "member_name",
        "status",
        "position",
        "created_at",
        "updated_at",
        "offer_expires_at",
    ),
}
"""Columns of the logical tables (`training_sessions`: those of `rows.session_to_row`)."""


def _differing(given: Row, back: Row) -> str | None:
    """The first column whose value did not survive being read as its record (a string for
    a number, a null for a required text …); instants compare as instants."""
    for name, value in given.items():
        again = back.get(name)
        if type(value) is type(again) and value == again:
            continue
        if isinstance(value, str) and isinstance(again, str):
            try:
                if parse_instant(value) == parse_instant(again):
                    continue
            except ValueError:
                pass
        return name
    return None


class ZeroDBStoreDump:
    """Export and import of a ZeroDB store's logical tables."""

    transactional = False

    def __init__(self, store: ZeroDBSessionStore) -> None:
        self._store = store
        self._tables = store.tables

    async def _all(self, logical: str) -> list[Row]:
        return await self._tables.query_all(self._store.table_name(logical), {})

    async def count_records(self) -> int:
        """Records an export would hold (reads every table)."""
        return sum([len(await self._logical(table)) for table in ORDER])

    async def export_records(self) -> AsyncIterator[StoreRecord]:
        """Every logical row, table by table, each table read whole and sorted by key."""
        for table in ORDER:
            for row in await self._logical(table):
                yield StoreRecord(table, row)

    async def _logical(self, table: str) -> list[Row]:
        rows = await self._all(table)
        if table == "deliveries":
            return _folded_deliveries(rows)
        if table == "standing_rsvps":  # the order they were made: their `seq`
            rows.sort(key=lambda r: int(r.get("seq", 0)))
        convert, key, order = _EXPORTS[table]
        keyed: dict[tuple[Any, ...], Row] = {}
        for row in rows:
            logical = convert(row)
            keyed.setdefault(tuple(logical[k] for k in key), logical)
        # stable: rows of one parent keep the server's (insertion) order where `order` is
        # shorter than the key
        return sorted(keyed.values(), key=lambda r: tuple(r[k] for k in order))

    async def import_records(self, records: AsyncIterable[StoreRecord]) -> int:
        """Check the whole stream, then insert its rows table by table."""
        await self._refuse_non_empty()
        staged: dict[str, list[Row]] = {table: [] for table in ORDER}
        seen: dict[str, set[tuple[Any, ...]]] = {table: set() for table in ORDER}
        count = 0
        async for record in records:
            table = record.table
            if table not in staged:
                raise ImportRefused(
                    f"line {record.line}: unknown table {table!r} (known: {', '.join(ORDER)})"
                )
            where = f"line {record.line}: {table}"
            _check_columns(table, record.row, where)
            for name, value in record.row.items():
                if name.endswith("_at") or name in ("start_time", "useful_until"):
                    try:
                        _instant(value, name, nullable=True)
                    except ValueError as error:
                        raise ImportRefused(f"{where}: {error}") from None
            try:
                key, stored, back = _IMPORTS[table](record.row)
            except (ValidationError, ValueError, TypeError, KeyError) as error:
                raise ImportRefused(f"{where}: {_first_error(error)}") from None
            wrong = _differing(record.row, back)
            if wrong is not None:
                raise ImportRefused(f"{where}.{wrong}: {record.row[wrong]!r} is not valid here")
            if key in seen[table]:
                raise ImportRefused(f"{where}: a second row with the same key")
            parent = PARENTS.get(table)
            if parent is not None:
                parent_id = record.row[f"{parent}_id"]
                if (parent_id,) not in seen[_PARENT_TABLES[parent]]:
                    raise ImportRefused(
                        f"{where}: {parent} {parent_id!r} is not among the {parent} rows "
                        "before this line"
                    )
            seen[table].add(key)
            if table == "standing_rsvps":  # numbered in file order, as the store numbers them
                stored = [row | {"seq": len(staged[table]) + 1} for row in stored]
            staged[table] += stored
            count += 1
        for table in ORDER:
            if staged[table]:
                await self._tables.insert(self._store.table_name(table), staged[table])
        return count

    async def _refuse_non_empty(self) -> None:
        sessions = await self._tables.count(self._store.table_name("training_sessions"), {})
        if sessions:
            raise ImportRefused(
                f"the target store already holds {sessions} sessions; import needs an empty store"
            )
        for table in ORDER:
            found = await self._tables.count(self._store.table_name(table), {})
            if found:
                raise ImportRefused(
                    f"the target store already holds {found} rows in {table}; "
                    "import needs an empty store"
                )


def _check_columns(table: str, row: Row, where: str) -> None:
    expected = _COLUMNS.get(table) or tuple(_SESSION_COLUMNS)
    missing = [c for c in expected if c not in row]
    extra = sorted(k for k in row if k not in expected)
    if missing or extra:
        parts = ([f"missing column(s) {', '.join(missing)}"] if missing else []) + (
            [f"unknown column(s) {', '.join(extra)}"] if extra else []
        )
        raise ImportRefused(f"{where}: {'; '.join(parts)}")


def _min_decision_logical(row: Row) -> Row:
    return decision_to_row(row_to_decision(row))


def _substitute_logical(row: Row) -> Row:
    return request_to_row(row_to_request(row))


def _first_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        place = ".".join(str(p) for p in first["loc"])
        return f"{place}: {first['msg']}" if place else str(first["msg"])
    if isinstance(error, KeyError):
        return f"missing {error}"
    return str(error)


# ZeroDB rows → logical rows -------------------------------------------------------------------
def _event_logical(row: Row) -> Row:
    return _renamed(event_to_row(row_to_event(row)), "event_id", "id")


def _once_logical(row: Row) -> Row:
    return {"key": row.get("once_key"), "expires_at": row.get("expires_at")}


def _webhook_logical(row: Row) -> Row:
    return {"delivery_id": row.get("delivery_id"), "received_at": row.get("received_at")}


def _copy_logical(row: Row) -> Row:
    return {name: row.get(name) for name in AnnouncementCopy.model_fields}


def _code_logical(row: Row) -> Row:
    return {name: row.get(name) for name in MemberCode.model_fields}


def _profile_logical(row: Row) -> Row:
    return _renamed({name: row.get(name) for name in _PROFILE_STORED}, "profile_id", "id")


def _held_logical(row: Row) -> Row:
    return {name: row.get(name) for name in _COLUMNS["deferred_deliveries"]}


def _identity_logical(row: Row) -> Row:
    return {name: row.get(name) for name in _COLUMNS["member_identities"]}


def _series_logical(row: Row) -> Row:
    return _renamed(series_to_row(row_to_series(row)), "series_id", "id")


def _standing_logical(row: Row) -> Row:
    return {name: row.get(name) for name in StandingRsvp.model_fields}


def _skip_logical(row: Row) -> Row:
    return {name: row.get(name) for name in SeriesSkip.model_fields}


def _mark_logical(row: Row) -> Row:
    return {name: row.get(name) for name in SeatMark.model_fields}


def _feed_logical(row: Row) -> Row:
    return {name: row.get(name) for name in CalendarFeed.model_fields}


_MARK_KEY = ("session_id", "member_id", "kind")


_EXPORTS: dict[str, tuple[Callable[[Row], Row], tuple[str, ...], tuple[str, ...]]] = {
    "audit_log": (lambda r: entry_logical(row_to_entry(r)), ("id",), ("id",)),
    "calendar_feeds": (_feed_logical, ("member_id",), ("member_id",)),
    "events": (_event_logical, ("id",), ("id",)),
    "once_keys": (_once_logical, ("key",), ("key",)),
    "rank_promotions": (promotion_logical, ("id",), ("id",)),
    "series": (_series_logical, ("id",), ("id",)),
    "training_ledger": (ledger_logical, LEDGER_EXPORT_KEY, LEDGER_EXPORT_KEY),
    "training_sessions": (lambda r: _session_logical(row_to_session(r)), ("id",), ("id",)),
    "webhook_deliveries": (_webhook_logical, ("delivery_id",), ("delivery_id",)),
    "announcement_copies": (_copy_logical, _COPY_KEY, _COPY_KEY),
    "member_codes": (_code_logical, ("code",), ("code",)),
    "member_profiles": (_profile_logical, ("id",), ("id",)),
    "deferred_deliveries": (_held_logical, _DELIVERY_KEY, _DELIVERY_KEY),
    "member_identities": (_identity_logical, ("identity_id",), ("identity_id",)),
    "attendance_intervals": (
        lambda r: interval_to_row(row_to_interval(r)),
        ("session_id", "member_id", "joined_at"),
        ("session_id",),
    ),
    "reminders": (
        lambda r: reminder_to_row(row_to_reminder(r)),
        ("session_id", "kind"),
        ("session_id", "kind"),
    ),
    "rsvps": (
        lambda r: rsvp_to_row(row_to_rsvp(r)),
        ("session_id", "member_id"),
        ("session_id", "member_id"),
    ),
    "series_skips": (_skip_logical, ("series_id", "day"), ("series_id", "day")),
    "seat_marks": (_mark_logical, _MARK_KEY, _MARK_KEY),
    "standing_rsvps": (_standing_logical, ("series_id", "member_id"), ("series_id",)),
    "substitute_requests": (_substitute_logical, ("session_id",), ("session_id",)),
    "min_attendance_decisions": (_min_decision_logical, ("session_id",), ("session_id",)),
}
"""Per table: a stored row as its logical row, its key (one row per key is exported), and
the export's order (attendance and standing RSVPs: by parent, then the order made)."""


def _folded_deliveries(rows: list[Row]) -> list[Row]:
    grouped: dict[tuple[str, ...], list[Row]] = {}
    for row in rows:
        grouped.setdefault(tuple(str(row.get(k)) for k in _DELIVERY_KEY), []).append(row)
    folded: list[Row] = []
    for key in sorted(grouped):
        claims = sorted(str(r["claimed_at"]) for r in grouped[key] if r.get("claimed_at"))
        sent = sorted(str(r["sent_at"]) for r in grouped[key] if r.get("sent_at"))
        head: Row = dict(zip(_DELIVERY_KEY, key, strict=True))
        folded.append(
            head
            | {
                "claimed_at": claims[-1] if claims else sent[0],
                "sent_at": sent[0] if sent else None,
                "attempts": len(claims) or 1,
            }
        )
    return folded


# logical rows → ZeroDB rows (checked) -------------------------------------------------------
Imported = tuple[tuple[Any, ...], list[Row], Row]
"""A logical row's key, the stored rows it becomes, and the logical row read back from them
(compared with the given one)."""


def _instant(value: Any, name: str, nullable: bool = False) -> str | None:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be an ISO-8601 instant with its offset, not {value!r}")
    try:
        return instant(parse_instant(value))
    except ValueError:
        raise ValueError(
            f"{name} must be an ISO-8601 instant with its offset, not {value!r}"
        ) from None


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, not {value!r}")
    return value


def _import_event(row: Row) -> Imported:
    event = row_to_event(_renamed(row, "id", "event_id"))
    stored = event_to_row(event)
    return (event.id,), [stored], _renamed(stored, "event_id", "id")


def _import_once(row: Row) -> Imported:
    key = _text(row["key"], "key")
    stored = {"once_key": key, "expires_at": _instant(row["expires_at"], "expires_at")}
    return (key,), [stored], _once_logical(stored)


def _import_session(row: Row) -> Imported:
    session = row_to_session(_renamed(row, "id", "session_id"))
    stored = session_to_row(session)
    return (session.id,), [stored], _renamed(stored, "session_id", "id")


def _import_webhook(row: Row) -> Imported:
    delivery_id = _text(row["delivery_id"], "delivery_id")
    stored = {"delivery_id": delivery_id, "received_at": _instant(row["received_at"], "at")}
    return (delivery_id,), [stored], stored


def _import_copy(row: Row) -> Imported:
    copy = AnnouncementCopy.model_validate(
        row | {"created_at": parse_instant(_text(row["created_at"], "created_at"))}, strict=True
    )
    stored = copy_to_row(copy)
    return tuple(stored[k] for k in _COPY_KEY), [stored], _copy_logical(stored)


def _import_code(row: Row) -> Imported:
    code = row_to_code(row | {"expires_at": _text(row["expires_at"], "expires_at")})
    stored = code_to_row(MemberCode.model_validate(code.model_dump(), strict=True))
    return (code.code,), [stored], _code_logical(stored)


def _import_profile(row: Row) -> Imported:
    profile = row_to_profile(_renamed(row, "id", "profile_id"), [])
    stored = profile_to_row(profile)
    return (profile.id,), [stored], _profile_logical(stored)


def _import_held(row: Row) -> Imported:
    stored = held_to_row(row_to_held(row))
    return tuple(stored[k] for k in _DELIVERY_KEY), [stored], _held_logical(stored)


def _import_identity(row: Row) -> Imported:
    identity = _text(row["identity_id"], "identity_id")
    profile_id = _text(row["profile_id"], "profile_id")
    position = row["position"]
    if isinstance(position, bool) or not isinstance(position, int):
        raise ValueError(f"position must be a whole number, not {position!r}")
    stored = {"identity_id": identity, "profile_id": profile_id, "position": position}
    return (identity,), [stored], stored


def _import_stay(row: Row) -> Imported:
    stay = row_to_interval(row)
    key = f"{stay.session_id}|{stay.member_id}|{instant(stay.joined_at)}"
    stored = interval_to_row(stay)
    return (key,), [stored | {STAY_KEY: key}], stored


def _import_delivery(row: Row) -> Imported:
    key = DeliveryKey.model_validate({k: row[k] for k in _DELIVERY_KEY})
    claimed = _instant(row["claimed_at"], "claimed_at")
    sent = _instant(row["sent_at"], "sent_at", nullable=True)
    attempts = row["attempts"]
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 0:
        raise ValueError(f"attempts must be a whole number, 0 or more, not {attempts!r}")
    values = {k: json_value(v) for k, v in key.model_dump().items()}
    stored = [values | {"claimed_at": claimed, "sent_at": None} for _ in range(attempts)]
    if sent is not None:
        stored.append(values | {"claimed_at": None, "sent_at": sent})
    back = values | {"claimed_at": claimed, "sent_at": sent, "attempts": attempts}
    return tuple(values[k] for k in _DELIVERY_KEY), stored, back


def _import_reminder(row: Row) -> Imported:
    reminder = row_to_reminder(row)
    stored = reminder_to_row(reminder)
    return (reminder.session_id, reminder.kind.value), [stored], stored


def _import_rsvp(row: Row) -> Imported:
    rsvp = row_to_rsvp(row)
    stored = rsvp_to_row(rsvp)
    return (rsvp.session_id, rsvp.member_id), [stored], stored


def _import_series(row: Row) -> Imported:
    item = row_to_series(_renamed(row, "id", "series_id"))
    stored = series_to_row(item)
    return (item.id,), [stored], _renamed(stored, "series_id", "id")


def _import_standing(row: Row) -> Imported:
    standing = StandingRsvp.model_validate(
        row | {"created_at": parse_instant(_text(row["created_at"], "created_at"))}
    )
    stored = {k: json_value(v) for k, v in standing.model_dump().items()}
    return (standing.series_id, standing.member_id), [stored], stored


def _import_skip(row: Row) -> Imported:
    skip = SeriesSkip.model_validate(
        row | {"created_at": parse_instant(_text(row["created_at"], "created_at"))}
    )
    stored = {k: json_value(v) for k, v in skip.model_dump().items()}
    stored["day"] = skip.day.isoformat()
    key = f"{skip.series_id}|{skip.day.isoformat()}"
    return (skip.series_id, stored["day"]), [stored | {"skip_key": key}], stored


def _import_substitute(row: Row) -> Imported:
    for name in ("created_at", "others_at", "answer_by", "updated_at"):
        _text(row[name], name)
    request = row_to_request(row)
    stored = request_to_row(SubstituteRequest.model_validate(request.model_dump(), strict=True))
    return (request.session_id,), [stored], _substitute_logical(stored)


def _import_min_decision(row: Row) -> Imported:
    for name in ("start_time", "updated_at"):
        _text(row[name], name)
    decision = row_to_decision(row)
    stored = decision_to_row(MinDecision.model_validate(decision.model_dump(), strict=True))
    return (decision.session_id,), [stored], _min_decision_logical(stored)


def _import_mark(row: Row) -> Imported:
    times = {
        name: parse_instant(_text(row[name], name))
        for name in ("created_at", "waived_at", "appealed_at")
        if row.get(name) is not None
    }
    stored = mark_row(SeatMark.model_validate(row | times))
    return tuple(stored[k] for k in _MARK_KEY), [stored], _mark_logical(stored)


def _import_audit(row: Row) -> Imported:
    _text(row["at"], "at")
    stored = entry_to_row(row_to_entry(_renamed(row, "id", "entry_id")))
    return (stored["entry_id"],), [stored], _renamed(stored, "entry_id", "id")


def _import_feed(row: Row) -> Imported:
    created = parse_instant(_text(row["created_at"], "created_at"))
    stored = feed_row(CalendarFeed.model_validate(row | {"created_at": created}))
    return (stored["member_id"],), [stored], _feed_logical(stored)


def _import_promotion(row: Row) -> Imported:
    promotion = Promotion.model_validate_json(json.dumps(row), strict=True)
    stored = promotion_to_row(promotion)
    return (promotion.id,), [stored], promotion_logical(stored)


_IMPORTS: dict[str, Callable[[Row], Imported]] = {
    "rank_promotions": _import_promotion,
    "training_ledger": import_ledger,
    "audit_log": _import_audit,
    "calendar_feeds": _import_feed,
    "events": _import_event,
    "once_keys": _import_once,
    "training_sessions": _import_session,
    "webhook_deliveries": _import_webhook,
    "announcement_copies": _import_copy,
    "member_codes": _import_code,
    "member_profiles": _import_profile,
    "deferred_deliveries": _import_held,
    "member_identities": _import_identity,
    "attendance_intervals": _import_stay,
    "deliveries": _import_delivery,
    "reminders": _import_reminder,
    "rsvps": _import_rsvp,
    "series": _import_series,
    "series_skips": _import_skip,
    "standing_rsvps": _import_standing,
    "seat_marks": _import_mark,
    "substitute_requests": _import_substitute,
    "min_attendance_decisions": _import_min_decision,
}

_SESSION_COLUMNS = _session_logical(
    TrainingSession(
        id="x",
        title="x",
        instructor_id="x",
        instructor_name="x",
        start_time=datetime.fromisoformat("2026-01-01T00:00:00+00:00"),
        duration_minutes=1,
        created_at=datetime.fromisoformat("2026-01-01T00:00:00+00:00"),
        updated_at=datetime.fromisoformat("2026-01-01T00:00:00+00:00"),
    )
)
"""The logical columns of a session row (those `rows.session_to_row` writes)."""
