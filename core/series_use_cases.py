"""The weekly-class use cases of `SessionService` (mixed into it: the one door stays one).

A series is validated like a session (title, duration, capacity, description, tags, event)
plus its timetable (`core.recurrence.check_rule`). Its occurrences are ordinary sessions, so
skipping a day or ending a series cancels occurrences through the service's own `cancel`,
which tells going and waitlisted members and the channel. A change of the timetable from a
day on ("this and following", or a change of days or time for all) splits the series there:
the old one ends the day before, the new one keeps the `root_id`, and the occurrences already
listed from that day on move with their RSVPs; each going member is told once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core import messages
from core.audit import AuditAction
from core.audit_use_cases import AuditChanges, Audits
from core.commands import (
    EndSeries,
    ScheduleSeries,
    SeriesScope,
    SkipDay,
    UpdateSeries,
)
from core.errors import InvalidInput, InvalidState, NotFound, PermissionDenied
from core.i18n import Day, t
from core.model import (
    Member,
    Origin,
    Role,
    RsvpChange,
    RsvpStatus,
    SessionFilter,
    SessionStatus,
    TrainingSession,
    Visibility,
)
from core.notifier import Notifier
from core.permissions import Action, require, verb_text
from core.ports import SessionStore
from core.recurrence import (
    MAX_WEEKS,
    SERIES_HINT,
    Placement,
    WeeklyRule,
    check_rule,
    meeting_days,
    place,
    placements,
)
from core.reminder_planner import ReminderPlanner
from core.rules import (
    MAX_SCHEDULE_AHEAD,
    check_capacity,
    check_description,
    check_duration,
    check_tags,
    check_title,
    recording_granted,
)
from core.series import Series, SeriesSkip, SeriesStatus, StandingRsvp, occurrence_id
from core.series_keeper import SeriesKeeper
from core.timeparse import valid_timezone
from core.views import SeriesDetail, SeriesPlan

PREVIEW_COUNT = 5
_UPCOMING = [SessionStatus.SCHEDULED, SessionStatus.LIVE]


class SeriesUseCases:
    """Weekly classes: create, preview, show, stand, skip, change and end."""

    _store: SessionStore
    _reminder_planner: ReminderPlanner
    _notifier: Notifier
    _series_keeper: SeriesKeeper
    _new_id: Callable[[], str]
    _can_record: bool
    _audit: Audits
    _audit_changes: AuditChanges

    def now(self) -> datetime:
        raise NotImplementedError

    async def _timing_changed(self) -> None:
        raise NotImplementedError

    async def _check_event(self, event_id: str | None) -> None:
        raise NotImplementedError

    async def _seats_follow_change(
        self, before: TrainingSession, after: TrainingSession, now: datetime, moved: bool
    ) -> None:
        raise NotImplementedError

    async def cancel(
        self, actor: Member, session_id: str, reason: str | None = None
    ) -> TrainingSession:
        raise NotImplementedError

    async def _cancel(
        self, actor: Member, session_id: str, reason: str | None, tell_members: bool
    ) -> TrainingSession:
        raise NotImplementedError

    async def rsvp(self, actor: Member, session_id: str) -> RsvpChange:
        raise NotImplementedError

    # creating ---------------------------------------------------------------------------
    async def preview_series(self, actor: Member, command: ScheduleSeries) -> SeriesPlan:
        """What `schedule_series` would create (its next classes and DST notes); stores
        nothing."""
        require(actor, Action.SCHEDULE)
        series = await self._new_series(actor, command, None, self.now())
        return _plan(series, self.now())

    async def schedule_series(
        self, actor: Member, command: ScheduleSeries, origin: Origin | None = None
    ) -> SeriesPlan:
        """Store a weekly class, list its occurrences of the coming weeks (each an ordinary
        session) and post the first one's card."""
        require(actor, Action.SCHEDULE)
        now = self.now()
        series = await self._new_series(actor, command, origin, now)
        await self._store.add_series(series)
        await self._audit(actor, AuditAction.SCHEDULE, series.root_id, after=_audited(series))
        await self._series_keeper.materialise(series, now)
        await self._series_keeper.post_due_cards(now, series.root_id)
        await self._timing_changed()
        return _plan(series, now)

    async def _new_series(
        self, actor: Member, command: ScheduleSeries, origin: Origin | None, now: datetime
    ) -> Series:
        zone = _zone(command.timezone or actor.timezone)
        today = now.astimezone(ZoneInfo(zone)).date()
        first_day = command.first_day or today
        if first_day < today:
            raise InvalidInput(
                t("The first day ({day}) has passed.", day=Day(first_day)),
                t(
                    "Start from today or later, or leave the first day out. {example}",
                    example=SERIES_HINT,
                ),
            )
        rule = WeeklyRule(
            weekdays=frozenset(command.weekdays),
            local_time=command.local_time,
            timezone=zone,
            first_day=first_day,
            until=_until(command, first_day, now, zone),
            interval_weeks=command.interval_weeks,
        )
        check_rule(rule, now)
        await self._check_event(command.event_id)
        series_id = await self._unused_series_id()
        return Series(
            id=series_id,
            root_id=series_id,
            title=check_title(command.title),
            description=check_description(command.description),
            event_id=command.event_id,
            instructor_id=actor.id,
            instructor_name=actor.display_name,
            rule=rule,
            duration_minutes=check_duration(command.duration_minutes),
            capacity=check_capacity(command.capacity),
            recording_enabled=recording_granted(command.recording_enabled, self._can_record),
            chat_enabled=command.chat_enabled,
            visibility=command.visibility,
            tags=check_tags(command.tags),
            origin=origin,
            created_at=now,
            updated_at=now,
        )

    async def _unused_series_id(self) -> str:
        while True:
            candidate = self._new_id()
            if await self._store.get_series(candidate) is None:
                return candidate

    # reading ----------------------------------------------------------------------------
    async def _segments(self, series_id: str) -> list[Series]:
        """Every segment of the weekly class `series_id` (its id, or any segment's), in
        timetable order; NotFound when there is none."""
        found = await self._store.get_series(series_id.strip())
        if found is None:
            raise _not_found(series_id)
        segments = [s for s in await self._store.list_series() if s.root_id == found.root_id]
        return sorted(segments, key=lambda s: (s.rule.first_day, s.created_at))

    def _current(self, segments: list[Series]) -> Series:
        """The segment that holds today, else the next to come, else the last."""
        active = [s for s in segments if s.status is SeriesStatus.ACTIVE]
        for segment in active:
            today = self.now().astimezone(ZoneInfo(segment.rule.timezone)).date()
            if segment.rule.until >= today:
                return segment
        return (active or segments)[-1]

    async def get_series(self, series_id: str) -> Series:
        """The weekly class as it stands now (its current segment), or NotFound."""
        return self._current(await self._segments(series_id))

    async def list_series(self, actor: Member) -> list[Series]:
        """The weekly classes still running that `actor` may see, oldest first."""
        require(actor, Action.VIEW)
        roots: dict[str, list[Series]] = {}
        for segment in await self._store.list_series(SeriesStatus.ACTIVE):
            roots.setdefault(segment.root_id, []).append(segment)
        current = [self._current(sorted(v, key=lambda s: s.rule.first_day)) for v in roots.values()]
        return [s for s in current if _may_see(actor, s)]

    async def series_detail(self, actor: Member, series_id: str) -> SeriesDetail:
        """A weekly class with its coming occurrences, skipped days and standing RSVPs."""
        require(actor, Action.VIEW)
        segments = await self._segments(series_id)
        series = self._current(segments)
        if not _may_see(actor, series):
            raise _not_found(series_id)
        standing = await self._store.list_standing_rsvps(series.root_id)
        running = [s for s in segments if s.status is SeriesStatus.ACTIVE]
        return SeriesDetail(
            series=series,
            segments=running or [series],
            upcoming=await self._upcoming(series.root_id, self.now()),
            skips=await self._store.list_series_skips(series.root_id),
            standing_count=len(standing),
            standing=any(r.member_id == actor.id for r in standing),
        )

    async def series_history(
        self, series_id: str
    ) -> tuple[list[Series], list[TrainingSession], list[SeriesSkip]]:
        """Everything a calendar file of the weekly class holds, like `get` for a session:
        every segment (ended ones too), every occurrence listed so far (any status, archived
        too, soonest first) and the skipped days; NotFound when there is no such class."""
        segments = await self._segments(series_id)
        root_id = segments[0].root_id
        criteria = SessionFilter(series_id=root_id, include_archived=True, limit=1000)
        sessions = await self._store.list_sessions(criteria)
        return segments, sessions, await self._store.list_series_skips(root_id)

    async def _upcoming(self, root_id: str, now: datetime) -> list[TrainingSession]:
        criteria = SessionFilter(series_id=root_id, status=_UPCOMING, starts_after=now)
        return await self._store.list_sessions(criteria.model_copy(update={"limit": 100}))

    # standing RSVPs ---------------------------------------------------------------------
    async def stand(self, actor: Member, series_id: str) -> list[RsvpChange]:
        """Going to every occurrence ("every week"): now to each one already listed (in
        order, waitlisted where full), and to each one as it is listed."""
        require(actor, Action.RSVP)
        series = await self._active(series_id)
        if not _may_see(actor, series):
            raise _not_found(series_id)  # as `series_detail`: a guest learns nothing of it
        rsvp = StandingRsvp(
            series_id=series.root_id,
            member_id=actor.id,
            member_name=actor.display_name,
            created_at=self.now(),
        )
        await self._store.add_standing_rsvp(rsvp)
        changes = []
        for session in await self._upcoming(series.root_id, self.now()):
            if session.status is SessionStatus.SCHEDULED:
                changes.append(await self.rsvp(actor, session.id))
        return changes

    async def drop_standing(self, actor: Member, series_id: str) -> bool:
        """No longer going every week (the RSVPs to listed occurrences stay); False when
        the member had no standing RSVP."""
        require(actor, Action.RSVP)
        series = await self.get_series(series_id)
        if not _may_see(actor, series):
            raise _not_found(series_id)
        return await self._store.remove_standing_rsvp(series.root_id, actor.id)

    # changing ---------------------------------------------------------------------------
    async def skip_day(self, actor: Member, command: SkipDay) -> TrainingSession | None:
        """The weekly class doesn't meet on `command.day`: recorded, and its occurrence (if
        listed) canceled with the reason, which tells its members."""
        require(actor, Action.CANCEL)
        segments = await self._segments(command.series_id)
        series = self._current(segments)
        _require_owner(actor, series, "skip a class of")
        holder = next(
            (
                s
                for s in segments
                if s.status is SeriesStatus.ACTIVE
                and meeting_days(s.rule, command.day, command.day)
            ),
            None,
        )
        if holder is None:
            raise InvalidInput(
                t(
                    "“{title}” doesn't meet on {day}.",
                    title=series.title,
                    day=Day(command.day),
                ),
                t("Pick one of its class days: /class {id} lists them.", id=series.root_id),
            )
        now = self.now()
        skip = SeriesSkip(
            series_id=series.root_id,
            day=command.day,
            reason=command.reason.strip(),
            created_at=now,
        )
        if await self._store.add_series_skip(skip):  # a day skipped again: audited once
            await self._audit(
                actor,
                AuditAction.CANCEL,
                series.root_id,
                after={"skipped_day": command.day.isoformat(), "reason": skip.reason},
            )
        await self._bump(holder, now)
        session = await self._store.get_session(occurrence_id(series.root_id, command.day))
        if session is None or session.status is not SessionStatus.SCHEDULED:
            return None
        return await self.cancel(actor, session.id, command.reason or "No class that day")

    async def end_series(self, actor: Member, command: EndSeries) -> list[TrainingSession]:
        """Cancel the rest of a weekly class: no new occurrences, the listed ones canceled."""
        require(actor, Action.CANCEL)
        segments = [s for s in await self._segments(command.series_id)]
        series = self._current(segments)
        _require_owner(actor, series, "end")
        if series.status is not SeriesStatus.ACTIVE:
            raise _ended(series)
        now = self.now()
        for segment in segments:
            if segment.status is SeriesStatus.ACTIVE:
                ended = segment.model_copy(
                    update={
                        "status": SeriesStatus.ENDED,
                        "sequence": segment.sequence + 1,
                        "updated_at": now,
                    }
                )
                if not await self._store.save_series(ended, segment.sequence):
                    raise _changed_meanwhile(segment)
        await self._audit(
            actor,
            AuditAction.CANCEL,
            series.root_id,
            before={"status": SeriesStatus.ACTIVE.value},
            after={"status": SeriesStatus.ENDED.value, "reason": command.reason.strip() or None},
        )
        coming = [
            s
            for s in await self._upcoming(series.root_id, now)
            if s.status is SessionStatus.SCHEDULED
        ]
        reason = command.reason.strip() or "The weekly class has ended"
        canceled = await self._cancel_classes(actor, coming, reason)
        await self._timing_changed()
        return canceled

    async def _cancel_classes(
        self, actor: Member, sessions: list[TrainingSession], reason: str
    ) -> list[TrainingSession]:
        """Cancel several classes of one weekly class; each member going or waitlisted is
        told once, about the first of theirs."""
        canceled: list[TrainingSession] = []
        theirs: dict[str, list[TrainingSession]] = {}
        for session in sessions:
            for rsvp in await self._store.list_rsvps(session.id):
                if rsvp.status is not RsvpStatus.LEFT:
                    theirs.setdefault(rsvp.member_id, []).append(session)
            canceled.append(await self._cancel(actor, session.id, reason, tell_members=False))
        by_id = {s.id: s for s in canceled}
        for member_id, classes in theirs.items():
            first = by_id[classes[0].id]
            notice = messages.classes_canceled(first, len(classes), actor.display_name, reason)
            await self._notifier.dm(member_id, notice)
        return canceled

    async def update_series(self, actor: Member, command: UpdateSeries) -> Series:
        """Change a weekly class from a day on (today for ALL): segments after that day
        change in place, the one holding it ends the day before and a new segment goes on
        from there. Listed occurrences follow with their RSVPs; members going are told once.
        """
        require(actor, Action.UPDATE)
        segments = await self._segments(command.series_id)
        series = self._current(segments)
        _require_owner(actor, series, "change")
        if series.status is not SeriesStatus.ACTIVE:
            raise _ended(series)
        now = self.now()
        changes = _series_changes(command)
        today = now.astimezone(ZoneInfo(series.rule.timezone)).date()
        if command.scope is SeriesScope.FOLLOWING and command.from_day is None:
            raise InvalidInput(
                t("Say from which class day the change applies."),
                t("e.g. /update-class {id} following 2027-01-11 at 18:00", id=series.root_id),
            )
        from_day = command.from_day or today
        if from_day < today:
            raise InvalidInput(t("That day has passed."), t("Change classes from today on."))
        told: set[str] = set()
        for segment in segments:
            if segment.status is not SeriesStatus.ACTIVE or segment.rule.until < from_day:
                continue
            if segment.rule.first_day >= from_day or not _touches_rule(changes):
                changed = await self._change_in_place(segment, changes, now)
            else:
                changed = await self._split(segment, from_day, changes, now)
            await self._follow(changed, now, max(from_day, changed.rule.first_day), told)
        old = {k: getattr(series.rule if k in _RULE_FIELDS else series, k) for k in changes}
        await self._audit_changes(actor, series.root_id, old, changes | {"from_day": from_day})
        await self._series_keeper.post_due_cards(now, series.root_id)
        await self._timing_changed()
        return await self.get_series(series.root_id)

    async def _change_in_place(
        self, segment: Series, changes: dict[str, object], now: datetime
    ) -> Series:
        rule = check_rule(_changed_rule(segment.rule, changes, segment.rule.first_day), now)
        fields = {k: v for k, v in changes.items() if k not in _RULE_FIELDS}
        updated = segment.model_copy(
            update=fields | {"rule": rule, "sequence": segment.sequence + 1, "updated_at": now}
        )
        if not await self._store.save_series(updated, segment.sequence):
            raise _changed_meanwhile(segment)
        if _touches_rule(changes):
            await self._series_keeper.materialise(updated, now, since=now)
        return updated

    async def _split(
        self, segment: Series, from_day: date, changes: dict[str, object], now: datetime
    ) -> Series:
        rule = segment.rule
        first_day = _aligned_first_day(rule, from_day)
        successor = segment.model_copy(
            update={k: v for k, v in changes.items() if k not in _RULE_FIELDS}
            | {
                "id": await self._unused_series_id(),
                "rule": check_rule(_changed_rule(rule, changes, first_day), now),
                "sequence": 0,
                "materialised_until": None,
                "created_at": now,
                "updated_at": now,
            }
        )
        ended_rule = rule.model_copy(update={"until": from_day - timedelta(days=1)})
        old = segment.model_copy(
            update={"rule": ended_rule, "sequence": segment.sequence + 1, "updated_at": now}
        )
        if not await self._store.save_series(old, segment.sequence):
            raise _changed_meanwhile(segment)
        await self._store.add_series(successor)
        await self._series_keeper.materialise(successor, now)
        return successor

    async def _follow(self, segment: Series, now: datetime, from_day: date, told: set[str]) -> None:
        """Bring the listed occurrences of `segment`'s days (from `from_day`) in line with
        it: same id and RSVPs, its fields and time; those on days its rule dropped are
        canceled. Each going member hears once, about the first of their classes that
        moved."""
        zone = ZoneInfo(segment.rule.timezone)
        dropped: list[TrainingSession] = []
        for session in await self._upcoming(segment.root_id, now):
            day = session.start_time.astimezone(zone).date()
            if not from_day <= day <= segment.rule.until:
                continue
            if session.status is not SessionStatus.SCHEDULED:
                continue
            if not meeting_days(segment.rule, day, day):
                dropped.append(session)
                continue
            start = _placement(segment.rule, day).start
            updated = session.model_copy(
                update={
                    "title": segment.title,
                    "description": segment.description,
                    "duration_minutes": segment.duration_minutes,
                    "capacity": segment.capacity,
                    "start_time": start,
                    "sequence": session.sequence + 1,
                    "updated_at": now,
                }
            )
            going = await self._store.save_within_capacity(updated)
            if going is not None:  # fewer seats than members going: keep the seats there
                updated.capacity = going
                await self._store.save_session(updated)
            if start != session.start_time:
                await self._reminder_planner.replan(updated, now)
                notice = messages.rescheduled(updated, session.start_time)
                for rsvp in await self._store.list_rsvps(updated.id, RsvpStatus.GOING):
                    if rsvp.member_id not in told:
                        told.add(rsvp.member_id)
                        await self._notifier.dm(rsvp.member_id, notice)
            await self._seats_follow_change(session, updated, now, start != session.start_time)
            await self._notifier.announce(updated)
        if dropped:
            await self._cancel_classes(_system(segment), dropped, "The timetable changed")

    async def _active(self, series_id: str) -> Series:
        series = await self.get_series(series_id)
        if series.status is not SeriesStatus.ACTIVE:
            raise _ended(series)
        return series

    async def _bump(self, series: Series, now: datetime) -> None:
        bumped = series.model_copy(update={"sequence": series.sequence + 1, "updated_at": now})
        if not await self._store.save_series(bumped, series.sequence):
            raise _changed_meanwhile(series)

    # the clock's duties -----------------------------------------------------------------
    async def materialise_series(self) -> tuple[list[TrainingSession], datetime | None]:
        """List every weekly class's occurrences of the coming weeks and post the cards
        due; the occurrences added and when this is next due."""
        return await self._series_keeper.tend(self.now())

    async def next_series_duty(self) -> datetime | None:
        """When a weekly class next needs an occurrence listed or a card posted."""
        return await self._series_keeper.next_duty(self.now())


