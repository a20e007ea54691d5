"""Runs a typed command for an actor and returns a typed outcome for the front end to render."""

from __future__ import annotations

import logging

from pydantic import Field

from core import log_context
from core.attendance_report import no_shows
from core.audit_commands import ShowAudit
from core.commands import (
    CancelSession,
    Command,
    CreateEvent,
    DropStandingRsvp,
    EndSeries,
    EndSession,
    Help,
    JoinSession,
    ListSeries,
    ListSessions,
    RsvpGoing,
    RsvpLeave,
    ScheduleSeries,
    ScheduleSession,
    SeriesCommand,
    ShowAttendance,
    ShowEvent,
    ShowSeries,
    ShowSession,
    SkipDay,
    StandRsvp,
    StartRecording,
    StartSession,
    StopRecording,
    UpdateSeries,
    UpdateSession,
)
from core.export_commands import ExportAttendance
from core.feed_commands import CalendarFeedLink, RevokeCalendarFeed
from core.grammar import help_text
from core.i18n import TextField, t
from core.ledger_commands import MarkAbsent, ShowTrainingLog
from core.member_commands import (
    ConfirmForget,
    IssueLinkCode,
    LinkAccount,
    RequestForget,
    SetReminders,
    ShowProfile,
    ShowReminders,
    UnlinkAccount,
)
from core.member_outcomes import MemberOutcome, run_member_command
from core.min_attendance_commands import KeepSession
from core.min_attendance_run import run_min_attendance_command
from core.model import (
    Attendance,
    Event,
    Member,
    Model,
    Origin,
    RoomLink,
    RsvpChange,
    RsvpStatus,
    TrainingSession,
)
from core.no_show_commands import AppealMark, MarkPresent, ShowRecord, WaiveMark
from core.no_show_run import restricted_reply, run_no_show_command
from core.offer_commands import ClaimSeat, PassSeat, SetSeatNotice
from core.offer_outcomes import run_offer_command
from core.page_pass import PageKind
from core.rank_commands import FixPromotion, RecordPromotion, RemovePromotion, ShowProgress
from core.rank_run import run_rank_command
from core.reply_outcome import ReplyOutcome
from core.rules import RECORDING_NEEDS_REALTIMEKIT
from core.series import Series
from core.service import SessionService
from core.substitute_commands import NeedSub, TakeSub
from core.training_ledger import Verdict
from core.training_page_commands import ClassPage, OverviewPage, TrainingPage
from core.views import SeriesDetail, SeriesPlan, SessionView

log = logging.getLogger(__name__)


class SessionOutcome(Model):
    """A session after `action` (scheduled, updated, canceled, started, ended, shown)."""

    action: str
    view: SessionView
    notes: list[TextField] = Field(default_factory=list)
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
    text: TextField


class SeriesPlanOutcome(Model):
    """A weekly class just created: its next classes, how many, DST notes."""

    action: str
    plan: SeriesPlan


class SeriesOutcome(Model):
    """A weekly class after `action` (shown, updated, every_week, not_every_week, skipped,
    ended), with what the member should know about it."""

    action: str
    detail: SeriesDetail
    notes: list[TextField] = Field(default_factory=list)


class SeriesListOutcome(Model):
    series: list[Series]


Outcome = (
    SessionOutcome
    | SessionListOutcome
    | RsvpOutcome
    | JoinOutcome
    | AttendanceOutcome
    | EventOutcome
    | HelpOutcome
    | SeriesPlanOutcome
    | SeriesOutcome
    | SeriesListOutcome
    | MemberOutcome
    | ReplyOutcome
)


