"""SessionService: every use case of a training session, for every front end."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from core import messages
from core.attendance import summarize_attendance
from core.attendance_report import absent_rsvps, attendance_lines
from core.audit import AuditAction, AuditRules
from core.audit_use_cases import AuditUseCases, scheduled_fields
from core.audit_values import json_value
from core.clock import Clock
from core.commands import CreateEvent, ListSessions, ScheduleSession, UpdateSession
from core.errors import (
    DojoError,
    InvalidInput,
    InvalidState,
    NotFound,
    Step,
)
from core.export_use_cases import ExportUseCases
from core.feed_use_cases import FeedUseCases
from core.i18n import t, tn
from core.ids import new_id
from core.joining import refusal_error
from core.ledger_use_cases import LedgerUseCases
from core.member_merge import forgotten_stay
from core.member_use_cases import MemberUseCases
from core.min_attendance import MinAttendanceRules, check_decide, check_minimum
from core.min_attendance_use_cases import SYSTEM_ACTOR, MinAttendanceUseCases
from core.model import (
    Attendance,
    Event,
    Member,
    Origin,
    RoomLink,
    RoomState,
    Rsvp,
    RsvpChange,
    RsvpStatus,
    SessionFilter,
    SessionStatus,
    TrainingSession,
    Visibility,
)
from core.no_show_policy import NoShowRules
from core.no_show_use_cases import NoShowUseCases
from core.notifier import Notifier
from core.offer_use_cases import OfferUseCases
from core.offers import OfferRules
from core.permissions import (
    Action,
    can_see,
    require,
    require_instructor,
    require_owner_or_admin,
    require_visibility,
)
from core.ports import (
    ChatDelivery,
    FeedLinks,
    JoinLinks,
    PageLinks,
    SessionStore,
    VideoRooms,
)
from core.rank_use_cases import RankUseCases
from core.ranks import RankLadder
from core.reminder_planner import ReminderPlanner
from core.reminder_preferences import ReminderDefaults
from core.room_keeper import RoomKeeper
from core.rules import (
    AUTO_END_GRACE,
    DURATION_RANGE,
    FINISHED,
    RECORDING_NEEDS_REALTIMEKIT,
    JoinDecision,
    check_capacity,
    check_description,
    check_duration,
    check_start,
    check_tags,
    check_title,
    check_updatable,
    decide_join,
    is_not_held,
    is_overdue,
    overdue_at,
    recording_granted,
)
from core.series import MATERIALISE_AHEAD
from core.series_keeper import CARD_AHEAD, SeriesKeeper
from core.series_use_cases import SeriesUseCases
from core.status_words import status_text
from core.substitute_use_cases import SubstituteUseCases
from core.substitutes import SubstituteRules
from core.telemetry import NO_TELEMETRY, RsvpOutcome, Telemetry, rsvp_outcome
from core.training_ledger import TrainingRules
from core.training_page_use_cases import TrainingPageUseCases, class_page_buttons
from core.views import SessionView

log = logging.getLogger(__name__)

ROOM_RETRY_WINDOW = timedelta(hours=2)
"""The clock retries a missing room from this long before start."""
ROOM_RETRY_EVERY = timedelta(minutes=10)
ARCHIVE_AFTER = timedelta(days=7)
RECORDING_ONCE = timedelta(days=30)
"""How long a posted recording link is remembered (far past any redelivery)."""


class SessionService(
    SeriesUseCases,
    MemberUseCases,
    NoShowUseCases,
    OfferUseCases,
    MinAttendanceUseCases,
    SubstituteUseCases,
    AuditUseCases,
    TrainingPageUseCases,
    ExportUseCases,
    RankUseCases,
    FeedUseCases,
    LedgerUseCases,  # keep last: its stand-ins for other mixins' helpers come after theirs
):
    """Schedules, changes, runs and ends training sessions and weekly classes, enforcing
    every rule: the one door into the core."""

    def __init__(
        self,
        store: SessionStore,
        rooms: VideoRooms,
        chat: ChatDelivery,
        clock: Clock,
        id_factory: Callable[[], str] = new_id,
        join_links: JoinLinks | None = None,
        timing_listener: Callable[[], Awaitable[None]] | None = None,
        telemetry: Telemetry = NO_TELEMETRY,
        series_ahead: timedelta = MATERIALISE_AHEAD,
        card_ahead: timedelta = CARD_AHEAD,
        reminder_defaults: ReminderDefaults | None = None,
        offer_rules: OfferRules | None = None,
        min_attendance: MinAttendanceRules | None = None,
        substitute_rules: SubstituteRules | None = None,
        no_show_rules: NoShowRules | None = None,
        training_rules: TrainingRules | None = None,
        rank_ladder: RankLadder | None = None,
        audit_rules: AuditRules | None = None,
        page_links: PageLinks | None = None,
        association_timezone: str = "UTC",
        feed_links: FeedLinks | None = None,
    ) -> None:
        """Every collaborator is given here by the composition root and never replaced.

        `join_links` (when given and available) makes `join` hand out links to our join page
        instead of room links; `timing_listener` hears of every change that can move the next
        wake-up (the alarm re-plans); `telemetry` hears what RSVPs did (metrics);
        `series_ahead` is how far ahead weekly classes' occurrences are listed, `card_ahead`
        how long before an occurrence its card is posted; `reminder_defaults` are the
        association's reminder choices (which custom kinds the channel needs planned);
        `offer_rules` the waitlist-offer settings (default: off, freed seats promote at once);
        `min_attendance` the minimum-attendance settings (only sessions with `min N` use them);
        `substitute_rules` who may substitute and the request's timing (`/need-sub`);
        `no_show_rules` the no-show policy (default: marks recorded, no consequences);
        `training_rules` what counts as attended in the training ledger; `rank_ladder` the
        association's ranks (default: none, rank progress off); `audit_rules` how long the
        audit log is kept; `association_timezone` the zone of the exports' dates;
        `feed_links` where personal calendar feeds are served (None: no feeds).
        """
        self._store = store
        self._rooms = rooms
        self._chat = chat
        self._clock = clock
        self._new_id = id_factory
        self._notifier = Notifier(store, chat)
        self._room_keeper = RoomKeeper(store, rooms)
        self._timing_listener = timing_listener
        self._join_links = join_links
        self._telemetry = telemetry
        self._reminder_planner = ReminderPlanner(store, reminder_defaults or ReminderDefaults())
        self._series_keeper = SeriesKeeper(
            store,
            self._notifier,
            self._room_keeper,
            series_ahead,
            card_ahead,
            self._reminder_planner,
        )
        self._can_record = rooms.can_record
        self._offer_rules = offer_rules or OfferRules()
        self._min_rules = min_attendance or MinAttendanceRules()
        self._substitute_rules = substitute_rules or SubstituteRules()
        self._no_show_rules = no_show_rules or NoShowRules()
        self._training_rules = training_rules or TrainingRules()
        self._rank_ladder = rank_ladder or RankLadder()
        self._audit_rules = audit_rules or AuditRules()
        self._page_links = page_links  # `core.training_page_use_cases`: None, no pages
        self._association_timezone = association_timezone  # `core.export_use_cases`
        self._feed_links = feed_links  # `core.feed_use_cases`: None, no calendar feeds

    # queries ----------------------------------------------------------------------------
    async def get(self, session_id: str) -> TrainingSession:
        """The session, or NotFound with a hint."""
        session = await self._store.get_session(session_id.strip())
        if session is None:
            raise NotFound(
                t("No session with id “{id}”.", id=session_id),
                t("List upcoming sessions with /sessions."),
                step=Step.LIST_SESSIONS,
            )
        return session

    async def view(self, session_id: str) -> SessionView:
        """The session with its RSVP lists, for detail pages and announcements."""
        session = await self.get(session_id)
        rsvps = await self._store.list_rsvps(session.id)
        event = await self._store.get_event(session.event_id) if session.event_id else None
        return SessionView.build(session, rsvps, event)

    async def list_sessions(self, actor: Member, query: ListSessions) -> list[TrainingSession]:
        """Sessions by status (default scheduled and live), soonest first."""
        statuses = query.status or [SessionStatus.SCHEDULED, SessionStatus.LIVE]
        criteria = SessionFilter(
            status=statuses,
            instructor_id=actor.id if query.mine else None,
            event_id=query.event_id,
            limit=50,
        )
        return await self._store.list_sessions(criteria)

    async def page_sessions(
        self, actor: Member, criteria: SessionFilter
    ) -> tuple[list[TrainingSession], int]:
        """One page of the sessions matching `criteria`, and how many match in all."""
        require(actor, Action.VIEW)
        return await self._store.list_sessions(criteria), await self._store.count_sessions(criteria)

    async def find_sessions(self, actor: Member, text: str, limit: int) -> list[TrainingSession]:
        """Scheduled and live sessions the member may see whose id or title contains `text`
        (any case), soonest first: the pickers' search."""
        require(actor, Action.VIEW)
        criteria = SessionFilter(status=[SessionStatus.SCHEDULED, SessionStatus.LIVE], limit=100)
        needle = text.strip().lower()
        found = [
            s
            for s in await self._store.list_sessions(criteria)
            if can_see(actor, s) and (needle in s.title.lower() or needle in s.id.lower())
        ]
        return found[: max(limit, 0)]

    async def list_events(self, actor: Member) -> list[Event]:
        """Every event, oldest first."""
        require(actor, Action.VIEW)
        return await self._store.list_events()

    async def rsvp_of(self, actor: Member, session_id: str) -> Rsvp | None:
        """The member's own RSVP row for the session (going, waitlisted or left), if any."""
        session = await self.get(session_id)
        rsvps = await self._store.list_rsvps(session.id)
        return next((r for r in rsvps if r.member_id == actor.id), None)

    async def public_feed(self, limit: int) -> list[TrainingSession]:
        """Upcoming public sessions (scheduled or live), soonest first: what anyone may see."""
        criteria = SessionFilter(status=[SessionStatus.SCHEDULED, SessionStatus.LIVE], limit=limit)
        sessions = await self._store.list_sessions(criteria)
        return [s for s in sessions if s.visibility is Visibility.PUBLIC]

    async def accept_once(self, key: str, ttl: timedelta) -> bool:
        """True for the first caller to present `key` (a platform's delivery id) within `ttl`,
        across every process sharing the store: platform retries and replays are refused."""
        return await self._store.claim_once(key, self._clock.now(), ttl)

    def now(self) -> datetime:
        """The service clock's now (duties and rules run on it)."""
        return self._clock.now()

    def reminder_defaults(self) -> ReminderDefaults:
        """What the association chose for members who did not choose (settings pages show it)."""
        return self._reminder_planner.defaults

    async def next_reminder_due(self) -> datetime | None:
        """When the earliest unsent reminder is due."""
        return await self._store.next_reminder_due()

    async def next_room_retry(self, now: datetime) -> datetime | None:
        """When the clock should next try to create a missing or failed room."""
        waiting = await self._store.list_sessions(rooms_waiting(now, limit=1000))
        return min((room_retry_at(s) for s in waiting), default=None)

    # scheduling -------------------------------------------------------------------------
    async def schedule(
        self, actor: Member, command: ScheduleSession, origin: Origin | None = None
    ) -> TrainingSession:
        """Validate and store a new session, create its room, plan reminders, announce it.

        A failing video provider never loses the session: the failure is recorded on the
        room and the clock retries before the start.
        """
        require(actor, Action.SCHEDULE)
        now = self._clock.now()
        await self._check_event(command.event_id)
        session = TrainingSession(
            id=await self._unused_id(),
            title=check_title(command.title),
            description=check_description(command.description),
            event_id=command.event_id,
            instructor_id=actor.id,
            instructor_name=actor.display_name,
            start_time=check_start(command.start_time, now),
            duration_minutes=check_duration(command.duration_minutes),
            capacity=check_capacity(command.capacity),
            min_going=check_minimum(command.min_going, command.capacity),
            min_decide_minutes=check_decide(command.min_decide_minutes),
            recording_enabled=recording_granted(command.recording_enabled, self._rooms.can_record),
            chat_enabled=command.chat_enabled,
            visibility=command.visibility,
            tags=check_tags(command.tags),
            origin=origin,
            created_at=now,
            updated_at=now,
        )
        session.room.provider = self._rooms.provider
        await self._store.add_session(session)
        await self._audit(actor, AuditAction.SCHEDULE, session.id, after=scheduled_fields(session))
        await self._plan_min_attendance(None, session)
        await self._store.replace_reminders(
            session.id, self._reminder_planner.first_plan(session, now)
        )
        session = await self._room_keeper.create(session, now)
        await self._timing_changed()
        return await self._notifier.announce(session)

    async def update(self, actor: Member, command: UpdateSession) -> TrainingSession:
        """Change the given fields; a new start time re-plans reminders and tells going members."""
        require(actor, Action.UPDATE)
        session = await self.get(command.session_id)
        require_owner_or_admin(actor, session, "change")
        check_updatable(session)
        now = self._clock.now()
        changes = _changes(command, now)
        if changes.get("recording_enabled") and not self._rooms.can_record:
            raise InvalidInput(
                RECORDING_NEEDS_REALTIMEKIT, t("Change the other fields without rec.")
            )
        await self._check_event(command.event_id)
        moved = "start_time" in changes and changes["start_time"] != session.start_time
        if moved and session.status is not SessionStatus.SCHEDULED:
            raise InvalidState(
                t("A live session can't be moved."), t("End it and schedule a new one.")
            )
        changed = any(getattr(session, name) != value for name, value in changes.items())
        sequence = session.sequence + 1 if changed else session.sequence
        updated = session.model_copy(update=changes | {"updated_at": now, "sequence": sequence})
        updated = TrainingSession.model_validate(updated.model_dump())
        check_minimum(updated.min_going, updated.capacity, updated.id)  # min ≤ capacity
        if "capacity" in changes:  # checked under the lock the RSVPs take
            going = await self._store.save_within_capacity(updated)
            if going is not None:
                raise capacity_below_going(updated.id, going)
        else:
            await self._store.save_session(updated)
        await self._audit_session_change(actor, session, updated, list(changes))
        if moved:
            await self._reminder_planner.replan(updated, now)
            notice = messages.rescheduled(updated, session.start_time)
            await self._notifier.tell_members(updated, notice)
            await self._timing_changed()
        await self._seats_follow_change(session, updated, now, moved)
        return await self._notifier.announce(updated)

    async def _seats_follow_change(
        self, before: TrainingSession, after: TrainingSession, now: datetime, moved: bool
    ) -> None:
        """What a session changed by hand or by its weekly class's timetable needs (one
        place for both): its minimum's decision planned anew, an open substitute request's
        deadlines moved with the start, and its seats — a raised capacity's offered (offers
        on) or given at once; moved or lowered, the open offers made again."""
        await self._plan_min_attendance(before, after)
        if moved:
            await self._substitute_request_moved(after, now)
            await self._timing_changed()
        if self._offer_rules.enabled:
            await self._offers_after_update(before, after, now, moved)
        elif after.capacity is None or (
            before.capacity is not None and after.capacity > before.capacity
        ):
            await self._promote_waitlisted(after, now)

    async def cancel(
        self, actor: Member, session_id: str, reason: str | None = None
    ) -> TrainingSession:
        """Cancel (the instructor or an admin): room deleted, members and channel told."""
        return await self._cancel(actor, session_id, reason, tell_members=True)

    async def _cancel(
        self, actor: Member, session_id: str, reason: str | None, tell_members: bool
    ) -> TrainingSession:
        """`cancel`; without `tell_members` the caller tells them (once for many)."""
        require(actor, Action.CANCEL)
        session = await self.get(session_id)
        require_owner_or_admin(actor, session, "cancel")
        check_updatable(session)
        now = self._clock.now()
        previous = session.status
        session.status = SessionStatus.CANCELED
        session.canceled_at = now
        session.canceled_by = actor.id
        session.cancel_reason = (reason or "").strip() or None
        session.updated_at = now
        session.sequence += 1
        if not await self._store.transition_session(session, previous):
            current = await self.get(session.id)  # ended, started or canceled meanwhile
            raise InvalidState(
                t(
                    "“{title}” changed meanwhile: it is {status} now.",
                    title=current.title,
                    status=status_text(current.status),
                ),
                t("Check it with /session {id}.", id=current.id),
            )
        await self._audit(
            None if actor is SYSTEM_ACTOR else actor,  # the default cancel: the clock's
            AuditAction.CANCEL,
            session.id,
            before={"status": previous.value},
            after={"status": session.status.value, "reason": session.cancel_reason},
        )
        await self._offers_canceled(session, now)
        await self._close_substitute_request(session.id, now)
        await self._room_keeper.delete(session)
        await self._store.save_session(session)
        await self._store.replace_reminders(session.id, [])
        notice = messages.canceled(session, actor.display_name)
        if tell_members:
            await self._notifier.tell_members(session, notice, include_waitlist=True)
        await self._notifier.post(session, notice)
        await self._timing_changed()
        return await self._notifier.announce(session)

    # running ----------------------------------------------------------------------------
    async def start(self, actor: Member, session_id: str) -> TrainingSession:
        """Go live: only the session's instructor, from scheduled, with a room."""
        require(actor, Action.START)
        session = await self.get(session_id)
        require_instructor(actor, session, "start")
        if session.status is not SessionStatus.SCHEDULED:
            raise InvalidState(
                t(
                    "“{title}” is {status}; it can't start.",
                    title=session.title,
                    status=status_text(session.status),
                )
            )
        now = self._clock.now()
        if now < session.join_opens_at:
            raise InvalidState(
                t("It's too early to start: the room opens 10 minutes before the start time."),
                t(
                    "Try again from {time} UTC.",
                    time=session.join_opens_at.strftime("%Y-%m-%d %H:%M"),
                ),
            )
        if session.room.state is not RoomState.READY:
            session = await self._room_keeper.create(session, now)
            if session.room.state is not RoomState.READY:
                raise InvalidState(
                    t("The video room isn't ready: {error}", error=session.room.last_error),
                    t("Try /start-session again in a minute."),
                    step=Step.START_SESSION,
                    session_id=session.id,
                )
        return await self.go_live(session, now, actor)

    async def go_live(
        self, session: TrainingSession, at: datetime, actor: Member | None = None
    ) -> TrainingSession:
        """Mark the session live from `at` (rules checked by the caller), tell the channel;
        `actor` started it (None: its room did, the instructor being inside).

        Only the caller whose change the store accepts (scheduled → live, compare and set)
        posts: the "started" notice goes out once however many processes hear the start.
        """
        session.status = SessionStatus.LIVE
        session.started_at = at
        session.updated_at = self._clock.now()
        if not await self._store.transition_session(session, SessionStatus.SCHEDULED):
            return await self.get(session.id)
        await self._audit(
            actor,
            AuditAction.START,
            session.id,
            before={"status": SessionStatus.SCHEDULED.value},
            after={"status": session.status.value, "started_at": json_value(at)},
        )
        await self._store.replace_reminders(session.id, [])
        await self._notifier.post(session, messages.started(session))
        await self._timing_changed()
        return await self._notifier.announce(session)

    async def end(self, actor: Member, session_id: str) -> TrainingSession:
        """End a live session: only its instructor."""
        require(actor, Action.END)
        session = await self.get(session_id)
        require_instructor(actor, session, "end")
        if session.status is not SessionStatus.LIVE:
            raise InvalidState(
                t(
                    "“{title}” is {status}; only a live session can end.",
                    title=session.title,
                    status=status_text(session.status),
                ),
                t("Start it first with /start-session {id}.", id=session.id),
                step=Step.START_SESSION,
                session_id=session.id,
            )
        return await self.finish(session, automatically=False, actor=actor)

    async def end_overdue(self) -> tuple[list[TrainingSession], datetime | None]:
        """End live sessions 30 minutes past their scheduled end, and close as not held the
        scheduled ones nobody started by then.

        Returns the sessions ended or closed, and when the next one will be overdue.
        """
        now = self._clock.now()
        live = await self._store.list_sessions(live_sessions())
        overdue = [s for s in live if is_overdue(s, now)]
        unheld = [
            s for s in await self._store.list_sessions(unstarted_past(now)) if is_not_held(s, now)
        ]
        ended = [await self.finish(s, automatically=True) for s in overdue]
        ended += [await self.close_not_held(s) for s in unheld]
        still_live = [s.end_time for s in live if not is_overdue(s, now)]
        return ended, await self._next_overdue(still_live, after=now)

    async def next_overdue(self, after: datetime | None = None) -> datetime | None:
        """When the next live session ends itself, or the next scheduled one (if never
        started) is closed as not held: its end plus the 30-minute grace (only those later
        than `after`, when given)."""
        return await self._next_overdue(await self._store.session_ends(live_sessions()), after)

    async def _next_overdue(
        self, live_ends: list[datetime], after: datetime | None
    ) -> datetime | None:
        """`next_overdue`, the live sessions' ends given (`end_overdue` has just read them);
        the soonest scheduled ones' are read as ends only."""
        waiting = await self._store.session_ends(soonest_scheduled())
        dues = (overdue_at(end) for end in [*live_ends, *waiting])
        return min((due for due in dues if after is None or due > after), default=None)

    async def close_not_held(self, session: TrainingSession) -> TrainingSession:
        """Close a session nobody started (rules checked by the caller): no more reminders,
        its room deleted, the channel told once (the store's scheduled → not held change
        decides which process tells), its card updated."""
        now = self._clock.now()
        session.status = SessionStatus.NOT_HELD
        session.ended_at = now
        session.updated_at = now
        if not await self._store.transition_session(session, SessionStatus.SCHEDULED):
            return await self.get(session.id)  # started meanwhile, or closed by another process
        await self._audit(
            None,
            AuditAction.END,
            session.id,
            before={"status": SessionStatus.SCHEDULED.value},
            after={"status": session.status.value, "ended_at": json_value(now)},
        )
        await self._store.replace_reminders(session.id, [])
        await self._room_keeper.delete(session)
        await self._store.save_session(session)
        await self._notifier.post(session, messages.not_held(session))
        return await self._notifier.announce(session)

    async def finish(
        self, session: TrainingSession, automatically: bool, actor: Member | None = None
    ) -> TrainingSession:
        """End a live session now (rules checked by the caller): close open attendance, stop
        joins to the room, post the attendance summary in the channel. `actor` ended it
        (None: the clock, overdue, or its room).

        Only the caller whose live → ended change the store accepts (compare and set) does
        the rest: one summary however many processes end the session at once.
        """
        now = self._clock.now()
        session.status = SessionStatus.ENDED
        session.ended_at = now
        session.updated_at = now
        if not await self._store.transition_session(session, SessionStatus.LIVE):
            return await self.get(session.id)  # another process ended it and posts the summary
        await self._audit(
            actor,
            AuditAction.END,
            session.id,
            before={"status": SessionStatus.LIVE.value},
            after={"status": session.status.value, "ended_at": json_value(now)},
        )
        for interval in await self._store.list_attendance(session.id):
            if interval.left_at is None:
                await self._store.record_leave(session.id, interval.member_id, now)
        await self._room_keeper.end(session)
        await self._store.save_session(session)
        attendance = summarize_attendance(await self._store.list_attendance(session.id), now)
        going = await self._store.list_rsvps(session.id, RsvpStatus.GOING)
        absent = absent_rsvps(attendance, going)
        await self._record_no_shows(session, absent, now)  # once each, in the store
        entries = await self._record_ledger(session, attendance, going, now)  # training ledger
        summary = attendance_lines(attendance, [r.member_name for r in absent])
        hint, _ = self._mark_present_offer(session, absent)  # policy on: its hint
        hint, buttons = self._verdict_offer(session, going, entries, hint)  # Present / Absent
        notice = messages.ended(session, [*summary, *hint], automatically)
        notice = notice.model_copy(update={"buttons": (*buttons, *class_page_buttons(session))})
        await self._notifier.post(session, notice)
        return await self._notifier.announce(session)

    # recording --------------------------------------------------------------------------
    async def record(self, actor: Member, session_id: str, on: bool) -> TrainingSession:
        """Start (`on`) or stop recording a live session's room: only its instructor."""
        session = await self.get(session_id)
        require_instructor(actor, session, "record")
        room_id = session.room.room_id
        if session.status is not SessionStatus.LIVE or room_id is None:
            raise InvalidState(
                t(
                    "“{title}” is {status}; only a live session is recorded.",
                    title=session.title,
                    status=status_text(session.status),
                ),
                t("Start it first with /start-session {id}.", id=session.id),
                step=Step.START_SESSION,
                session_id=session.id,
            )
        if on:
            await self._rooms.start_recording(room_id)
        else:
            await self._rooms.stop_recording(room_id)
        return session

    # RSVP -------------------------------------------------------------------------------
    async def rsvp(self, actor: Member, session_id: str) -> RsvpChange:
        """Going if a seat is free, else waitlisted in arrival order."""
        try:
            require(actor, Action.RSVP)
            session = await self.get(session_id)
            if session.status is not SessionStatus.SCHEDULED:
                raise InvalidState(
                    t(
                        "“{title}” is {status}; RSVPs are closed.",
                        title=session.title,
                        status=status_text(session.status),
                    )
                )
            require_visibility(actor, session)
        except DojoError:
            self._telemetry.rsvp(RsvpOutcome.REFUSED)
            raise
        until = await self.waitlist_only_until(actor.id)  # no-show policy (None: off)
        change = await self._store.rsvp_going(
            session.id,
            actor.id,
            actor.display_name,
            self._clock.now(),
            waitlist_only=until is not None,
            passed_over=await self._passed_over(session.id),
        )
        self._telemetry.rsvp(rsvp_outcome(change))
        if change.changed and change.rsvp is not None and change.rsvp.status is RsvpStatus.GOING:
            await self._reminder_planner.member_going(session, actor.id, self._clock.now())
        if change.changed and change.rsvp is not None and self._offer_rules.enabled:
            now = self._clock.now()
            if change.rsvp.status is RsvpStatus.GOING:
                await self._release_overlapping(actor.id, session, now)
            else:  # a seat may be free for them (those ahead asked for more notice)
                trigger = f"joined:{actor.id}:{now.isoformat()}"
                await self._offer_free_seats(session, now, trigger, only=actor.id)
        if change.changed:
            await self._notifier.announce(session)
        return change

    async def unrsvp(self, actor: Member, session_id: str) -> RsvpChange:
        """Leave; a freed seat goes to the first waitlisted member, who is told (offers on:
        it is offered to them, see `core.offer_use_cases`). A going member leaving inside the
        late-cancel window gets a late-cancel mark (`core.no_show_use_cases`)."""
        session = await self.get(session_id)
        now = self._clock.now()
        late = await self._going_late(session, actor.id, now)
        change = await self._leave(actor, session)
        if late and change.changed:
            await self._late_cancel(session, actor.id, now)
        return change

    async def _leave(self, actor: Member, session: TrainingSession) -> RsvpChange:
        """`unrsvp` once the session is read."""
        if self._offer_rules.enabled:
            change = await self._leave_offering(session, actor.id, self._clock.now())
            self._telemetry.rsvp(rsvp_outcome(change))
            if change.changed:
                await self._notifier.announce(session)
            return change
        change = await self._store.rsvp_leave(session.id, actor.id, self._clock.now())
        self._telemetry.rsvp(rsvp_outcome(change))
        if change.promoted is not None:
            self._telemetry.rsvp(RsvpOutcome.PROMOTED)
            await self._reminder_planner.member_going(
                session, change.promoted.member_id, self._clock.now()
            )
            await self._notifier.dm(change.promoted.member_id, messages.promoted(session))
        if change.changed:
            await self._notifier.announce(session)
        return change

    async def _promote_waitlisted(self, session: TrainingSession, now: datetime) -> list[Rsvp]:
        """Give the session's free seats to the waitlisted, in order (capacity raised, two
        linked accounts' RSVPs merged); each promoted member is planned for and told.
        With offers on, the free seats are offered instead (nobody promoted)."""
        if self._offer_rules.enabled:
            await self._offer_free_seats(session, now, f"seats:{session.sequence}")
            return []
        promoted = await self._store.promote_waitlisted(session.id, now)
        for rsvp in promoted:
            await self._reminder_planner.member_going(session, rsvp.member_id, now)
            await self._notifier.dm(rsvp.member_id, messages.promoted(session))
        return promoted

    # joining ----------------------------------------------------------------------------
    async def can_join(
        self, actor: Member, session_id: str
    ) -> tuple[TrainingSession, JoinDecision]:
        """Whether the member may join now, with the reason when not."""
        require(actor, Action.JOIN)
        session = await self.get(session_id)
        going = await self._store.list_rsvps(session.id, RsvpStatus.GOING)
        decision = decide_join(
            session,
            actor,
            is_going=any(r.member_id == actor.id for r in going),
            going_count=len(going),
            room_ready=session.room.state is RoomState.READY,
            now=self._clock.now(),
        )
        return session, decision

    async def join(self, actor: Member, session_id: str) -> RoomLink:
        """The member's personal link, when the rules allow joining right now.

        With join links configured it is a short-lived link to our join page (which checks
        the rules again at click time, see `open_room`); otherwise the provider's room link.
        """
        session, decision = await self.can_join(actor, session_id)
        if not decision.allowed:
            raise refusal_error(session, decision, actor)
        if self._join_links is not None and self._join_links.available():
            return self._join_links.issue(actor, session, self._clock.now())
        return await self._rooms.join_url(
            session, actor, self._is_host(actor, session), self._clock.now()
        )

    async def open_room(self, actor: Member, session_id: str) -> RoomLink:
        """Let the member into the room now: check the rules again, record that they entered
        (unless the provider reports attendance itself, or they are already inside) and
        return the provider's personal room link. Called by the join page at click time.
        """
        session, decision = await self.can_join(actor, session_id)
        if not decision.allowed:
            raise refusal_error(session, decision, actor)
        now = self._clock.now()
        link = await self._rooms.join_url(session, actor, self._is_host(actor, session), now)
        if not getattr(self._rooms, "reports_attendance", False):
            if session.status is SessionStatus.SCHEDULED and self._is_host(actor, session):
                session = await self.go_live(session, now, actor)  # no room events will say so
            stays = await self._store.list_attendance(session.id)
            if not any(s.member_id == actor.id and s.left_at is None for s in stays):
                await self._store.record_join(session.id, actor.id, actor.display_name, now)
        return link

    # attendance -------------------------------------------------------------------------
    async def record_join(self, member: Member, session_id: str) -> None:
        """The member entered the room now."""
        session_id = (await self.get(session_id)).id
        await self._store.record_join(session_id, member.id, member.display_name, self._clock.now())

    async def record_leave(self, member: Member, session_id: str) -> None:
        """The member left the room now."""
        session_id = (await self.get(session_id)).id
        await self._store.record_leave(session_id, member.id, self._clock.now())

    async def attendance(self, actor: Member, session_id: str) -> list[Attendance]:
        """Who attended and for how long (the instructor or an admin)."""
        require(actor, Action.VIEW_ATTENDANCE)
        session = await self.get(session_id)
        require_owner_or_admin(actor, session, "see the attendance of")
        until = session.ended_at or self._clock.now()
        return summarize_attendance(await self._store.list_attendance(session.id), until)

    # events -----------------------------------------------------------------------------
    async def create_event(self, actor: Member, command: CreateEvent) -> Event:
        require(actor, Action.MANAGE_EVENTS)
        event = Event(
            id=self._new_id(),
            title=check_title(command.title),
            description=check_description(command.description),
            created_at=self._clock.now(),
        )
        await self._store.add_event(event)
        return event

    async def event_detail(self, event_id: str) -> tuple[Event, list[TrainingSession]]:
        """An event with all its sessions, soonest first."""
        event = await self._store.get_event(event_id.strip())
        if event is None:
            raise NotFound(
                t("No event with id “{id}”.", id=event_id),
                t("Create one with /create-event."),
                step=Step.CREATE_EVENT,
            )
        sessions = await self._store.list_sessions(
            SessionFilter(event_id=event.id, include_archived=True, limit=1000)
        )
        return event, sessions

    # room events ------------------------------------------------------------------------
    async def session_of_room(self, room_id: str) -> TrainingSession | None:
        """The session whose video room is `room_id`, if any."""
        return await self._store.find_session_by_room(room_id)

    async def entered_room(
        self, session: TrainingSession, member_id: str, member_name: str, at: datetime
    ) -> None:
        """The room says the member entered at `at`; the instructor entering makes it live.

        Idempotent in the store: a redelivered join opens no second stay, in any process.
        """
        await self._store.record_join(session.id, member_id, member_name, at)
        if member_id == session.instructor_id:
            await self.live_if_instructor_in(session, at)

    async def left_room(
        self,
        session: TrainingSession,
        member_id: str,
        member_name: str,
        left_at: datetime,
        joined_at: datetime | None = None,
    ) -> None:
        """The room says the member left at `left_at`; `joined_at` (when known) names the stay
        that ended. A leave seen before its join records the whole stay; a repeat is ignored.
        The stay of a member forgotten meanwhile is closed under its anonymous id."""
        stays = await self._store.list_attendance(session.id)
        rows = [r for r in stays if r.member_id == member_id]
        if joined_at is not None:
            stay = next((row for row in rows if row.joined_at == joined_at), None)
            gone = forgotten_stay(stays, joined_at) if stay is None else None
            if gone is not None:  # forget-me moved it: no name comes back
                member_id = gone.member_id
            elif stay is None:  # the leave arrived before its join: record the whole stay
                await self._store.record_join(session.id, member_id, member_name, joined_at)
            elif stay.left_at is not None:
                return  # already recorded
        elif not any(row.left_at is None for row in rows):
            return
        await self._store.record_leave(session.id, member_id, left_at)

    async def live_if_instructor_in(self, session: TrainingSession, at: datetime) -> None:
        """A scheduled session goes live from `at` if its instructor is in the open room."""
        if session.status is not SessionStatus.SCHEDULED:
            return
        inside = [
            r
            for r in await self._store.list_attendance(session.id)
            if r.member_id == session.instructor_id
        ]
        if not any(row.left_at is None for row in inside):
            return
        if self._clock.now() < session.join_opens_at:
            log.info("room of session %s is in use before it opens: not live yet", session.id)
            return
        await self.go_live(session, at)

    async def recording_ready(self, session: TrainingSession, url: str) -> None:
        """Keep a new recording link and post it in the channel (members-only sessions: DM it
        to the attendees instead); the same link twice is posted once, also when two processes
        hear it at once (a claim in the store decides)."""
        if session.recording_url == url:
            return
        now = self._clock.now()
        digest = hashlib.sha256(url.encode()).hexdigest()
        key = f"recording:{session.id}:{digest}"
        if not await self._store.claim_once(key, now, RECORDING_ONCE):
            return
        session.recording_url = url
        session.updated_at = self._clock.now()
        await self._store.save_session(session)
        notice = messages.recording_ready(session, url)
        if session.visibility is Visibility.PUBLIC:
            await self._notifier.post(session, notice)
            return
        attendees = {row.member_id for row in await self._store.list_attendance(session.id)}
        for member_id in sorted(attendees | {session.instructor_id}):
            await self._notifier.dm(member_id, notice)

    # lifecycle duties -------------------------------------------------------------------
    async def tend_rooms(self) -> tuple[list[TrainingSession], datetime | None]:
        """Create rooms that failed or are missing, from 2 hours before start.

        Returns the sessions retried and when the next retry is due.
        """
        now = self._clock.now()
        waiting = await self._store.list_sessions(rooms_waiting(now, limit=1000))
        retried, next_retry = [], None
        for session in waiting:
            retry_at = room_retry_at(session)
            if retry_at <= now:
                session = await self._notifier.announce(
                    await self._room_keeper.create(session, now)
                )
                retried.append(session)
                if session.room.state is not RoomState.READY:
                    retry_at = now + ROOM_RETRY_EVERY
            if session.room.state is not RoomState.READY:
                next_retry = retry_at if next_retry is None else min(next_retry, retry_at)
        return retried, next_retry

    async def cleanup(self) -> tuple[int, int]:
        """Delete rooms of finished sessions; archive those finished over 7 days ago.

        Returns (rooms deleted, sessions archived).
        """
        now = self._clock.now()
        await self._prune_marks(now)
        await self._prune_audit(now)
        await self._repair_ledgers(now)  # a crash between an end and its ledger
        finished = list(FINISHED)
        with_rooms = await self._store.list_sessions(
            SessionFilter(status=finished, room_states=[RoomState.READY], limit=1000)
        )
        for session in with_rooms:
            await self._room_keeper.delete(session)
            session.updated_at = now
            await self._store.save_session(session)
        old = await self._store.list_sessions(
            SessionFilter(status=finished, finished_before=now - ARCHIVE_AFTER, limit=1000)
        )
        for session in old:
            session.archived_at = now
            session.updated_at = now
            await self._store.save_session(session)
        return len(with_rooms), len(old)

    # helpers ----------------------------------------------------------------------------
    async def _timing_changed(self) -> None:
        if self._timing_listener is not None:
            await self._timing_listener()

    async def _unused_id(self) -> str:
        while True:
            candidate = self._new_id()
            if await self._store.get_session(candidate) is None:
                return candidate

    async def _check_event(self, event_id: str | None) -> None:
        if event_id and await self._store.get_event(event_id) is None:
            raise NotFound(
                t("No event with id “{id}”.", id=event_id),
                t('Create it first with /create-event "Title", or leave the event out.'),
                step=Step.CREATE_EVENT,
            )

    @staticmethod
    def _is_host(actor: Member, session: TrainingSession) -> bool:
        return actor.id == session.instructor_id