def _zone(name: str) -> str:
    return valid_timezone(name)


def _until(command: ScheduleSeries, first_day: date, now: datetime, zone: str) -> date:
    if command.until is not None and command.weeks is not None:
        raise InvalidInput(
            t("Give either an end date or a number of weeks, not both."), SERIES_HINT
        )
    if command.weeks is not None:
        if not 1 <= command.weeks <= MAX_WEEKS:
            raise InvalidInput(
                t(
                    "A series runs for 1 to {limit} weeks; got {weeks}.",
                    limit=MAX_WEEKS,
                    weeks=command.weeks,
                ),
                SERIES_HINT,
            )
        return first_day + timedelta(weeks=command.weeks) - timedelta(days=1)
    if command.until is not None:
        return command.until
    return (now + MAX_SCHEDULE_AHEAD).astimezone(ZoneInfo(zone)).date()


def _plan(series: Series, now: datetime) -> SeriesPlan:
    end = datetime.combine(series.rule.until, time.max, ZoneInfo(series.rule.timezone))
    every = placements(series.rule, now, end.astimezone(UTC))
    notes = [n for p in every if (n := p.note(series.rule)) is not None]
    return SeriesPlan(series=series, upcoming=every[:PREVIEW_COUNT], notes=notes, total=len(every))


