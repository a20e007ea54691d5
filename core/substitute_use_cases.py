"""The substitute-instructor use cases of `SessionService` (mixed into it).

`/need-sub` opens the session's request (once: the store refuses a second open one) and
DMs the preferred eligible instructors, the others after the head start (`run_substitutes`,
kept by the clock through `core.substitute_duty`). `/take-sub` accepts: the store's compare
and set lets exactly one accept win, across processes; the winner becomes the session's
instructor (sequence +1, card re-rendered), the old instructor's host access is withdrawn
from the room, and members are told once. Nobody by the deadline: admins are told.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from core import substitute_messages as words
from core.audit import AuditAction
from core.audit_use_cases import Audits
from core.errors import InvalidState, NotFound, PermissionDenied
from core.i18n import When, t
from core.model import Member, RsvpStatus, SessionFilter, SessionStatus, TrainingSession
from core.notices import Notice
from core.notifier import Notifier
from core.permissions import require_owner_or_admin
from core.ports import SessionStore, VideoRooms
from core.reply_outcome import ReplyOutcome
from core.rules import DURATION_RANGE
from core.substitutes import (
    KNOWN_FOR,
    SUB_NOTICE_KEEP,
    SubstituteRequest,
    SubstituteRules,
    SubstituteStatus,
    eligible,
    finished,
    new_request,
    overlaps,
    preferred_of,
    rescheduled,
    widened,
)

log = logging.getLogger(__name__)

DUE_BATCH = 100
"""Requests handled per wake-up at most (the rest at the next one, at once)."""


class SubstituteUseCases:
    """Asking for a substitute, accepting to be one, and the request's deadlines."""

    _store: SessionStore
    _rooms: VideoRooms
    _notifier: Notifier
    _substitute_rules: SubstituteRules
    _audit: Audits

    def now(self) -> datetime:
        raise NotImplementedError

    async def get(self, session_id: str) -> TrainingSession:
        raise NotImplementedError

    async def _timing_changed(self) -> None:
        raise NotImplementedError

    # use cases ----------------------------------------------------------------------------
    async def need_sub(self, actor: Member, session_id: str) -> ReplyOutcome:
        """Open the session's substitute request (its instructor or an admin; scheduled, not
        started) and DM the preferred eligible instructors (all eligible when none is
        preferred). A second request while one is open is refused, saying until when."""
        session = await self.get(session_id)
        require_owner_or_admin(actor, session, t("ask for a substitute for"))
        now = self.now()
        _require_ahead(session, now)
        rules = await self._substitute_rules_by_profile()
        candidates = await self._substitute_candidates(session, actor.id, now, rules)
        preferred = preferred_of(candidates, rules)
        request = new_request(session, actor.id, now, self._substitute_rules, bool(preferred))
        if not await self._store.open_substitute_request(request):
            current = await self._store.get_substitute_request(session.id)
            deadline = request.answer_by if current is None else current.answer_by
            raise InvalidState(
                t(
                    "A substitute request for “{title}” is already open until {deadline}.",
                    title=session.title,
                    deadline=When(deadline, actor.timezone),
                ),
                t("Wait for an answer; the admins are told if nobody accepts."),
            )
        await self._timing_changed()
        asked = preferred or candidates
        await self._ask_substitutes(session, request, asked, now)
        lines = [words.asked_line(len(asked), request, actor.timezone)]
        if preferred and len(candidates) > len(preferred):
            lines.append(
                t(
                    "Preferred substitutes first; the others are asked from {time}.",
                    time=When(request.others_at, actor.timezone),
                )
            )
        return ReplyOutcome(action="sub_requested", lines=lines, session_id=session.id)

    async def take_sub(self, actor: Member, session_id: str) -> ReplyOutcome:
        """Accept to teach the session: the first eligible instructor to accept wins (the
        store decides); the others are told who took it."""
        session = await self.get(session_id)
        now = self.now()
        request = await self._store.get_substitute_request(session.id)
        if request is None:
            raise NotFound(
                t("Nobody asked for a substitute for “{title}”.", title=session.title),
                t("Check it with /session {id}.", id=session.id),
            )
        _require_open(request, session, now, actor.timezone)
        await self._require_eligible(actor, session, request, now)
        taken = finished(request, SubstituteStatus.TAKEN, now, (actor.id, actor.display_name))
        if not await self._store.update_substitute_request(taken, SubstituteStatus.OPEN):
            current = await self._store.get_substitute_request(session.id)
            _require_open(current or request, session, now, actor.timezone)
            raise InvalidState(t("This request changed meanwhile."), t("Try again."))
        previous = await self.get(session.id)  # as stored now: a change made meanwhile stays
        session = previous.model_copy(
            update={
                "instructor_id": actor.id,
                "instructor_name": actor.display_name,
                "sequence": previous.sequence + 1,
                "updated_at": now,
            }
        )
        if not await self._store.transition_session(session, SessionStatus.SCHEDULED):
            await self._store.update_substitute_request(
                finished(taken, SubstituteStatus.CLOSED, now), SubstituteStatus.TAKEN
            )
            raise InvalidState(
                t("“{title}” is no longer scheduled; nothing changed.", title=session.title)
            )
        await self._audit(  # the session changed hands: its instructor, as an update
            actor,
            AuditAction.UPDATE,
            session.id,
            before={"instructor_id": previous.instructor_id},
            after={"instructor_id": actor.id},
        )
        await self._withdraw_host(session, previous.instructor_id)
        await self._tell_found(session, taken, previous, now)
        await self._timing_changed()
        await self._notifier.announce(session)
        line = t(
            "You teach “{title}” now ({start}). Members were told; your join link makes you "
            "the room's host.",
            title=session.title,
            start=When(session.start_time, actor.timezone),
        )
        return ReplyOutcome(action="sub_taken", lines=[line], session_id=session.id)

    # the clock's part ----------------------------------------------------------------------
    async def run_substitutes(self, now: datetime) -> int:
        """Do what is due at `now`: ask the others when a head start ends; tell the admins
        (and the instructor) when a deadline passes unanswered; close requests of sessions
        no longer scheduled. Each step is a compare and set: done once across processes."""
        done = 0
        for request in await self._store.due_substitute_requests(now, DUE_BATCH):
            session = await self._store.get_session(request.session_id)
            if session is None or session.status is not SessionStatus.SCHEDULED:
                closed = finished(request, SubstituteStatus.CLOSED, now)
                done += await self._store.update_substitute_request(closed, SubstituteStatus.OPEN)
            elif not request.widened and now < request.answer_by:
                if await self._store.update_substitute_request(
                    widened(request, now), SubstituteStatus.OPEN, expected_widened=False
                ):
                    rules = await self._substitute_rules_by_profile()
                    candidates = await self._substitute_candidates(
                        session, request.requested_by, now, rules
                    )
                    others = [c for c in candidates if c not in rules.preferred]
                    await self._ask_substitutes(session, request, others, now)
                    done += 1
            elif now >= request.answer_by:
                missed = finished(request, SubstituteStatus.MISSED, now)
                if await self._store.update_substitute_request(missed, SubstituteStatus.OPEN):
                    await self._tell_missing(session, request, now)
                    done += 1
        return done

    async def next_substitute_due(self) -> datetime | None:
        """When the clock next has work on a substitute request (from the store)."""
        return await self._store.next_substitute_due()

    async def substitute_request(self, session_id: str) -> SubstituteRequest | None:
        """The session's latest substitute request (pages and tests show it)."""
        return await self._store.get_substitute_request((await self.get(session_id)).id)

    async def _close_substitute_request(self, session_id: str, now: datetime) -> None:
        """The session was canceled: its open request (if any) is closed."""
        request = await self._store.get_substitute_request(session_id)
        if request is not None and request.status is SubstituteStatus.OPEN:
            closed = finished(request, SubstituteStatus.CLOSED, now)
            await self._store.update_substitute_request(closed, SubstituteStatus.OPEN)

    async def _substitute_request_moved(self, session: TrainingSession, now: datetime) -> None:
        """The session moved: its open request's deadlines follow the new start (the
        deadline is worked out again from when it was asked; never after the start)."""
        request = await self._store.get_substitute_request(session.id)
        if request is None or request.status is not SubstituteStatus.OPEN:
            return
        moved = rescheduled(request, session.start_time, now, self._substitute_rules)
        await self._store.update_substitute_request(moved, SubstituteStatus.OPEN)

    # helpers -------------------------------------------------------------------------------
    async def _substitute_rules_by_profile(self) -> SubstituteRules:
        """The substitute settings with each configured instructor named by their profile id
        (what sessions and actors carry): an id of an identity linked to a profile is the
        same person, asked once and recognised when they accept."""
        rules = self._substitute_rules
        configured = list(dict.fromkeys([*rules.instructors, *rules.preferred]))
        if not configured:
            return rules
        profiles = await self._store.get_profiles(configured)

        def by_profile(ids: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(profiles[i].id if i in profiles else i for i in ids))

        return replace(
            rules, instructors=by_profile(rules.instructors), preferred=by_profile(rules.preferred)
        )

    async def _substitute_candidates(
        self, session: TrainingSession, requester: str, now: datetime, rules: SubstituteRules
    ) -> list[str]:
        """The eligible substitutes now, preferred first (`rules` by profile ids)."""
        known = await self._store.recent_instructors(now - KNOWN_FOR)
        longest = timedelta(minutes=DURATION_RANGE[1])
        nearby = await self._store.list_sessions(
            SessionFilter(
                status=[SessionStatus.SCHEDULED, SessionStatus.LIVE],
                starts_after=session.start_time - longest,
                starts_before=session.end_time,
                limit=1000,
            )
        )
        busy = {s.instructor_id for s in nearby if s.id != session.id and overlaps(s, session)}
        excluded = {requester, session.instructor_id}
        return eligible(known, rules, excluded, busy)

    async def _require_eligible(
        self, actor: Member, session: TrainingSession, request: SubstituteRequest, now: datetime
    ) -> None:
        """PermissionDenied unless the actor may take the request now (why not, when not)."""
        rules = await self._substitute_rules_by_profile()
        if actor.id in (session.instructor_id, request.requested_by):
            raise PermissionDenied(t("You asked for this substitute; someone else must accept."))
        candidates = await self._substitute_candidates(session, request.requested_by, now, rules)
        if actor.id not in candidates:
            raise PermissionDenied(
                t(
                    "You can't substitute in “{title}”: you teach at an overlapping time, or "
                    "you are not among the instructors dojobot knows.",
                    title=session.title,
                ),
                t("Ask an admin to add you to the substitute instructors."),
            )
        if not request.widened and now < request.others_at and actor.id not in rules.preferred:
            raise InvalidState(
                t(
                    "Preferred substitutes have until {time} to accept.",
                    time=When(request.others_at, actor.timezone),
                ),
                t("Try /take-sub {id} again then.", id=session.id),
            )

    async def _ask_substitutes(
        self,
        session: TrainingSession,
        request: SubstituteRequest,
        members: list[str],
        now: datetime,
    ) -> None:
        notice = words.wanted(session, request)
        for member_id in members:
            key = f"sub-wanted:{request.key}:{member_id}"
            await self._notifier.dm_once(key, member_id, notice, now, SUB_NOTICE_KEEP)

    async def _tell_found(
        self,
        session: TrainingSession,
        request: SubstituteRequest,
        previous: TrainingSession,
        now: datetime,
    ) -> None:
        """Members going or waitlisted are told once; so is the replaced instructor."""
        told = [
            r.member_id
            for r in await self._store.list_rsvps(session.id)
            if r.status is not RsvpStatus.LEFT and r.member_id != session.instructor_id
        ]
        notice = words.found_for_members(session, previous.instructor_name)
        for member_id in told:
            key = f"sub-found:{request.key}:{member_id}"
            await self._notifier.dm_once(key, member_id, notice, now, SUB_NOTICE_KEEP)
        key = f"sub-replaced:{request.key}"
        await self._notifier.dm_once(
            key, previous.instructor_id, words.found_for_instructor(session), now, SUB_NOTICE_KEEP
        )

    async def _tell_missing(
        self, session: TrainingSession, request: SubstituteRequest, now: datetime
    ) -> None:
        """Admins (else the session's channel) and the instructor, each once."""
        notice = words.missing_for_admins(session, request)
        admins = self._substitute_rules.admins
        for admin in admins:
            key = f"sub-missing:{request.key}:{admin}"
            await self._notifier.dm_once(key, admin, notice, now, SUB_NOTICE_KEEP)
        if not admins:
            await self._post_once(f"sub-missing:{request.key}:channel", session, notice, now)
        mine = words.missing_for_instructor(session)
        key = f"sub-missing:{request.key}:instructor"
        await self._notifier.dm_once(key, request.instructor_id, mine, now, SUB_NOTICE_KEEP)

    async def _post_once(
        self, key: str, session: TrainingSession, notice: Notice, now: datetime
    ) -> None:
        if await self._store.claim_once(key, now, SUB_NOTICE_KEEP):
            await self._notifier.post(session, notice)

    async def _withdraw_host(self, session: TrainingSession, member_id: str) -> None:
        """The old instructor's host access goes (a provider failure is logged: their next
        link is a participant's anyway, decided at join time)."""
        try:
            await self._rooms.withdraw_host(session, member_id)
        except Exception:
            log.exception(
                "withdrawing %s's host access in session %s failed", member_id, session.id
            )


def _require_ahead(session: TrainingSession, now: datetime) -> None:
    """A substitute is asked for a scheduled session that has not started."""
    if session.status is not SessionStatus.SCHEDULED or now >= session.start_time:
        raise InvalidState(
            t(
                "“{title}” has started or is over: a substitute is asked for before the start.",
                title=session.title,
            )
        )


def _require_open(
    request: SubstituteRequest, session: TrainingSession, now: datetime, tz: str
) -> None:
    """InvalidState unless the request can still be accepted at `now`, saying why not (times
    in the zone `tz` of who asks)."""
    if request.status is SubstituteStatus.TAKEN:
        raise InvalidState(
            t(
                "“{title}” was already taken by {name}.",
                title=session.title,
                name=request.substitute_name or "",
            )
        )
    if (
        request.status is not SubstituteStatus.OPEN
        or now >= request.answer_by
        or session.status is not SessionStatus.SCHEDULED
    ):
        raise InvalidState(
            t(
                "The substitute request for “{title}” is closed (answers were due by {deadline}).",
                title=session.title,
                deadline=When(request.answer_by, tz),
            )
        )
