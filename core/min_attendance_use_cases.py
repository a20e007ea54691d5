"""The minimum-attendance use cases of `SessionService` (mixed into it: the one door stays
one).

Scheduling or changing a session with `min N` plans its decision (`core.min_attendance`);
the clock's duty (`core.min_attendance_duty`) calls `decide_min_attendance` when one is due:
at the decision time it asks the instructor (too few going) or records that enough are;
at the answer deadline it applies the association's default. Every step is a conditional
write in the store (`update_min_decision`), so each happens once across processes, and the
question and the default's notice are DMed once (`Notifier.dm_once`). A cancel goes through
the ordinary cancel use case: the card, reminders, room and members (told with the reason)
are handled as for a cancel typed by hand. Kept: members are not told (nothing changes
for them).
"""

from __future__ import annotations

import logging
from datetime import datetime

from core import min_attendance_messages as say
from core.errors import DojoError
from core.i18n import Text, t
from core.min_attendance import (
    MIN_NOTICE_KEEP,
    OPEN_STATES,
    MinAttendanceRules,
    MinDecision,
    MinDefault,
    MinState,
    answer_deadline,
    needs_replan,
    plan,
)
from core.model import Member, Role, SessionStatus, TrainingSession
from core.notifier import Notifier
from core.permissions import require_owner_or_admin
from core.ports import SessionStore
from core.reply_outcome import ReplyOutcome

log = logging.getLogger(__name__)

DUE_BATCH = 100
"""Decisions taken per wake-up at most (the rest at the next, at once)."""
SYSTEM_ACTOR = Member(id="dojobot", display_name="dojobot", role=Role.ADMIN)
"""Who cancels a session when nobody answered and the default is to cancel."""


