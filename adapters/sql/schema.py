"""Tables of the SQL session store: column names are the model's field names.

`room.*` and `origin.*` are flattened to `room_<field>` / `origin_<field>`. Enums are stored
as their string values. This is the current schema; databases are brought to it by
`adapters.sql.migrations`, so every change here needs a new migration step.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
)
from sqlalchemy.engine import Connection

from adapters.sql.types import JSONB, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

_ID = 200
_ENUM = 32

ROOM_STATE_STATUS_INDEX = "ix_training_sessions_room_state_status_start_time"
ROOM_ID_INDEX = "ix_training_sessions_room_id"
ATTENDANCE_STAY_INDEX = "uq_attendance_intervals_session_id_member_id_joined_at"
SERIES_INDEX = "ix_training_sessions_series_id_start_time"
MIN_ATTENDANCE_COLUMNS = ("min_going", "min_decide_minutes")
"""A session's minimum attendance (`TrainingSession.min_going`, `min_decide_minutes`)."""
MIN_DECISION_DUE_INDEX = "ix_min_attendance_decisions_due_at"
RSVP_MEMBER_INDEX = "ix_rsvps_member_id_status"
LEDGER_ORDER_INDEX = "ix_training_ledger_starts_at_session_id_member_id"


def _described() -> list[Column[Any]]:
    """What a session and a weekly class both are: title, description, event, instructor."""
    return [
        Column("title", Text, nullable=False),
        Column("description", Text, nullable=False),
        Column("event_id", String(_ID), nullable=True),
        Column("instructor_id", String(_ID), nullable=False),
        Column("instructor_name", Text, nullable=False),
    ]


