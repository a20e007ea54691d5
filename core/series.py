"""Weekly classes: a series, its standing RSVPs and skipped days, and its occurrences.

An occurrence is an ordinary `TrainingSession` (room, reminders, RSVPs, capacity, join
window, attendance and summary all apply unchanged) whose id is derived from the series and
its local day, so materialising the same day twice, in two processes or after a restart,
finds the id taken instead of adding a second session.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from pydantic import Field

from core.model import Model, Origin, TrainingSession, Visibility
from core.recurrence import Placement, WeeklyRule

MATERIALISE_AHEAD = timedelta(weeks=4)
"""How far ahead the clock keeps a series' occurrences as sessions (the rolling window)."""


class SeriesStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class Series(Model):
    """One segment of a weekly class: what every occurrence is, and when they meet, from
    `rule.first_day` to `rule.until`."""

    id: str
    """This segment's own id."""
    root_id: str
    """The timetable's id, the one members and instructors type: the id of its first
    segment. A change "from this day on" ends a segment and starts another with the same
    `root_id`, so occurrences (`occurrence_id(root_id, day)`, `series_id` = root),
    standing RSVPs and skipped days belong to the timetable, never to one segment."""
    title: str
    description: str = ""
    event_id: str | None = None
    instructor_id: str
    instructor_name: str
    rule: WeeklyRule
    duration_minutes: int
    capacity: int | None = None
    recording_enabled: bool = False
    chat_enabled: bool = True
    visibility: Visibility = Visibility.MEMBERS_ONLY
    tags: list[str] = Field(default_factory=list)
    origin: Origin | None = None
    status: SeriesStatus = SeriesStatus.ACTIVE
    sequence: int = Field(default=0, ge=0)
    """Bumped on every change of the timetable (calendars' SEQUENCE)."""
    materialised_until: datetime | None = None
    """Every occurrence starting up to here exists as a session (UTC)."""
    created_at: datetime
    updated_at: datetime


class StandingRsvp(Model):
    """A member going to every occurrence of a weekly class, in the order they said so."""

    series_id: str
    """The timetable's `root_id`."""
    member_id: str
    member_name: str
    created_at: datetime


class SeriesSkip(Model):
    """A day the weekly class doesn't meet (a holiday), with the reason members are told."""

    series_id: str
    """The timetable's `root_id`."""
    day: date
    reason: str = ""
    created_at: datetime


def occurrence_id(root_id: str, day: date) -> str:
    """The session id of a timetable's meeting on local `day` (the same every time)."""
    return f"{root_id}-{day:%Y%m%d}"


def occurrence(series: Series, placement: Placement, now: datetime) -> TrainingSession:
    """The session of one meeting, as the series describes it."""
    return TrainingSession(
        id=occurrence_id(series.root_id, placement.day),
        title=series.title,
        description=series.description,
        event_id=series.event_id,
        instructor_id=series.instructor_id,
        instructor_name=series.instructor_name,
        start_time=placement.start,
        duration_minutes=series.duration_minutes,
        capacity=series.capacity,
        recording_enabled=series.recording_enabled,
        chat_enabled=series.chat_enabled,
        visibility=series.visibility,
        tags=list(series.tags),
        origin=series.origin,
        series_id=series.root_id,
        created_at=now,
        updated_at=now,
    )