class MinAttendanceUseCases:
    """Plans, asks, keeps and applies the default of minimum-attendance decisions."""

    _store: SessionStore
    _notifier: Notifier
    _min_rules: MinAttendanceRules

    def now(self) -> datetime:
        raise NotImplementedError

    async def get(self, session_id: str) -> TrainingSession:
        raise NotImplementedError

    async def cancel(
        self, actor: Member, session_id: str, reason: str | None = None
    ) -> TrainingSession:
        raise NotImplementedError

    async def _timing_changed(self) -> None:
        raise NotImplementedError

    # planning --------------------------------------------------------------------------
    async def _plan_min_attendance(
        self, before: TrainingSession | None, after: TrainingSession
    ) -> None:
        """Plan the decision of a session just scheduled (`before` None) or changed: anew
        when it moved or its minimum or lead changed; dropped when the minimum went."""
        decision = await self._store.get_min_decision(after.id)
        if before is not None and not needs_replan(before, after, decision):
            return
        now = self.now()
        planned = plan(after, self._min_rules, now)
        if planned is None:
            if decision is None or decision.state not in OPEN_STATES:
                return
            planned = _written(decision, now, {"state": MinState.DROPPED, "due_at": None})
        await self._store.save_min_decision(planned)
        await self._timing_changed()

    # the clock's duty ------------------------------------------------------------------
    async def next_min_attendance_due(self) -> datetime | None:
        """When the next decision needs the clock (from the store)."""
        return await self._store.next_min_decision_due()

    async def decide_min_attendance(self, now: datetime) -> int:
        """Take every decision due at `now`; how many steps this call took (a step another
        process took first is not counted)."""
        done = 0
        for decision in await self._store.due_min_decisions(now, DUE_BATCH):
            session = await self._store.get_session(decision.session_id)
            if session is None:
                continue
            done += await self._min_step(session, decision, now)
        return done

    async def _min_step(
        self, session: TrainingSession, decision: MinDecision, now: datetime
    ) -> int:
        """One due decision: decide (planned), apply the default (asked), finish a cancel
        (canceled, not yet carried out) or close it (the session ended another way)."""
        current = session.start_time == decision.start_time and session.min_going is not None
        scheduled = session.status is SessionStatus.SCHEDULED
        if decision.state is MinState.CANCELED:
            return await self._finish_cancel(session, decision, now)
        if session.status is SessionStatus.CANCELED and decision.state is MinState.ASKED:
            # canceled by hand (the Cancel button) while asked: that was the answer
            answered = _written(
                decision,
                now,
                {
                    "state": MinState.CANCELED,
                    "due_at": None,
                    "decided_by": session.canceled_by,
                    "decided_at": session.canceled_at,
                },
            )
            return int(await self._store.update_min_decision(answered, MinState.ASKED))
        if decision.state not in OPEN_STATES:  # decided: nothing left for the clock
            idle = _written(decision, now, {"due_at": None})
            return int(await self._store.update_min_decision(idle, decision.state))
        if not scheduled or not current:  # started, ended or canceled; minimum removed
            closed = _written(decision, now, {"state": MinState.DROPPED, "due_at": None})
            return int(await self._store.update_min_decision(closed, decision.state))
        if decision.state is MinState.PLANNED:
            return await self._decide(session, decision, now)
        return int(await self._apply_default(session, decision, now) is not None)

    async def _decide(self, session: TrainingSession, decision: MinDecision, now: datetime) -> int:
        """The decision time: enough going → nothing asked; else ask the instructor."""
        going = await self._store.count_going(session.id)
        deadline = answer_deadline(now, session.start_time, self._min_rules)
        if going >= decision.minimum or deadline is None:  # enough, or too late to ask
            enough = _written(
                decision,
                now,
                {"state": MinState.ENOUGH, "due_at": None, "going": going, "decided_at": now},
            )
            return int(await self._store.update_min_decision(enough, MinState.PLANNED))
        asked = _written(
            decision,
            now,
            {
                "state": MinState.ASKED,
                "asked_at": now,
                "answer_by": deadline,
                "due_at": deadline,
                "going": going,
            },
        )
        if not await self._store.update_min_decision(asked, MinState.PLANNED):
            return 0  # another process asked
        tz = await self._zone_of(session.instructor_id)
        notice = say.ask(session, going, decision.minimum, deadline, self._min_rules.default, tz)
        key = f"min-ask:{session.id}:{session.start_time.isoformat()}:{decision.minimum}"
        await self._notifier.dm_once(key, session.instructor_id, notice, now, MIN_NOTICE_KEEP)
        await self._timing_changed()
        return 1

    async def _apply_default(
        self, session: TrainingSession, decision: MinDecision, now: datetime
    ) -> MinDecision | None:
        """Nobody answered by the deadline: keep or cancel, as the association chose. The
        decision that won (None: another process or a click decided first)."""
        cancel = self._min_rules.default is MinDefault.CANCEL
        applied = _written(
            decision,
            now,
            {
                "state": MinState.CANCELED if cancel else MinState.KEPT,
                "due_at": now if cancel else None,  # cleared once the cancel is carried out
                "decided_by": None,
                "decided_at": now,
            },
        )
        if not await self._store.update_min_decision(applied, MinState.ASKED):
            return None
        if cancel:
            await self._finish_cancel(session, applied, now)
        else:
            await self._tell_going_ahead(session)
        tz = await self._zone_of(session.instructor_id)
        key = f"min-default:{session.id}:{session.start_time.isoformat()}"
        notice = say.default_applied(session, applied, tz)
        await self._notifier.dm_once(key, session.instructor_id, notice, now, MIN_NOTICE_KEEP)
        await self._timing_changed()
        return applied

    async def _finish_cancel(
        self, session: TrainingSession, decision: MinDecision, now: datetime
    ) -> int:
        """Carry out a cancel decided by default (again after a crash: the session's own
        scheduled → canceled change makes it happen once), then mark it done."""
        if decision.due_at is None:
            return 0
        if session.status is SessionStatus.SCHEDULED:
            try:
                await self.cancel(SYSTEM_ACTOR, session.id, say.cancel_reason(decision.minimum))
            except DojoError:
                log.info("session %s changed before its default cancel", session.id)
        done = _written(decision, now, {"due_at": None})
        return int(await self._store.update_min_decision(done, MinState.CANCELED))

    # /keep-session -----------------------------------------------------------------------
    async def keep_session(self, actor: Member, session_id: str) -> ReplyOutcome:
        """The instructor (or an admin) holds the session although too few are going: before
        the decision time, or while asked. After the deadline the default decides (applied
        now if the clock has not yet), and the reply says what it was."""
        session = await self.get(session_id)
        require_owner_or_admin(actor, session, t("keep"))
        now = self.now()
        tz = actor.timezone
        decision = await self._store.get_min_decision(session.id)
        if decision is not None and decision.start_time != session.start_time:
            decision = None
        if session.status is SessionStatus.SCHEDULED and decision is not None:
            if (
                decision.state is MinState.ASKED
                and decision.answer_by
                and now >= decision.answer_by
            ):
                applied = await self._apply_default(session, decision, now)
                decision = applied or await self._store.get_min_decision(session.id)
                session = await self.get(session.id)
            elif decision.state in OPEN_STATES:
                kept = _written(
                    decision,
                    now,
                    {
                        "state": MinState.KEPT,
                        "due_at": None,
                        "decided_by": actor.id,
                        "decided_at": now,
                    },
                )
                if await self._store.update_min_decision(kept, decision.state):
                    if decision.state is MinState.ASKED:  # members may have wondered
                        await self._tell_going_ahead(session)
                    await self._timing_changed()
                    return self._reply("kept", session, [say.kept(session, kept, tz)])
                decision = await self._store.get_min_decision(session.id)
                session = await self.get(session.id)
        if session.status not in (SessionStatus.SCHEDULED, SessionStatus.CANCELED):
            line = t("“{title}” is not scheduled any more: nothing to keep.", title=session.title)
            return self._reply("not_open", session, [line])
        return self._reply("unchanged", session, [say.already_decided(session, decision, tz)])

    async def _tell_going_ahead(self, session: TrainingSession) -> None:
        """Members going or waitlisted hear that the session was kept (called only by the
        one write that kept it, so once)."""
        await self._notifier.tell_members(session, say.going_ahead(session), include_waitlist=True)

    @staticmethod
    def _reply(action: str, session: TrainingSession, lines: list[Text]) -> ReplyOutcome:
        return ReplyOutcome(action=action, lines=list(lines), session_id=session.id)

    async def _zone_of(self, member_id: str) -> str:
        """The member's zone for the times in their DMs: `NoShowUseCases._zone_of`, before
        this class among `SessionService`'s bases, answers (one place for the rule)."""
        raise NotImplementedError


def _written(decision: MinDecision, now: datetime, changes: dict[str, object]) -> MinDecision:
    """`decision` with `changes`, written at `now`."""
    return decision.model_copy(update=changes | {"updated_at": now})
