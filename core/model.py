"""The canonical domain model: one name per concept, used by every adapter."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

JOIN_WINDOW = timedelta(minutes=10)
"""How long before start_time members may join."""


def ensure_utc(value: datetime) -> datetime:
    """Return `value` as an aware UTC datetime; naive values are refused."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetimes in core must be timezone-aware")
    return value.astimezone(UTC)


class Model(BaseModel):
    """Base for domain records: validated on assignment, copied with `model_copy`.

    Every core model's validator is built at its first use, not at import (`defer_build`):
    a process builds only the models it uses (tests/unit/test_deferred_models.py)."""

    model_config = ConfigDict(validate_assignment=True, extra="forbid", defer_build=True)


class Role(StrEnum):
    ADMIN = "admin"
    INSTRUCTOR = "instructor"
    MEMBER = "member"
    GUEST = "guest"


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"
    CANCELED = "canceled"
    NOT_HELD = "not_held"
    """Never started: its end plus the auto-end grace passed while it was still scheduled."""


class Visibility(StrEnum):
    MEMBERS_ONLY = "members_only"
    PUBLIC = "public"


class RoomState(StrEnum):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"
    DELETED = "deleted"


class RsvpStatus(StrEnum):
    GOING = "going"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    """Waitlisted and holding a freed seat until `Rsvp.offer_expires_at` (Claim / Pass)."""
    LEFT = "left"


class ReminderKind(StrEnum):
    BEFORE_24H = "24h"
    BEFORE_1H = "1h"
    BEFORE_10M = "10m"
    # custom lead times a member may choose one of (core.reminders.CUSTOM_KINDS)
    BEFORE_48H = "48h"
    BEFORE_12H = "12h"
    BEFORE_6H = "6h"
    BEFORE_3H = "3h"
    BEFORE_2H = "2h"
    BEFORE_30M = "30m"


class Member(Model):
    """Someone acting through a front end; `id` is stable and platform-qualified.

    `id` is the member's profile id (what RSVPs and attendance are recorded under); when they
    act through another identity linked to that profile, `platform_id` is that identity (the
    front end answers there). `locale` is the language they read (None: the default).
    """

    id: str = Field(min_length=1)
    display_name: str = Field(min_length=1)
    role: Role = Role.MEMBER
    timezone: str = "UTC"
    locale: str | None = None
    platform_id: str | None = None
    front_end: str | None = None
    """The front end acting now ("slack", "discord", "terminal", "api", …; None: the core
    itself, e.g. the clock): the audit log records it."""

    @property
    def acting_id(self) -> str:
        """The platform identity acting now."""
        return self.platform_id or self.id


class Room(Model):
    """The video room behind a session, and how its creation went."""

    provider: str = ""
    room_id: str | None = None
    state: RoomState = RoomState.PENDING
    last_error: str | None = None
    attempts: int = 0
    last_attempt_at: datetime | None = None


class RoomLink(Model):
    """One member's personal way into a room; `expires_at` None means it does not expire.

    Providers entered by URL (Jitsi) fill `url`; providers entered through their UI kit with a
    per-participant token (RealtimeKit) also fill `auth_token`, and the join page loads the kit.
    """

    url: str
    expires_at: datetime | None = None
    auth_token: str | None = None


class Origin(Model):
    """Where a session was scheduled and where its announcement lives."""

    platform: str
    workspace_id: str | None = None
    channel_id: str | None = None
    message_ref: str | None = None


class TrainingSession(Model):
    """A live online class."""

    id: str
    title: str
    description: str = ""
    event_id: str | None = None
    instructor_id: str
    instructor_name: str
    start_time: datetime
    duration_minutes: int
    capacity: int | None = None
    recording_enabled: bool = False
    chat_enabled: bool = True
    visibility: Visibility = Visibility.MEMBERS_ONLY
    tags: list[str] = Field(default_factory=list)
    status: SessionStatus = SessionStatus.SCHEDULED
    room: Room = Field(default_factory=Room)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    canceled_at: datetime | None = None
    canceled_by: str | None = None
    cancel_reason: str | None = None
    archived_at: datetime | None = None
    origin: Origin | None = None
    recording_url: str | None = None
    """Where the latest recording of the session can be downloaded (set when it is ready)."""
    sequence: int = Field(default=0, ge=0)
    """Revision of what members see (the .ics SEQUENCE): +1 on every change, cancel or move."""
    series_id: str | None = None
    """The weekly class this session is an occurrence of (None: a one-off session)."""
    min_going: int | None = None
    """Minimum attendance: fewer going at the decision time → the instructor is asked
    (core/min_attendance.py); None: no minimum."""
    min_decide_minutes: int | None = None
    """How long before the start the minimum is decided (None: the association's default)."""
    created_at: datetime
    updated_at: datetime

    @field_validator(
        "start_time",
        "started_at",
        "ended_at",
        "canceled_at",
        "archived_at",
        "created_at",
        "updated_at",
    )
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else ensure_utc(value)

    @property
    def end_time(self) -> datetime:
        """Scheduled end: start_time + duration_minutes."""
        return self.start_time + timedelta(minutes=self.duration_minutes)

    @property
    def join_opens_at(self) -> datetime:
        return self.start_time - JOIN_WINDOW

    @property
    def is_open(self) -> bool:
        """Scheduled or live: can still change and be joined."""
        return self.status in (SessionStatus.SCHEDULED, SessionStatus.LIVE)