def _placement(rule: WeeklyRule, day: date) -> Placement:
    return place(day, rule.local_time, rule.timezone)


def _aligned_first_day(rule: WeeklyRule, from_day: date) -> date:
    """The first day of a series continuing `rule` from `from_day`: `from_day` itself when
    its week is a class week, else the Monday of the next class week, so "every other week"
    keeps its weeks across a split."""
    anchor = rule.first_day - timedelta(days=rule.first_day.weekday())
    monday = from_day - timedelta(days=from_day.weekday())
    weeks = (monday - anchor).days // 7
    off = weeks % rule.interval_weeks
    if off == 0:
        return max(from_day, rule.first_day)
    return monday + timedelta(weeks=rule.interval_weeks - off)


def _may_see(actor: Member, series: Series) -> bool:
    return series.visibility is Visibility.PUBLIC or actor.role is not Role.GUEST


def _require_owner(actor: Member, series: Series, verb: str) -> None:
    if actor.id != series.instructor_id and actor.role is not Role.ADMIN:
        raise PermissionDenied(
            t(
                "Only {instructor} (the instructor) or an admin can {verb} “{title}”.",
                instructor=series.instructor_name,
                verb=verb_text(verb),
                title=series.title,
            )
        )


def _system(series: Series) -> Member:
    """The series' instructor, acting for the timetable (cancels of dropped days)."""
    return Member(id=series.instructor_id, display_name=series.instructor_name, role=Role.ADMIN)