class CommandExecutor:
    """Maps each command of the shared grammar onto the session service."""

    def __init__(self, service: SessionService) -> None:
        self.service = service

    async def execute(self, actor: Member, command: Command, origin: Origin | None) -> Outcome:
        """Run `command` as `actor`; `origin` is where it was typed (for announcements).
        Log lines from here on carry the session's id (core/log_context.py)."""
        service = self.service
        session_id = getattr(command, "session_id", None)
        if isinstance(session_id, str):
            log_context.set_session_id(session_id)
        log.debug("running %s", type(command).__name__)
        match command:
            case ScheduleSession():
                session = await service.schedule(actor, command, origin)
                log_context.set_session_id(session.id)
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
                restricted = await restricted_reply(service, actor, change)
                if restricted is not None:
                    return restricted
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
            case ShowRecord() | AppealMark() | WaiveMark() | MarkPresent():
                return await run_no_show_command(service, actor, command)
            case ShowAudit():
                return await service.audit_page(actor, command)
            case ShowProgress() | RecordPromotion() | FixPromotion() | RemovePromotion():
                return await run_rank_command(service, actor, command)
            case CalendarFeedLink():
                return await service.calendar_feed(actor)
            case RevokeCalendarFeed():
                return await service.revoke_calendar_feed(actor)
            case MarkAbsent():
                return await service.set_attendance(
                    actor, command.session_id, command.member_id, Verdict.ABSENT
                )
            case ShowTrainingLog():
                return await service.training_log(actor, command.member_id)
            case ExportAttendance():
                return await service.send_attendance_export(actor, command)
            case TrainingPage():
                return await service.page_link(actor, PageKind.MEMBER, command.member_id)
            case ClassPage():
                return await service.page_link(actor, PageKind.CLASS, command.class_id)
            case OverviewPage():
                return await service.page_link(actor, PageKind.OVERVIEW, None)
            case NeedSub():
                return await service.need_sub(actor, command.session_id)
            case TakeSub():
                return await service.take_sub(actor, command.session_id)
            case (
                ScheduleSeries()
                | UpdateSeries()
                | ListSeries()
                | ShowSeries()
                | StandRsvp()
                | DropStandingRsvp()
                | SkipDay()
                | EndSeries()
            ):
                return await self._series(actor, command, origin)
            case (
                ShowProfile()
                | ShowReminders()
                | SetReminders()
                | IssueLinkCode()
                | LinkAccount()
                | UnlinkAccount()
                | RequestForget()
                | ConfirmForget()
            ):
                return await run_member_command(service, actor, command)
            case KeepSession():
                return await run_min_attendance_command(service, actor, command)
            case ClaimSeat() | PassSeat() | SetSeatNotice():
                return await run_offer_command(service, actor, command)
        raise AssertionError(f"unhandled command {command!r}")  # pragma: no cover

    async def _series(
        self, actor: Member, command: SeriesCommand, origin: Origin | None
    ) -> SeriesPlanOutcome | SeriesOutcome | SeriesListOutcome:
        service = self.service
        notes: list[str] = []
        match command:
            case ScheduleSeries():
                plan = await service.schedule_series(actor, command, origin)
                return SeriesPlanOutcome(action="scheduled", plan=plan)
            case ListSeries():
                return SeriesListOutcome(series=await service.list_series(actor))
            case UpdateSeries():
                series_id = (await service.update_series(actor, command)).id
                action = "updated"
            case StandRsvp():
                changes = await service.stand(actor, command.series_id)
                waitlisted = RsvpStatus.WAITLISTED
                waiting = sum(1 for c in changes if c.rsvp and c.rsvp.status is waitlisted)
                if waiting:
                    notes.append(
                        t(
                            "Full on {count} of the listed classes: you are waitlisted.",
                            count=waiting,
                        )
                    )
                series_id, action = command.series_id, "every_week"
            case DropStandingRsvp():
                if not await service.drop_standing(actor, command.series_id):
                    notes.append(t("You were not going every week."))
                series_id, action = command.series_id, "not_every_week"
            case SkipDay():
                canceled = await service.skip_day(actor, command)
                if canceled is not None:
                    notes.append(
                        t("Class {id} is canceled; members going were told.", id=canceled.id)
                    )
                series_id, action = command.series_id, "skipped"
            case EndSeries():
                canceled_all = await service.end_series(actor, command)
                notes.append(t("{count} coming classes canceled.", count=len(canceled_all)))
                series_id, action = command.series_id, "ended"
            case ShowSeries():
                series_id, action = command.series_id, "shown"
        detail = await service.series_detail(actor, series_id)
        return SeriesOutcome(action=action, detail=detail, notes=notes)

    async def _session(self, action: str, session_id: str) -> SessionOutcome:
        return SessionOutcome(action=action, view=await self.service.view(session_id))

    async def _attendance(self, actor: Member, session_id: str) -> AttendanceOutcome:
        rows = await self.service.attendance(actor, session_id)
        view = await self.service.view(session_id)
        absent = no_shows(rows, view.going)
        return AttendanceOutcome(session=view.session, attendance=rows, no_shows=absent)
