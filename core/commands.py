"""The command grammar shared by every front end: typed commands, and text → command.

Front ends with structured input (Slack modals, Discord options) build these models directly;
text front ends (the terminal, Slack's slash-command text) call `core.grammar.parse_command`.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from core.model import Model, SessionStatus, Visibility


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
)