def capacity_below_going(session_id: str, going: int) -> InvalidState:
    """The refusal of a capacity lower than the number of members going."""
    return InvalidState(
        tn(
            "{n} member is going; capacity can't go below {n}.",
            "{n} members are going; capacity can't go below {n}.",
            going,
        ),
        t(
            "Type /update-session {id} cap {going} (or more), or leave the capacity "
            "as it is until members leave.",
            id=session_id,
            going=str(going),
        ),
        step=Step.FIX_CAPACITY,
        session_id=session_id,
    )


def live_sessions() -> SessionFilter:
    """Every live session (few at a time)."""
    return SessionFilter(status=[SessionStatus.LIVE], limit=1000)


def unstarted_past(now: datetime) -> SessionFilter:
    """Scheduled sessions that could be past their end plus the grace (the shortest session
    is 15 minutes; a minute of margin, `starts_before` being exclusive): the candidates to
    close as not held."""
    earliest_end = timedelta(minutes=DURATION_RANGE[0]) + AUTO_END_GRACE - timedelta(minutes=1)
    return SessionFilter(
        status=[SessionStatus.SCHEDULED], starts_before=now - earliest_end, limit=1000
    )


def soonest_scheduled(limit: int = 50) -> SessionFilter:
    """The scheduled sessions that start first (their end bounds the next not-held check)."""
    return SessionFilter(status=[SessionStatus.SCHEDULED], limit=limit)