def _class_options() -> list[Column[Any]]:
    """The options a session and a weekly class both have (`ScheduleSession`'s)."""
    return [
        Column("duration_minutes", Integer, nullable=False),
        Column("capacity", Integer, nullable=True),
        Column("recording_enabled", Boolean, nullable=False),
        Column("chat_enabled", Boolean, nullable=False),
        Column("visibility", String(_ENUM), nullable=False),
        Column("tags", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
    ]


def _origin() -> list[Column[Any]]:
    """Where it was scheduled (`core.model.Origin`, flattened to `origin_<field>`)."""
    return [
        Column("origin_platform", String(_ID), nullable=True),
        Column("origin_workspace_id", String(_ID), nullable=True),
        Column("origin_channel_id", String(_ID), nullable=True),
        Column("origin_message_ref", Text, nullable=True),
    ]


events = Table(
    "events",
    metadata,
    Column("id", String(_ID), primary_key=True),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_events_created_at", "created_at", "id"),
)

training_sessions = Table(
    "training_sessions",
    metadata,
    Column("id", String(_ID), primary_key=True),
    *_described(),
    Column("start_time", UtcDateTime, nullable=False),
    *_class_options(),
    Column("status", String(_ENUM), nullable=False),
    Column("room_provider", Text, nullable=False),
    Column("room_id", Text, nullable=True),
    Column("room_state", String(_ENUM), nullable=False),
    Column("room_last_error", Text, nullable=True),
    Column("room_attempts", Integer, nullable=False),
    Column("room_last_attempt_at", UtcDateTime, nullable=True),
    Column("started_at", UtcDateTime, nullable=True),
    Column("ended_at", UtcDateTime, nullable=True),
    Column("canceled_at", UtcDateTime, nullable=True),
    Column("canceled_by", String(_ID), nullable=True),
    Column("cancel_reason", Text, nullable=True),
    Column("archived_at", UtcDateTime, nullable=True),
    *_origin(),
    Column("recording_url", Text, nullable=True),
    Column("sequence", Integer, nullable=False, default=0, server_default="0"),
    Column("series_id", String(_ID), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    *[Column(name, Integer, nullable=True) for name in MIN_ATTENDANCE_COLUMNS],
    Index("ix_training_sessions_start_time", "start_time", "id"),
    Index(SERIES_INDEX, "series_id", "start_time"),
    Index("ix_training_sessions_status_start_time", "status", "start_time", "id"),
    Index("ix_training_sessions_instructor_id_start_time", "instructor_id", "start_time"),
    Index("ix_training_sessions_event_id_start_time", "event_id", "start_time"),
    # Both lists, status IN … AND room_state IN …, as the room duties ask (few rows, sorted
    # after); `queries` names it in `INDEXED BY` on SQLite, whose planner would rather walk
    # the status index in start-time order (every future scheduled session).
    Index(ROOM_STATE_STATUS_INDEX, "room_state", "status", "start_time", "id"),
    Index(ROOM_ID_INDEX, "room_id"),
)


RSVP_OFFER_INDEX = "ix_rsvps_status_offer_expires_at"
"""Open offers by deadline: the offer duty's next wake-up and the lapse query."""


def _session_fk() -> ForeignKey:
    return ForeignKey(training_sessions.c.id, ondelete="CASCADE")


rsvps = Table(
    "rsvps",
    metadata,
    Column("session_id", String(_ID), _session_fk(), primary_key=True),
    Column("member_id", String(_ID), primary_key=True),
    Column("member_name", Text, nullable=False),
    Column("status", String(_ENUM), nullable=False),
    Column("position", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("offer_expires_at", UtcDateTime, nullable=True),
    Index("ix_rsvps_session_id_status_position", "session_id", "status", "position"),
    Index("ix_rsvps_session_id_position", "session_id", "position"),
    Index(RSVP_OFFER_INDEX, "status", "offer_expires_at"),
    Index(RSVP_MEMBER_INDEX, "member_id", "status"),  # a member's sessions (calendar feed)
)

attendance_intervals = Table(
    "attendance_intervals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session_id", String(_ID), _session_fk(), nullable=False),
    Column("member_id", String(_ID), nullable=False),
    Column("member_name", Text, nullable=False),
    Column("joined_at", UtcDateTime, nullable=False),
    Column("left_at", UtcDateTime, nullable=True),
    Index("ix_attendance_intervals_session_id_joined_at", "session_id", "joined_at"),
    Index("ix_attendance_intervals_session_id_member_id", "session_id", "member_id"),
    # A redelivered join opens no second stay, even when two processes record it at once.
    Index(ATTENDANCE_STAY_INDEX, "session_id", "member_id", "joined_at", unique=True),
)

reminders = Table(
    "reminders",
    metadata,
    Column("session_id", String(_ID), _session_fk(), primary_key=True),
    Column("kind", String(_ENUM), primary_key=True),
    Column("start_time", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("useful_until", UtcDateTime, nullable=False),
    Column("done_at", UtcDateTime, nullable=True),
)
# Only unfinished reminders are ever searched by due time: a partial index stays small.
# PostgreSQL's copy is plain DDL: `postgresql_where=` would make SQLAlchemy load the
# PostgreSQL dialect (to validate the keyword) in every process, SQLite ones included.
PENDING_REMINDERS_INDEX = "ix_reminders_pending_due_at"
Index(
    PENDING_REMINDERS_INDEX,
    reminders.c.due_at,
    reminders.c.session_id,
    reminders.c.kind,
    sqlite_where=reminders.c.done_at.is_(None),
).ddl_if(dialect="sqlite")


def _pending_reminders_index_on_postgresql(
    _table: Table, connection: Connection, **_kw: Any
) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            f"CREATE INDEX {PENDING_REMINDERS_INDEX} ON reminders (due_at, session_id, kind) "
            "WHERE done_at IS NULL"
        )


event.listen(reminders, "after_create", _pending_reminders_index_on_postgresql)


def _delivery_key() -> list[Column[Any]]:
    """`core.model.DeliveryKey` as a primary key: session, recipient, kind, and the start the
    reminder announced (a moved session is reminded of its new start)."""
    return [
        Column("session_id", String(_ID), _session_fk(), primary_key=True),
        Column("recipient_id", String(_ID), primary_key=True),
        Column("kind", String(_ENUM), primary_key=True),
        Column("start_time", UtcDateTime, primary_key=True),
    ]


deliveries = Table(
    "deliveries",
    metadata,
    *_delivery_key(),
    Column("claimed_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("delivery_id", String(_ID), primary_key=True),
    Column("received_at", UtcDateTime, nullable=False),
)
"""Video-provider webhook deliveries already processed (dedupe of redeliveries)."""

once_keys = Table(
    "once_keys",
    metadata,
    Column("key", String(_ID), primary_key=True),
    Column("expires_at", UtcDateTime, nullable=False),
    Index("ix_once_keys_expires_at", "expires_at"),
)
"""Keys claimed once across processes until they expire (`claim_once`: Slack retries,
webhook deliveries in flight)."""

series = Table(
    "series",
    metadata,
    Column("id", String(_ID), primary_key=True),
    Column("root_id", String(_ID), nullable=False),
    *_described(),
    Column("rule_weekdays", JSON().with_variant(JSONB(), "postgresql"), nullable=False),
    Column("rule_local_time", String(8), nullable=False),
    Column("rule_timezone", String(_ID), nullable=False),
    Column("rule_first_day", Date, nullable=False),
    Column("rule_until", Date, nullable=False),
    Column("rule_interval_weeks", Integer, nullable=False),
    *_class_options(),
    *_origin(),
    Column("status", String(_ENUM), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("materialised_until", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_series_status_materialised_until", "status", "materialised_until"),
)
"""Weekly classes (`core.series.Series`; the rule flattened to `rule_<field>`)."""


def _series_fk() -> ForeignKey:
    return ForeignKey(series.c.id, ondelete="CASCADE")


standing_rsvps = Table(
    "standing_rsvps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("series_id", String(_ID), _series_fk(), nullable=False),
    Column("member_id", String(_ID), nullable=False),
    Column("member_name", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("uq_standing_rsvps_series_id_member_id", "series_id", "member_id", unique=True),
)
"""Members going to every occurrence; `id` keeps the order they said so."""

series_skips = Table(
    "series_skips",
    metadata,
    Column("series_id", String(_ID), _series_fk(), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("reason", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
"""Days a series doesn't meet (holidays)."""

member_profiles = Table(
    "member_profiles",
    metadata,
    Column("id", String(_ID), primary_key=True),
    Column("display_name", Text, nullable=False),
    Column("timezone", String(_ID), nullable=True),
    Column("locale", String(_ENUM), nullable=True),
    Column("preferred_platform", String(_ENUM), nullable=True),
    Column("preferences", Text, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
"""One row per person (`core.members.MemberProfile`); `preferences` is the JSON text of
their `ReminderPreferences`, so a new preference needs no migration."""

member_identities = Table(
    "member_identities",
    metadata,
    Column("identity_id", String(_ID), primary_key=True),
    Column(
        "profile_id",
        String(_ID),
        ForeignKey(member_profiles.c.id, ondelete="CASCADE"),
        nullable=False,
    ),
    Column("position", Integer, nullable=False),
    Index("ix_member_identities_profile_id_position", "profile_id", "position"),
)
"""Every platform identity → the one profile it is (the key makes identities unique);
`position` orders a profile's identities, its own id (0) first."""

member_codes = Table(
    "member_codes",
    metadata,
    Column("code", String(_ID), primary_key=True),
    Column("purpose", String(_ENUM), nullable=False),
    Column("member_id", String(_ID), nullable=False),
    Column("issued_by", String(_ID), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Index("ix_member_codes_expires_at", "expires_at"),
)
"""One-time codes (`/link`, `/forget-me` confirmations), deleted when taken or expired."""

deferred_deliveries = Table(
    "deferred_deliveries",
    metadata,
    *_delivery_key(),
    Column("due_at", UtcDateTime, nullable=False),
    Column("useful_until", UtcDateTime, nullable=False),
    Index("ix_deferred_deliveries_due_at", "due_at"),
)
"""Deliveries held back (a member's quiet hours) until `due_at`, keyed like `deliveries`."""

announcement_copies = Table(
    "announcement_copies",
    metadata,
    Column("session_id", String(_ID), _session_fk(), primary_key=True),
    Column("platform", String(_ENUM), primary_key=True),
    Column("channel_id", String(_ID), primary_key=True),
    Column("workspace_id", String(_ID), nullable=True),
    Column("message_ref", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
"""A session's card in each channel linked with its own (`core.announcement_copy`): the
key makes each copy recorded once."""

SUBSTITUTE_DUE_INDEX = "ix_substitute_requests_status_due_at"
"""Open substitute requests by next deadline: the substitute duty's next wake-up."""

substitute_requests = Table(
    "substitute_requests",
    metadata,
    Column("session_id", String(_ID), _session_fk(), primary_key=True),
    Column("requested_by", String(_ID), nullable=False),
    Column("instructor_id", String(_ID), nullable=False),
    Column("instructor_name", Text, nullable=False),
    Column("status", String(_ENUM), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("others_at", UtcDateTime, nullable=False),
    Column("answer_by", UtcDateTime, nullable=False),
    Column("widened", Boolean, nullable=False),
    Column("due_at", UtcDateTime, nullable=True),
    Column("substitute_id", String(_ID), nullable=True),
    Column("substitute_name", Text, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Index(SUBSTITUTE_DUE_INDEX, "status", "due_at"),
)
"""A session's latest substitute request (`core.substitutes`): one row per session, its
status changed by compare and set (one accept wins)."""

seat_marks = Table(
    "seat_marks",
    metadata,
    Column("session_id", String(_ID), _session_fk(), primary_key=True),
    Column("member_id", String(_ID), primary_key=True),
    Column("kind", String(_ENUM), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("marked_by", String(_ID), nullable=True),
    Column("waived_by", String(_ID), nullable=True),
    Column("waived_at", UtcDateTime, nullable=True),
    Column("appealed_at", UtcDateTime, nullable=True),
    Index("ix_seat_marks_member_id_created_at", "member_id", "created_at"),
    Index("ix_seat_marks_created_at", "created_at"),
)
"""No-show policy marks (`core.seat_marks`): the primary key (session × member × kind)
writes each mark once across processes; waivers and appeals are conditional updates."""

min_attendance_decisions = Table(
    "min_attendance_decisions",
    metadata,
    Column("session_id", String(_ID), _session_fk(), primary_key=True),
    Column("start_time", UtcDateTime, nullable=False),
    Column("minimum", Integer, nullable=False),
    Column("state", String(_ENUM), nullable=False),
    Column("due_at", UtcDateTime, nullable=True),
    Column("asked_at", UtcDateTime, nullable=True),
    Column("answer_by", UtcDateTime, nullable=True),
    Column("going", Integer, nullable=True),
    Column("decided_by", String(_ID), nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Index(MIN_DECISION_DUE_INDEX, "due_at"),
)
"""A session's minimum-attendance decision (`core.min_attendance.MinDecision`): one row per
session, its state changed by compare and set on (state, start_time); `due_at` indexed for
the duty's next wake-up."""

training_ledger = Table(
    "training_ledger",
    metadata,
    Column("session_id", String(_ID), primary_key=True),
    Column("member_id", String(_ID), primary_key=True),
    Column("member_name", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("series_id", String(_ID), nullable=True),
    Column("tags", Text, nullable=False),
    Column("instructor_id", String(_ID), nullable=False),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("session_seconds", Integer, nullable=False),
    Column("seconds_present", Integer, nullable=False),
    Column("attended", Boolean, nullable=False),
    Column("verdict", String(_ENUM), nullable=True),
    Column("verdict_by", String(_ID), nullable=True),
    Column("verdict_at", UtcDateTime, nullable=True),
    Column("recorded_at", UtcDateTime, nullable=False),
    Index("ix_training_ledger_member_id_starts_at", "member_id", "starts_at"),
    Index("ix_training_ledger_series_id_starts_at", "series_id", "starts_at"),
    Index(LEDGER_ORDER_INDEX, "starts_at", "session_id", "member_id"),
)
"""The verified training ledger (`core.training_ledger.LedgerEntry`): one row per session ×
member (the primary key), keyed by profile id, with copies of the session's title, tags
(JSON text), series, instructor and start, so reads need no join. No foreign key: the
record outlives whatever happens to the session. Read in (starts_at, session_id,
member_id) order by keyset pages (`LEDGER_ORDER_INDEX`)."""

rank_promotions = Table(
    "rank_promotions",
    metadata,
    Column("id", String(_ID), primary_key=True),
    Column("member_id", String(_ID), nullable=False),
    Column("rank", Text, nullable=False),
    Column("promoted_on", Date, nullable=False),
    Column("recorded_by", String(_ID), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("corrected_by", String(_ID), nullable=True),
    Column("corrected_at", UtcDateTime, nullable=True),
    Index("ix_rank_promotions_member_id_promoted_on", "member_id", "promoted_on"),
)
"""Rank promotions (`core.ranks.Promotion`), keyed by profile id; a correction replaces the
row by id. Indexed by member for `/progress`."""

AUDIT_NO_UPDATE = "audit_log_no_update"
"""The trigger (and, on PostgreSQL, its function) refusing any UPDATE of `audit_log`."""

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", String(_ID), primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor_id", String(_ID), nullable=False),
    Column("actor_name", Text, nullable=False),
    Column("front_end", String(_ENUM), nullable=False),
    Column("action", String(_ENUM), nullable=False),
    Column("target", String(_ID), nullable=False),
    Column("before", Text, nullable=False),
    Column("after", Text, nullable=False),
    Index("ix_audit_log_at_id", "at", "id"),
    Index("ix_audit_log_actor_id_at", "actor_id", "at"),
    Index("ix_audit_log_target_at", "target", "at"),
)
"""The audit log (`core.audit.AuditEntry`; `before`/`after` as JSON text). Append-only: a
trigger refuses every UPDATE (`create_audit_guard`); rows are only inserted, and deleted
past the retention."""


def create_audit_guard(connection: Connection) -> None:
    """Create (or re-create) the trigger refusing UPDATE on `audit_log`."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION {AUDIT_NO_UPDATE}() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'audit_log is append-only: entries are never changed'; "
            "END $$"
        )
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {AUDIT_NO_UPDATE} ON audit_log")
        connection.exec_driver_sql(
            f"CREATE TRIGGER {AUDIT_NO_UPDATE} BEFORE UPDATE ON audit_log "
            f"FOR EACH ROW EXECUTE FUNCTION {AUDIT_NO_UPDATE}()"
        )
        return
    connection.exec_driver_sql(
        f"CREATE TRIGGER IF NOT EXISTS {AUDIT_NO_UPDATE} BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: entries are never changed'); END"
    )


def _audit_guard_after_create(_table: Table, connection: Connection, **_kw: Any) -> None:
    create_audit_guard(connection)


event.listen(audit_log, "after_create", _audit_guard_after_create)

calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("member_id", String(_ID), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
)
"""Personal calendar feeds (`core.calendar_feed.CalendarFeed`): one row per member (profile
id, the primary key: a new feed replaces the row in one upsert), holding only the SHA-256
of the secret token (unique, looked up by the feed's URL)."""
