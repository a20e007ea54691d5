"""Runs a typed command for an actor and returns a typed outcome for the front end to render."""

from __future__ import annotations

from pydantic import Field

from core.attendance_report import no_shows
from core.commands import (
    CancelSession,
    Command,
    CreateEvent,
    EndSession,
    Help,
    JoinSession,
    ListSessions,
    RsvpGoing,
    RsvpLeave,
    ScheduleSession,
    ShowAttendance,
    ShowEvent,
    ShowSession,
    StartRecording,
    StartSession,
    StopRecording,
    UpdateSession,
)
from core.grammar import help_text
from core.model import (
    Attendance,
    Event,
    Member,
    Model,
    Origin,
    RoomLink,
    RsvpChange,
    TrainingSession,
)
from core.rules import RECORDING_NEEDS_REALTIMEKIT
from core.service import SessionService
from core.views import SessionView


class SessionOutcome(Model):
    """A session after `action` (scheduled, updated, canceled, started, ended, shown)."""

    action: str
    view: SessionView
    notes: list[str] = Field(default_factory=list)
    """Things the member should know about what was done (e.g. no recording possible)."""


class SessionListOutcome(Model):
    sessions: list[TrainingSession]


class RsvpOutcome(Model):
    change: RsvpChange
    view: SessionView


class JoinOutcome(Model):
    session: TrainingSession
    link: RoomLink


class AttendanceOutcome(Model):
    session: TrainingSession
    attendance: list[Attendance]
    no_shows: list[str]


class EventOutcome(Model):
    action: str
    event: Event
    sessions: list[TrainingSession]


class HelpOutcome(Model):
    text: str


Outcome = (
    SessionOutcome
    | SessionListOutcome
    | RsvpOutcome
    | JoinOutcome
    | AttendanceOutcome
    | EventOutcome
    | HelpOutcome
)


class CommandExecutor:
    """Maps each command of the shared grammar onto the session service."""

    def __init__(self, service: SessionService) -> None:
        self.service = service

    async def execute(self, actor: Member, command: Command, origin: Origin | None) -> Outcome:
        """Run `command` as `actor`; `origin` is where it was typed (for announcements)."""
        service = self.service
        match command:
            case ScheduleSession():
                session = await service.schedule(actor, command, origin)
                scheduled = await self._session("scheduled", session.id)
                if command.recording_enabled and not session.recording_enabled:
                    scheduled.notes.append(RECORDING_NEEDS_REALTIMEKIT)
                return scheduled
            case UpdateSession():
                await service.update(actor, command)
                return await self._session("updated", command.session_id)
            case CancelSession():
                await service.cancel(actor, command.session_id, command.reason)
                return await self._session("canceled", command.session_id)
            case StartSession():
                await service.start(actor, command.session_id)
                return await self._session("started", command.session_id)
            case EndSession():
                await service.end(actor, command.session_id)
                return await self._session("ended", command.session_id)
            case ShowSession():
                return await self._session("shown", command.session_id)
            case ListSessions():
                return SessionListOutcome(sessions=await service.list_sessions(actor, command))
            case RsvpGoing():
                change = await service.rsvp(actor, command.session_id)
                return RsvpOutcome(change=change, view=await service.view(command.session_id))
            case RsvpLeave():
                change = await service.unrsvp(actor, command.session_id)
                return RsvpOutcome(change=change, view=await service.view(command.session_id))
            case JoinSession():
                link = await service.join(actor, command.session_id)
                return JoinOutcome(session=await service.get(command.session_id), link=link)
            case StartRecording():
                await service.record(actor, command.session_id, on=True)
                return await self._session("recording started for", command.session_id)
            case StopRecording():
                await service.record(actor, command.session_id, on=False)
                return await self._session("recording stopped for", command.session_id)
            case ShowAttendance():
                return await self._attendance(actor, command.session_id)
            case CreateEvent():
                event = await service.create_event(actor, command)
                return EventOutcome(action="created", event=event, sessions=[])
            case ShowEvent():
                event, sessions = await service.event_detail(command.event_id)
                return EventOutcome(action="shown", event=event, sessions=sessions)
            case Help():
                return HelpOutcome(text=help_text(command.topic))
        raise AssertionError(f"unhandled command {command!r}")  # pragma: no cover

    async def _session(self, action: str, session_id: str) -> SessionOutcome:
        return SessionOutcome(action=action, view=await self.service.view(session_id))

    async def _attendance(self, actor: Member, session_id: str) -> AttendanceOutcome:
        rows = await self.service.attendance(actor, session_id)
        view = await self.service.view(session_id)
        absent = no_shows(rows, view.going)
        return AttendanceOutcome(session=view.session, attendance=rows, no_shows=absent)
