"""The command grammar shared by every front end: typed commands, and text → command.

Front ends with structured input (Slack modals, Discord options) build these models directly;
text front ends (the terminal, Slack's slash-command text) call `core.grammar.parse_command`.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from pydantic import Field

from core.audit_commands import AuditCommand
from core.export_commands import ExportCommand
from core.feed_commands import FeedCommand
from core.ledger_commands import LedgerCommand
from core.member_commands import MemberCommand
from core.min_attendance_commands import MinAttendanceCommand
from core.model import Model, SessionStatus, Visibility
from core.no_show_commands import NoShowCommand
from core.offer_commands import OfferCommand
from core.rank_commands import RankCommand
from core.substitute_commands import SubstituteCommand
from core.training_page_commands import TrainingPageCommand


class ScheduleSession(Model):
    title: str
    start_time: datetime
    duration_minutes: int = 60
    capacity: int | None = None
    """None: unlimited."""
    recording_enabled: bool = False
    chat_enabled: bool = True
    visibility: Visibility = Visibility.MEMBERS_ONLY
    event_id: str | None = None
    description: str = ""
    tags: list[str] = Field(default_factory=list)
    min_going: int | None = None
    """Minimum attendance (`min 5`); None: no minimum."""
    min_decide_minutes: int | None = None
    """Decided this long before the start (`decide 3h`); None: the association's default."""


class UpdateSession(Model):
    """Only the fields given (not None) change. `unlimited` removes the capacity limit."""

    session_id: str
    title: str | None = None
    start_time: datetime | None = None
    duration_minutes: int | None = None
    capacity: int | None = None
    unlimited: bool = False
    recording_enabled: bool | None = None
    chat_enabled: bool | None = None
    visibility: Visibility | None = None
    event_id: str | None = None
    description: str | None = None
    tags: list[str] | None = None
    min_going: int | None = None
    no_minimum: bool = False
    """`nomin`: the session no longer has a minimum."""
    min_decide_minutes: int | None = None


class ListSessions(Model):
    status: list[SessionStatus] | None = None
    """None: scheduled and live."""
    mine: bool = False
    event_id: str | None = None


class ShowSession(Model):
    session_id: str


class CancelSession(Model):
    session_id: str
    reason: str | None = None


class StartSession(Model):
    session_id: str


class EndSession(Model):
    session_id: str


class JoinSession(Model):
    session_id: str


class StartRecording(Model):
    session_id: str


class StopRecording(Model):
    session_id: str


class RsvpGoing(Model):
    session_id: str


class RsvpLeave(Model):
    session_id: str


class ShowAttendance(Model):
    session_id: str


class CreateEvent(Model):
    title: str
    description: str = ""


class ShowEvent(Model):
    event_id: str


class Help(Model):
    topic: str | None = None


class ScheduleSeries(Model):
    """A weekly class: on `weekdays` (Monday 0) at `local_time` in `timezone` (None: the
    instructor's zone), from `first_day` (None: today there) until `until` (inclusive) or
    for `weeks` weeks (neither: as far as the two-year horizon)."""

    title: str
    weekdays: list[int]
    local_time: time
    timezone: str | None = None
    first_day: date | None = None
    until: date | None = None
    weeks: int | None = None
    interval_weeks: int = 1
    duration_minutes: int = 60
    capacity: int | None = None
    recording_enabled: bool = False
    chat_enabled: bool = True
    visibility: Visibility = Visibility.MEMBERS_ONLY
    event_id: str | None = None
    description: str = ""
    tags: list[str] = Field(default_factory=list)


class SeriesScope(StrEnum):
    """Which occurrences a change of a series applies to."""

    ALL = "all"
    """Every occurrence still to come."""
    FOLLOWING = "following"
    """The one on `from_day` and the ones after it (the series splits there)."""


class UpdateSeries(Model):
    """Only the fields given change; `unlimited` removes the capacity limit."""

    series_id: str
    scope: SeriesScope = SeriesScope.ALL
    from_day: date | None = None
    """With FOLLOWING: the first local day the change applies to."""
    title: str | None = None
    local_time: time | None = None
    weekdays: list[int] | None = None
    duration_minutes: int | None = None
    capacity: int | None = None
    unlimited: bool = False
    description: str | None = None


class ShowSeries(Model):
    series_id: str


class ListSeries(Model):
    pass


class StandRsvp(Model):
    """Going to every occurrence ("every week")."""

    series_id: str


class DropStandingRsvp(Model):
    series_id: str


class SkipDay(Model):
    """The series doesn't meet on `day` (a holiday); going members are told why."""

    series_id: str
    day: date
    reason: str = ""


class EndSeries(Model):
    """Cancel the rest of a series."""

    series_id: str
    reason: str = ""


SeriesCommand = (
    ScheduleSeries
    | UpdateSeries
    | ListSeries
    | ShowSeries
    | StandRsvp
    | DropStandingRsvp
    | SkipDay
    | EndSeries
)
"""The weekly-class commands."""

Command = (
    ScheduleSession
    | UpdateSession
    | ListSessions
    | ShowSession
    | CancelSession
    | StartSession
    | EndSession
    | JoinSession
    | StartRecording
    | StopRecording
    | RsvpGoing
    | RsvpLeave
    | ShowAttendance
    | CreateEvent
    | ShowEvent
    | Help
    | SeriesCommand
    | MemberCommand
    | SubstituteCommand
    | MinAttendanceCommand
    | OfferCommand
    | NoShowCommand
    | AuditCommand
    | RankCommand
    | TrainingPageCommand
    | ExportCommand
    | LedgerCommand
    | FeedCommand
)
