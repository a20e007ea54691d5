"""Request and response bodies of the REST API, with core's field names.

Ranges come from core.rules so the OpenAPI document states the same limits the service
enforces. Datetimes must carry an offset; they are answered in UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    create_model,
)

from core.commands import ScheduleSession, UpdateSession
from core.model import RoomState, SessionStatus, TrainingSession, Visibility
from core.rules import (
    CAPACITY_RANGE,
    DESCRIPTION_MAX,
    DURATION_RANGE,
    TAG_MAX,
    TAGS_MAX,
    TITLE_MAX,
    JoinDecision,
    JoinRefusal,
)

ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
MEMBER_ID_PATTERN = r"^[^\x00-\x1f\x7f]{1,200}$"
MEMBER_PATH_PATTERN = r"^[A-Za-z0-9_.:@-]{1,200}$"
"""A member id in a path (`slack:T01:U02`, `discord:1234`, `web:42`)."""
PATH_PATTERNS: dict[str, str] = {"member_id": MEMBER_PATH_PATTERN}
"""Path parameters whose ids are not `ID_PATTERN`s."""
TEXT_PATTERN = r"^[^\x00]*$"
"""No NUL characters in text (PostgreSQL refuses them)."""


DATETIME_PATTERN = (
    r"^([1-8]\d{3}|9[0-8]\d{2}|99[0-8]\d)-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?"
    r"([Zz]|[+-]\d{2}:\d{2})$"
)
"""RFC 3339 with years 1000-9998: later instants plus a duration overflow Python's datetime."""
RFC3339 = re.compile(DATETIME_PATTERN)


def _rfc3339(value: object) -> object:
    """Only RFC 3339 date-time strings, as documented (pydantic alone also takes numbers)."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not RFC3339.match(value):
        raise ValueError(
            "use an RFC 3339 date-time with an offset (years 1000-9998), "
            "e.g. 2026-12-01T18:00:00+01:00"
        )
    try:
        return datetime.fromisoformat(value.upper())
    except ValueError:
        raise ValueError(f"{value[:40]} is not a valid date-time") from None


def _utf8(value: str) -> str:
    """Refuse lone surrogates (valid in JSON escapes, not storable as UTF-8)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from None
    return value


Utf8 = AfterValidator(_utf8)


def _to_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("datetime is out of range") from None


UtcDatetime = Annotated[
    AwareDatetime,
    BeforeValidator(_rfc3339),
    AfterValidator(_to_utc),
    Field(json_schema_extra={"pattern": DATETIME_PATTERN}),
]
Title = Annotated[
    str, Field(min_length=1, max_length=TITLE_MAX, pattern=r"^[^\x00]*\S[^\x00]*$"), Utf8
]


def _integral(value: object) -> object:
    """JSON's 30.0 is the integer 30 (JSON Schema agrees); `true` and `"30"` stay refused."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


Integral = BeforeValidator(_integral)
Duration = Annotated[int, Field(strict=True, ge=DURATION_RANGE[0], le=DURATION_RANGE[1]), Integral]
Capacity = Annotated[int, Field(strict=True, ge=CAPACITY_RANGE[0], le=CAPACITY_RANGE[1]), Integral]
Minimum = Annotated[int, Field(strict=True, ge=1, le=CAPACITY_RANGE[1]), Integral]
"""Minimum attendance: at least this many going at the decision time (`docs/fair-seats.md`)."""
DecideMinutes = Annotated[int, Field(strict=True, ge=30, le=14 * 24 * 60), Integral]
"""How many minutes before the start a minimum is decided (30 minutes to 14 days)."""
Flag = Annotated[bool, Field(strict=True)]
"""A JSON boolean: `1`, `"true"` or `"yes"` are refused."""
Description = Annotated[str, Field(max_length=DESCRIPTION_MAX, pattern=TEXT_PATTERN), Utf8]
Tag = Annotated[str, Field(max_length=TAG_MAX, pattern=TEXT_PATTERN), Utf8]
Tags = Annotated[list[Tag], Field(max_length=TAGS_MAX)]
EntityId = Annotated[str, Field(pattern=ID_PATTERN)]


class Request(BaseModel):
    """A request body or query: unknown fields are refused, field docstrings documented."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class Response(BaseModel):
    """A response body; field docstrings become descriptions in the OpenAPI document."""

    model_config = ConfigDict(use_attribute_docstrings=True)


COMMAND_FIELD_TYPES: dict[str, Any] = {
    "title": Title,
    "start_time": UtcDatetime,
    "duration_minutes": Duration,
    "capacity": Capacity,
    "unlimited": Flag,
    "recording_enabled": Flag,
    "chat_enabled": Flag,
    "visibility": Visibility,
    "event_id": EntityId,
    "description": Description,
    "tags": Tags,
    "min_going": Minimum,
    "no_minimum": Flag,
    "min_decide_minutes": DecideMinutes,
}
"""The API's strict type of each schedule/update command field (a new command field without
one fails at import, so the API never silently lacks it)."""