def rooms_waiting(now: datetime, limit: int) -> SessionFilter:
    """Scheduled sessions still to start whose room is missing or failed, soonest first."""
    return SessionFilter(
        status=[SessionStatus.SCHEDULED],
        room_states=[RoomState.PENDING, RoomState.FAILED],
        starts_after=now,
        limit=limit,
    )


def room_retry_at(session: TrainingSession) -> datetime:
    """When the clock should next try to create this session's missing room."""
    first = session.start_time - ROOM_RETRY_WINDOW
    last = session.room.last_attempt_at
    return max(first, last + ROOM_RETRY_EVERY) if last else first


def _changes(command: UpdateSession, now: datetime) -> dict[str, object]:
    """The validated field changes an UpdateSession asks for."""
    changes: dict[str, object] = {}
    if command.title is not None:
        changes["title"] = check_title(command.title)
    if command.start_time is not None:
        changes["start_time"] = check_start(command.start_time, now)
    if command.duration_minutes is not None:
        changes["duration_minutes"] = check_duration(command.duration_minutes)
    if command.unlimited:
        changes["capacity"] = None
    elif command.capacity is not None:
        changes["capacity"] = check_capacity(command.capacity)
    for name in ("recording_enabled", "chat_enabled", "visibility", "event_id"):
        value = getattr(command, name)
        if value is not None:
            changes[name] = value
    if command.tags is not None:
        changes["tags"] = check_tags(command.tags)
    if command.no_minimum:
        changes["min_going"] = None
    elif command.min_going is not None:
        changes["min_going"] = command.min_going  # checked with the capacity by `update`
    if command.min_decide_minutes is not None:
        changes["min_decide_minutes"] = check_decide(command.min_decide_minutes)
    if command.description is not None:
        changes["description"] = check_description(command.description)
    if not changes:
        raise InvalidInput(
            t("Nothing to change."),
            t("Say what changes, e.g. /update-session {id} cap 30", id=command.session_id),
            step=Step.CHANGE_SESSION,
            session_id=command.session_id,
        )
    return changes