class Rsvp(Model):
    """A member's answer for one session; `position` orders the waitlist."""

    session_id: str
    member_id: str
    member_name: str
    status: RsvpStatus
    position: int = 0
    created_at: datetime
    updated_at: datetime
    offer_expires_at: datetime | None = None
    """While OFFERED: until when the held seat is theirs to claim (None otherwise)."""

    @field_validator("created_at", "updated_at", "offer_expires_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else ensure_utc(value)


class RsvpChange(Model):
    """What one RSVP operation did: the member's row and anyone promoted from the waitlist."""

    rsvp: Rsvp | None
    promoted: Rsvp | None = None
    changed: bool = True


class AttendanceInterval(Model):
    """One stay of a member in a session's room; `left_at` is None while still inside."""

    session_id: str
    member_id: str
    member_name: str
    joined_at: datetime
    left_at: datetime | None = None

    @field_validator("joined_at", "left_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else ensure_utc(value)


class Attendance(Model):
    """A member's attendance summary: first join, last leave, merged watch time."""

    session_id: str
    member_id: str
    member_name: str
    joined_at: datetime
    left_at: datetime | None
    watch_time_seconds: int


class Event(Model):
    """A gathering (seminar, grading, camp) that sessions may belong to."""

    id: str
    title: str
    description: str = ""
    created_at: datetime

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return ensure_utc(value)


class Reminder(Model):
    """One reminder kind of one session for one start time: due at `due_at`, pointless after
    `useful_until`.

    `start_time` is the session's start the reminder was planned for: a session moved later
    gets new reminders for its new start, and one moved back is not reminded twice of a start
    it was already reminded of (deliveries are keyed on it, see `DeliveryKey`).
    """

    session_id: str
    kind: ReminderKind
    start_time: datetime
    due_at: datetime
    useful_until: datetime
    done_at: datetime | None = None

    @field_validator("start_time", "due_at", "useful_until", "done_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else ensure_utc(value)


class DeliveryKey(Model):
    """One reminder to one recipient: unique per session × recipient × kind × start time.

    `recipient_id` is a member id, or `channel` for the post in the session's channel.
    `start_time` is the session start the reminder announced (the `Reminder.start_time` it
    came from): a session moved to another start gets that start's reminders anew, while
    every reminder already sent for one start stays sent, even if the session moves back.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    session_id: str
    recipient_id: str
    kind: ReminderKind
    start_time: datetime

    @field_validator("start_time")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return ensure_utc(value)

    def marker(self) -> str:
        """A short stable id of this delivery (25 hex characters), carried on the message
        so that the platform can tell later whether it already went out.

        A hash of every field (canonical JSON, keys sorted), so a field added to the key
        changes the marker, and the same key gives the same marker in every process.
        """
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:25]


class DeferredDelivery(Model):
    """One member's reminder held back (their quiet hours): sent at `due_at` if still
    before `useful_until`, through the same claim → send → mark as any delivery."""

    key: DeliveryKey
    due_at: datetime
    useful_until: datetime

    @field_validator("due_at", "useful_until")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return ensure_utc(value)


CHANNEL_RECIPIENT = "channel"


class SessionFilter(Model):
    """Criteria for listing sessions; all optional, combined with AND."""

    status: list[SessionStatus] | None = None
    instructor_id: str | None = None
    event_id: str | None = None
    series_id: str | None = None
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    """`starts_after` is inclusive (start_time >= it), `starts_before` exclusive (<)."""
    room_states: list[RoomState] | None = None
    finished_before: datetime | None = None
    """Ended or canceled before this instant (ended_at or canceled_at)."""
    include_archived: bool = False
    limit: int = Field(default=50, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)
    descending: bool = False