def command_fields(
    command: type[BaseModel], descriptions: dict[str, str] | None = None
) -> dict[str, Any]:
    """The fields of a request body that carries `command`: the command's names, defaults and
    optionality (its id fields aside, those come from the path), with the API's strict types."""
    fields: dict[str, Any] = {}
    for name, info in command.model_fields.items():
        if name == "session_id":
            continue
        api_type = COMMAND_FIELD_TYPES[name]
        if type(None) in get_args(info.annotation):
            api_type = api_type | None
        description = (descriptions or {}).get(name)
        default = (
            Field(default_factory=info.default_factory, description=description)
            if info.default_factory is not None
            else Field(default=info.default, description=description)
        )
        fields[name] = (api_type, default)
    return fields


SessionCreateBody = create_model(
    "SessionCreate",
    __base__=Request,
    **command_fields(ScheduleSession, {"capacity": "Omitted or null: unlimited."}),
)
SessionUpdateBody = create_model("SessionUpdate", __base__=Request, **command_fields(UpdateSession))


class SessionCreate(SessionCreateBody):
    """POST /api/training/sessions: the new session (its instructor is the caller)."""

    def command(self) -> ScheduleSession:
        return ScheduleSession.model_validate(self.model_dump())


class SessionUpdate(SessionUpdateBody):
    """PATCH /api/training/sessions/{session_id}: only the fields given (not null) change.

    `unlimited: true` removes the capacity limit.
    """

    def command(self, session_id: str) -> UpdateSession:
        return UpdateSession.model_validate(self.model_dump() | {"session_id": session_id})


class SessionListQuery(Request):
    """GET /api/training/sessions query: filters (AND), paging and order.

    No `status`: every status. Archived sessions are never listed.
    """

    status: list[SessionStatus] | None = None
    instructor_id: Annotated[str, Field(pattern=MEMBER_ID_PATTERN), Utf8] | None = None
    event_id: EntityId | None = None
    starts_after: UtcDatetime | None = None
    """Inclusive: start_time >= starts_after."""
    starts_before: UtcDatetime | None = None
    """Exclusive: start_time < starts_before."""
    limit: int = Field(default=20, ge=1, le=100)
    offset: int = Field(default=0, ge=0, le=1_000_000)
    sort: Literal["start_time", "-start_time"] = "start_time"
    """`start_time` ascending (soonest first) or `-start_time` descending."""


class CancelQuery(Request):
    """DELETE /api/training/sessions/{session_id} query."""

    reason: Annotated[str, Field(max_length=500, pattern=TEXT_PATTERN), Utf8] | None = None


class RoomOut(Response):
    """The video room's provider and state (its id stays private)."""

    provider: str
    state: RoomState


class SessionOut(Response):
    """A training session as the API shows it."""

    id: str
    title: str
    description: str
    event_id: str | None
    instructor_id: str
    instructor_name: str
    start_time: datetime
    end_time: datetime
    duration_minutes: int
    capacity: int | None
    recording_enabled: bool
    chat_enabled: bool
    visibility: Visibility
    tags: list[str]
    status: SessionStatus
    room: RoomOut
    started_at: datetime | None
    ended_at: datetime | None
    canceled_at: datetime | None
    canceled_by: str | None
    cancel_reason: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, session: TrainingSession) -> SessionOut:
        fields = session.model_dump(exclude={"room", "origin", "archived_at"})
        room = RoomOut(provider=session.room.provider, state=session.room.state)
        return cls(**fields, end_time=session.end_time, room=room)


class SessionDetailOut(SessionOut):
    """One session with its seat counts."""

    going_count: int
    waitlisted_count: int


class SessionPage(Response):
    """One page of sessions; `total` counts every match."""

    items: list[SessionOut]
    total: int
    limit: int
    offset: int


class CanJoinOut(Response):
    """Whether the caller may join now; `reason` and `message` say why not."""

    session_id: str
    allowed: bool
    reason: JoinRefusal | None
    opens_at: datetime | None
    message: str

    @classmethod
    def of(cls, session_id: str, decision: JoinDecision, message: str) -> CanJoinOut:
        return cls(
            session_id=session_id,
            allowed=decision.allowed,
            reason=decision.reason,
            opens_at=decision.opens_at,
            message=message,
        )


class EventOut(Response):
    """An event with its training sessions, soonest first."""

    id: str
    title: str
    description: str
    created_at: datetime
    training_sessions: list[SessionOut]


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    """Only `YYYY-MM-DD` is a day here (pydantic alone would also take `0`, a timestamp)."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("write the day as YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]
"""A day of a query's filter (`from`, `to`), written YYYY-MM-DD."""