def _changed_meanwhile(series: Series) -> InvalidState:
    return InvalidState(
        t("“{title}” was changed meanwhile.", title=series.title),
        t("Look again with /class {id}.", id=series.id),
    )


_RULE_FIELDS = ("weekdays", "local_time")


def _touches_rule(changes: dict[str, object]) -> bool:
    return any(name in changes for name in _RULE_FIELDS)


def _changed_rule(rule: WeeklyRule, changes: dict[str, object], first_day: date) -> WeeklyRule:
    rule_changes = {k: v for k, v in changes.items() if k in _RULE_FIELDS}
    return WeeklyRule.model_validate(rule.model_dump() | rule_changes | {"first_day": first_day})


def _not_found(series_id: str) -> NotFound:
    return NotFound(
        t("No weekly class with id “{id}”.", id=series_id), t("List them with /classes.")
    )


def _ended(series: Series) -> InvalidState:
    return InvalidState(
        t("“{title}” has ended.", title=series.title), t("See /classes for the running ones.")
    )


def _series_changes(command: UpdateSeries) -> dict[str, object]:
    changes: dict[str, object] = {}
    if command.title is not None:
        changes["title"] = check_title(command.title)
    if command.description is not None:
        changes["description"] = check_description(command.description)
    if command.duration_minutes is not None:
        changes["duration_minutes"] = check_duration(command.duration_minutes)
    if command.unlimited:
        changes["capacity"] = None
    elif command.capacity is not None:
        changes["capacity"] = check_capacity(command.capacity)
    if command.weekdays is not None:
        changes["weekdays"] = frozenset(command.weekdays)
    if command.local_time is not None:
        changes["local_time"] = command.local_time
    if not changes:
        raise InvalidInput(
            t("Nothing to change."),
            t("Say what changes, e.g. /update-class {id} cap 30", id=command.series_id),
        )
    return changes


_AUDITED = (
    *("title", "description", "event_id", "duration_minutes", "capacity"),
    *("recording_enabled", "chat_enabled", "visibility", "tags"),
)


def _audited(series: Series) -> dict[str, Any]:
    """A new weekly class as its SCHEDULE entry's `after` (JSON values: `audit_values`)."""
    return {name: getattr(series, name) for name in _AUDITED} | {
        "rule": series.rule.model_dump(mode="json")
    }
