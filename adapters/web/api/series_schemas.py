"""Request and response bodies of the weekly-class operations (/api/training/series…).

Request bodies carry the fields of core's `ScheduleSeries` / `UpdateSeries` with the API's
strict types (a new command field without one fails at import). One JSON form each:
weekdays are names (`["mon", "wed"]`), a time of day is `"HH:MM"` (24-hour, wall-clock in
the series' zone) and a day is `"YYYY-MM-DD"`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema, create_model

from adapters.web.api.schemas import (
    COMMAND_FIELD_TYPES,
    TEXT_PATTERN,
    Integral,
    Request,
    Response,
    SessionOut,
    Utf8,
)
from core.commands import ScheduleSeries, SeriesScope, UpdateSeries
from core.model import RsvpChange, RsvpStatus, Visibility
from core.recurrence import MAX_INTERVAL_WEEKS, MAX_WEEKS, WEEKDAYS, Placement, WeeklyRule
from core.series import Series, SeriesSkip, SeriesStatus
from core.views import SeriesDetail, SeriesPlan

DAY_PATTERN = r"^([1-8]\d{3}|9[0-8]\d{2}|99[0-8]\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
"""YYYY-MM-DD with years 1000-9998 (a later day plus weeks overflows Python's date)."""
TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
_DAY = re.compile(DAY_PATTERN)
_TIME = re.compile(TIME_PATTERN)

WeekdayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
if get_args(WeekdayName) != WEEKDAYS:  # pragma: no cover - core renamed its weekdays
    raise RuntimeError("WeekdayName must list core.recurrence.WEEKDAYS in order")


def _day(value: object) -> object:
    """Only "YYYY-MM-DD" strings (pydantic alone also takes numbers); a day that does not
    exist in the calendar (2027-02-30) is refused with the day's own message."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DAY.match(value):
        raise ValueError("use a day as YYYY-MM-DD (years 1000-9998), e.g. 2027-06-30")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a day of the calendar") from None


def _time(value: object) -> object:
    if isinstance(value, time):
        return value
    if not isinstance(value, str) or not _TIME.match(value):
        raise ValueError('use a 24-hour time of day as "HH:MM", e.g. "17:30"')
    return time.fromisoformat(value)


Day = Annotated[
    date,
    BeforeValidator(_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_PATTERN}),
]
LocalTime = Annotated[
    time,
    BeforeValidator(_time),
    WithJsonSchema({"type": "string", "pattern": TIME_PATTERN, "examples": ["17:30"]}),
]
Weekdays = Annotated[list[WeekdayName], Field(min_length=1, max_length=7)]
Zone = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_+/-]+$"), Utf8]
IntervalWeeks = Annotated[int, Field(strict=True, ge=1, le=MAX_INTERVAL_WEEKS), Integral]
WeekCount = Annotated[int, Field(strict=True, ge=1, le=MAX_WEEKS), Integral]
Reason = Annotated[str, Field(max_length=500, pattern=TEXT_PATTERN), Utf8]

SERIES_FIELD_TYPES: dict[str, Any] = COMMAND_FIELD_TYPES | {
    "weekdays": Weekdays,
    "local_time": LocalTime,
    "timezone": Zone,
    "first_day": Day,
    "until": Day,
    "weeks": WeekCount,
    "interval_weeks": IntervalWeeks,
    "scope": SeriesScope,
    "from_day": Day,
}
"""The API's strict type of each series command field."""

DESCRIPTIONS = {
    "weekdays": 'The days it meets, e.g. ["mon", "wed"].',
    "local_time": 'Wall-clock start in `timezone`, "HH:MM" (stays so across DST changes).',
    "timezone": "IANA zone, e.g. Europe/Berlin. Omitted: the caller's zone (token claim tz).",
    "first_day": "Omitted: today in the series' zone.",
    "until": "The last day it may meet (inclusive). Give `until` or `weeks`, not both; "
    "neither: as far as the two-year horizon.",
    "weeks": "How many weeks it runs from `first_day`.",
    "interval_weeks": "1: every week, 2: every other week…",
    "capacity": "Omitted or null: unlimited.",
    "scope": "`all`: every class from today; `following`: from `from_day` on (the "
    "series splits there).",
    "from_day": "With scope `following`: the first class day the change applies to.",
    "unlimited": "true removes the capacity limit.",
}


def series_fields(command: type[BaseModel], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields of a body carrying `command` (names, defaults, optionality), with the
    API's strict types; `skip` names fields taken from the path."""
    fields: dict[str, Any] = {}
    for name, info in command.model_fields.items():
        if name in skip:
            continue
        api_type = SERIES_FIELD_TYPES[name]
        if type(None) in get_args(info.annotation):
            api_type = api_type | None
        default = (
            Field(default_factory=info.default_factory, description=DESCRIPTIONS.get(name))
            if info.default_factory is not None
            else Field(default=info.default, description=DESCRIPTIONS.get(name))
        )
        fields[name] = (api_type, default)
    return fields


def _numbers(data: dict[str, Any]) -> dict[str, Any]:
    """Weekday names as core's numbers (Monday 0)."""
    if data.get("weekdays") is not None:
        data["weekdays"] = [WEEKDAYS.index(name) for name in data["weekdays"]]
    return data


SeriesCreateBody = create_model("SeriesCreate", __base__=Request, **series_fields(ScheduleSeries))
SeriesUpdateBody = create_model(
    "SeriesUpdate", __base__=Request, **series_fields(UpdateSeries, skip=("series_id",))
)


class SeriesCreate(SeriesCreateBody):
    """POST /api/training/series (and /api/training/series-preview): a weekly class; its
    instructor is the caller."""

    def command(self) -> ScheduleSeries:
        return ScheduleSeries.model_validate(_numbers(self.model_dump()))


class SeriesUpdate(SeriesUpdateBody):
    """PATCH /api/training/series/{series_id}: only the fields given (not null) change."""

    def command(self, series_id: str) -> UpdateSeries:
        data = _numbers(self.model_dump()) | {"series_id": series_id}
        return UpdateSeries.model_validate(data)


class SkipCreate(Request):
    """POST /api/training/series/{series_id}/skips: the class doesn't meet that day."""

    day: Day
    """A day the class meets (local date in the series' zone)."""
    reason: Reason = ""
    """Told to the members going, e.g. "Public holiday"."""


class EndQuery(Request):
    """DELETE /api/training/series/{series_id} query."""

    reason: Reason | None = None


def weekday_names(rule: WeeklyRule) -> list[WeekdayName]:
    return [get_args(WeekdayName)[day] for day in sorted(rule.weekdays)]


class SegmentOut(Response):
    """One stretch of the timetable (a change "from a day on" starts a new one)."""

    id: str
    title: str
    weekdays: list[WeekdayName]
    local_time: str
    """HH:MM in `timezone`."""
    timezone: str
    first_day: date
    until: date
    interval_weeks: int
    duration_minutes: int
    capacity: int | None
    status: SeriesStatus
    sequence: int

    @classmethod
    def of(cls, segment: Series) -> SegmentOut:
        rule = segment.rule
        return cls(
            id=segment.id,
            title=segment.title,
            weekdays=weekday_names(rule),
            local_time=rule.local_time.strftime("%H:%M"),
            timezone=rule.timezone,
            first_day=rule.first_day,
            until=rule.until,
            interval_weeks=rule.interval_weeks,
            duration_minutes=segment.duration_minutes,
            capacity=segment.capacity,
            status=segment.status,
            sequence=segment.sequence,
        )


class SeriesOut(SegmentOut):
    """A weekly class as it stands now. `id` is the class's id (the one paths take);
    `segment_id` the current stretch of its timetable."""

    segment_id: str
    description: str
    event_id: str | None
    instructor_id: str
    instructor_name: str
    recording_enabled: bool
    chat_enabled: bool
    visibility: Visibility
    tags: list[str]
    calendar_path: str
    """The series' calendar file (RFC 5545, RRULE), relative to the server's base URL."""
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, segment: Series) -> SeriesOut:
        base = SegmentOut.of(segment).model_dump()
        return cls(
            **base
            | {
                "id": segment.root_id,
                "segment_id": segment.id,
                "description": segment.description,
                "event_id": segment.event_id,
                "instructor_id": segment.instructor_id,
                "instructor_name": segment.instructor_name,
                "recording_enabled": segment.recording_enabled,
                "chat_enabled": segment.chat_enabled,
                "visibility": segment.visibility,
                "tags": list(segment.tags),
                "calendar_path": f"/series/{segment.root_id}.ics",
                "created_at": segment.created_at,
                "updated_at": segment.updated_at,
            }
        )


class OccurrenceOut(Response):
    """One class of a plan: its local day, UTC start, and what DST did to it."""

    day: date
    start_time: datetime
    """UTC."""
    local_start: str
    """The wall-clock start in the series' zone, ISO 8601 with its offset."""
    shifted: bool
    """The time doesn't exist that day (clocks go forward): moved to the first valid time."""
    ambiguous: bool
    """The time exists twice that day (clocks go back): the first is taken."""

    @classmethod
    def of(cls, placement: Placement) -> OccurrenceOut:
        return cls(
            day=placement.day,
            start_time=placement.start,
            local_start=placement.local_start.isoformat(),
            shifted=placement.shifted,
            ambiguous=placement.ambiguous,
        )


class SeriesPlanOut(Response):
    """A weekly class as created or previewed: its next classes, how many in all, and the
    DST notes to read before creating it."""

    series: SeriesOut
    upcoming: list[OccurrenceOut]
    notes: list[str]
    total: int

    @classmethod
    def of(cls, plan: SeriesPlan) -> SeriesPlanOut:
        return cls(
            series=SeriesOut.of(plan.series),
            upcoming=[OccurrenceOut.of(p) for p in plan.upcoming],
            notes=list(plan.notes),
            total=plan.total,
        )


class SkipOut(Response):
    """A day the class doesn't meet, and why."""

    day: date
    reason: str
    created_at: datetime

    @classmethod
    def of(cls, skip: SeriesSkip) -> SkipOut:
        return cls(day=skip.day, reason=skip.reason, created_at=skip.created_at)


class SeriesDetailOut(Response):
    """A weekly class with its running segments, listed classes to come, skipped days and
    standing RSVPs (how many, and whether the caller has one)."""

    series: SeriesOut
    segments: list[SegmentOut]
    upcoming: list[SessionOut]
    skips: list[SkipOut]
    standing_count: int
    standing: bool

    @classmethod
    def of(cls, detail: SeriesDetail) -> SeriesDetailOut:
        return cls(
            series=SeriesOut.of(detail.series),
            segments=[SegmentOut.of(s) for s in detail.segments],
            upcoming=[SessionOut.of(s) for s in detail.upcoming],
            skips=[SkipOut.of(s) for s in detail.skips],
            standing_count=detail.standing_count,
            standing=detail.standing,
        )


class SeriesList(Response):
    """The weekly classes still running that the caller may see, oldest first."""

    items: list[SeriesOut]


class SkipResult(Response):
    """The skipped day, and its class if it was listed (now canceled, members told)."""

    skip: SkipOut
    canceled: SessionOut | None


class EndResult(Response):
    """The ended class and the listed classes canceled with it."""

    series: SeriesOut
    canceled: list[SessionOut]


class RsvpOut(Response):
    """What a standing RSVP did to one listed class."""

    session_id: str
    status: RsvpStatus


class StandingOut(Response):
    """The caller's standing RSVP ("every week") to a weekly class."""

    series_id: str
    standing: bool
    changed: bool
    """PUT: always true (the RSVPs below were made). DELETE: false when there was none."""
    rsvps: list[RsvpOut]
    """PUT: the caller's RSVP to each class listed now (going or waitlisted)."""

    @classmethod
    def made(cls, series_id: str, changes: list[RsvpChange]) -> StandingOut:
        rsvps = [
            RsvpOut(session_id=c.rsvp.session_id, status=c.rsvp.status)
            for c in changes
            if c.rsvp is not None
        ]
        return cls(series_id=series_id, standing=True, changed=True, rsvps=rsvps)
