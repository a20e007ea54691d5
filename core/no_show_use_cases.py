"""The no-show use cases of `SessionService` (mixed into it: the one door stays one).

Marks (`core.seat_marks`) are recorded whatever the association chose: a no-show for every
going member with no presence when a session ends, a late cancel when a going member leaves
inside the late-cancel window. The store writes each once (session × member × kind). With
the policy enabled (`NoShowRules.enabled`), each new mark and each restriction that begins
is DMed to the member once (`Notifier.dm_once`), and a restricted member's RSVPs go to the
waitlist only (`core.no_show_policy.restriction_at`, computed from the marks). Appeals,
waivers, present marks and `/my-record` work either way; with the policy off nobody is DMed
about marks (appeals still reach the admins: the member asked).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from core import no_show_messages as messages
from core.audit import AuditAction
from core.audit_use_cases import Audits
from core.errors import InvalidState, PermissionDenied
from core.i18n import Duration, Text, joined, t
from core.model import Member, Role, Rsvp, RsvpStatus, SessionStatus, TrainingSession
from core.no_show_policy import (
    NoShowRules,
    Restriction,
    appealable,
    counting,
    in_period,
    is_late_cancel,
    restriction_at,
    waivable,
)
from core.notices import NoticeButton
from core.notifier import Notifier
from core.ports import SessionStore
from core.reply_outcome import ReplyOutcome
from core.seat_marks import PENALISED, MarkKind, SeatMark
from core.training_ledger import Verdict

MAX_APPEAL_BUTTONS = 5
"""Appeal buttons under `/my-record` at most (one per mark still appealable)."""


class NoShowUseCases:
    """No-show and late-cancel marks, present marks, appeals, waivers and restrictions."""

    _store: SessionStore
    _notifier: Notifier
    _no_show_rules: NoShowRules
    _audit: Audits

    def now(self) -> datetime:
        raise NotImplementedError

    async def get(self, session_id: str) -> TrainingSession:
        raise NotImplementedError

    if TYPE_CHECKING:  # core/ledger_use_cases.py, mixed in beside this

        async def set_attendance(
            self, actor: Member, session_id: str, member_id: str, verdict: Verdict
        ) -> ReplyOutcome: ...

        async def _record_verdict(
            self,
            actor: Member,
            session: TrainingSession,
            member_id: str,
            name: str,
            verdict: Verdict,
        ) -> bool: ...

    def no_show_rules(self) -> NoShowRules:
        """The association's no-show settings."""
        return self._no_show_rules

    # recording ------------------------------------------------------------------------
    async def _record_no_shows(
        self, session: TrainingSession, absent: list[Rsvp], now: datetime
    ) -> None:
        """A no-show mark for each absent going member (`attendance_report.absent_rsvps`),
        written once by the store; each new one is told (policy enabled)."""
        for rsvp in absent:
            mark = SeatMark(
                session_id=session.id,
                member_id=rsvp.member_id,
                kind=MarkKind.NO_SHOW,
                created_at=now,
            )
            if await self._store.add_seat_mark(mark):
                await self._marked(session, mark, now)

    async def _late_cancel(self, session: TrainingSession, member_id: str, now: datetime) -> None:
        """A going member left inside the late-cancel window: a late-cancel mark (once)."""
        mark = SeatMark(
            session_id=session.id, member_id=member_id, kind=MarkKind.LATE_CANCEL, created_at=now
        )
        if await self._store.add_seat_mark(mark):
            await self._marked(session, mark, now)

    def _mark_present_offer(
        self, session: TrainingSession, absent: list[Rsvp]
    ) -> tuple[list[Text], tuple[NoticeButton, ...]]:
        """The ended summary's Present buttons and their hint (policy on; off: none, the
        summary stays as it always was and `/mark-present` is typed)."""
        if not self._no_show_rules.enabled:
            return [], ()
        return messages.summary_hint(session, absent), messages.mark_present_buttons(
            session, absent
        )

    async def _going_late(self, session: TrainingSession, member_id: str, now: datetime) -> bool:
        """Whether the member is going and leaving now would be a late cancel (the RSVPs are
        read only inside the window)."""
        rules = self._no_show_rules
        if session.status is not SessionStatus.SCHEDULED:
            return False
        if not is_late_cancel(session.start_time, now, rules):
            return False
        going = await self._store.list_rsvps(session.id, RsvpStatus.GOING)
        return any(r.member_id == member_id for r in going)

    async def _prune_marks(self, now: datetime) -> int:
        """Drop marks older than the retention (`NoShowRules.kept_for`)."""
        return await self._store.drop_seat_marks(now - self._no_show_rules.kept_for())

    async def _marked(self, session: TrainingSession, mark: SeatMark, now: datetime) -> None:
        """Tell the member of a new mark, and of the restriction it starts (once each)."""
        rules = self._no_show_rules
        if not rules.enabled:
            return
        tz = await self._zone_of(mark.member_id)
        keep = rules.kept_for()
        notice = messages.mark_recorded(session, mark, rules, tz)
        key = f"no-show:{session.id}:{mark.member_id}:{mark.kind.value}"
        await self._notifier.dm_once(key, mark.member_id, notice, now, keep)
        restriction = await self._restriction(mark.member_id, now)
        if restriction is not None:
            began = messages.restriction_began(session, restriction, rules, tz)
            key = f"restricted:{mark.member_id}:{restriction.started_at.isoformat()}"
            await self._notifier.dm_once(key, mark.member_id, began, now, keep)

    # restriction ----------------------------------------------------------------------
    async def waitlist_only_until(self, member_id: str) -> datetime | None:
        """Until when the member's RSVPs go to the waitlist only (None: not restricted, or
        the policy is off)."""
        restriction = await self._restriction(member_id, self.now())
        return None if restriction is None else restriction.ends_at

    async def restricted_members(self, member_ids: list[str]) -> frozenset[str]:
        """Those of `member_ids` restricted now (offers skip them; they keep no free seat
        from others): three reads however many members."""
        rules = self._no_show_rules
        if not rules.enabled or not member_ids:
            return frozenset()
        now = self.now()
        profiles = await self._store.get_profiles(member_ids)
        ids_of = {
            m: {m} | ({p.id, *p.identities} if (p := profiles.get(m)) else set())
            for m in member_ids
        }
        every = sorted(set().union(*ids_of.values()))
        by_id: dict[str, list[SeatMark]] = {}
        for mark in await self._store.list_seat_marks(
            every, now - rules.period - rules.restriction
        ):
            by_id.setdefault(mark.member_id, []).append(mark)
        return frozenset(
            m
            for m, ids in ids_of.items()
            if restriction_at([x for i in ids for x in by_id.get(i, [])], now, rules)
        )

    async def _passed_over(self, session_id: str) -> frozenset[str]:
        """The session's waitlisted members who are restricted (a free seat is not theirs)."""
        if not self._no_show_rules.enabled:
            return frozenset()
        waiting = await self._store.list_rsvps(session_id, RsvpStatus.WAITLISTED)
        return await self.restricted_members([r.member_id for r in waiting])

    async def _restriction(self, member_id: str, now: datetime) -> Restriction | None:
        rules = self._no_show_rules
        if not rules.enabled:
            return None
        marks = await self._marks_of(member_id, now - rules.period - rules.restriction)
        return restriction_at(marks, now, rules)

    # commands -------------------------------------------------------------------------
    async def mark_present(self, actor: Member, session_id: str, member_id: str) -> ReplyOutcome:
        """The session's instructor (or an admin) records a member present: a no-show stops
        counting (once per session × member) and the training ledger's verdict is PRESENT
        (`LedgerUseCases.set_attendance`, also for a member with no no-show); who did it is
        kept."""
        session = await self.get(session_id)
        if actor.id != session.instructor_id and not self._is_admin(actor):
            raise PermissionDenied(
                t(
                    "Only {instructor} (the instructor) or an admin can mark members "
                    "present in “{title}”.",
                    instructor=session.instructor_name,
                    title=session.title,
                )
            )
        ids = await self._identity_ids(member_id)
        marks = await self._store.list_session_marks(session.id)
        no_show = next(
            (m for m in marks if m.member_id in ids and m.kind is MarkKind.NO_SHOW), None
        )
        if no_show is None:  # not going, or going and counted short: the ledger's verdict
            return await self.set_attendance(actor, session.id, member_id, Verdict.PRESENT)
        name = await self._name_in(session.id, no_show.member_id)
        now = self.now()
        mark = SeatMark(
            session_id=session.id,
            member_id=no_show.member_id,
            kind=MarkKind.PRESENT,
            created_at=now,
            marked_by=actor.id,
        )
        added = await self._store.add_seat_mark(mark)
        verdict = await self._record_verdict(  # the training ledger: one action, one reply
            actor, session, no_show.member_id, name, Verdict.PRESENT
        )
        if not added and not verdict:
            return ReplyOutcome(
                action="already_present",
                lines=[
                    t(
                        "{name} is already marked present in “{title}”.",
                        name=name,
                        title=session.title,
                    )
                ],
                session_id=session.id,
            )
        if added and self._no_show_rules.enabled:
            notice = messages.marked_present(session, actor.display_name)
            key = f"present:{session.id}:{no_show.member_id}"
            await self._notifier.dm_once(
                key, no_show.member_id, notice, now, self._no_show_rules.kept_for()
            )
        return ReplyOutcome(
            action="marked_present",
            lines=[
                t(
                    "{name} is marked present in “{title}” (by you): the no-show no longer counts.",
                    name=name,
                    title=session.title,
                )
            ],
            session_id=session.id,
        )

    async def appeal(self, actor: Member, session_id: str) -> ReplyOutcome:
        """The member appeals their no-show or late cancel in the session: recorded once,
        and the admins are told (with a Waive button)."""
        session = await self.get(session_id)
        ids = await self._identity_ids(actor.id)
        now = self.now()
        await self._require_waivable(session, ids, now)
        changed: list[SeatMark] = []
        for member_id in ids:
            changed += await self._store.appeal_seat_marks(session.id, member_id, now)
        if not changed:
            return await self._not_appealed(actor, session, ids)
        await self._tell_admins(session, actor, changed, now)
        return ReplyOutcome(
            action="appealed",
            lines=[
                t("Your appeal is recorded; the admins were told."),
                t("Follow it with /my-record."),
            ],
            session_id=session.id,
        )

    async def _require_waivable(
        self, session: TrainingSession, ids: list[str], now: datetime
    ) -> None:
        """InvalidState when the member's marks in the session still open to an appeal are
        all past the waive window (an appeal nobody could act on)."""
        rules = self._no_show_rules
        marks = [m for m in await self._store.list_session_marks(session.id) if m.member_id in ids]
        pending = [m for m in marks if m.kind in PENALISED and not m.waived and not m.appealed_at]
        if pending and not any(waivable(m, now, rules) for m in pending):
            raise InvalidState(
                t(
                    "Too late to waive: a mark can be waived within {window} of being recorded.",
                    window=Duration(rules.waive_within),
                ),
                t("See your record with /my-record."),
            )

    async def _penalised_marks(self, session_id: str, ids: list[str]) -> list[SeatMark]:
        """The no-shows and late cancels in the session of the member known by `ids`."""
        return [
            m
            for m in await self._store.list_session_marks(session_id)
            if m.member_id in ids and m.kind in PENALISED
        ]

    async def _not_appealed(
        self, actor: Member, session: TrainingSession, ids: list[str]
    ) -> ReplyOutcome:
        marks = await self._penalised_marks(session.id, ids)
        if not marks:
            raise InvalidState(
                t("You have no no-show or late cancel in “{title}”.", title=session.title),
                t("See your record with /my-record."),
            )
        if all(m.waived for m in marks):
            line = t("Your mark in “{title}” was waived already.", title=session.title)
        else:
            line = t("You appealed already; the admins were told.")
        return ReplyOutcome(action="already_appealed", lines=[line], session_id=session.id)

    async def _tell_admins(
        self, session: TrainingSession, actor: Member, marks: list[SeatMark], now: datetime
    ) -> None:
        """DM each configured admin once; with none configured, post in the session's
        channel once (the store's claim decides)."""
        rules = self._no_show_rules
        member_id = marks[0].member_id
        notice = messages.appealed(session, member_id, actor.display_name, marks)
        keep = rules.kept_for()
        if rules.admins:
            for admin in rules.admins:
                key = f"appeal:{session.id}:{member_id}:{admin}"
                await self._notifier.dm_once(key, admin, notice, now, keep)
        elif await self._store.claim_once(f"appeal-post:{session.id}:{member_id}", now, keep):
            await self._notifier.post(session, notice)

    async def waive(self, actor: Member, session_id: str, member_id: str) -> ReplyOutcome:
        """An admin waives the member's no-show and late cancel in the session, within the
        waive window of each mark; waived marks no longer count. Once (the store decides)."""
        rules = self._no_show_rules
        if not self._is_admin(actor):
            raise PermissionDenied(
                t("Only admins can waive a mark."),
                t("Ask an admin; the member can type /appeal {id}.", id=session_id),
            )
        session = await self.get(session_id)
        ids = await self._identity_ids(member_id)
        now = self.now()
        changed: list[SeatMark] = []
        for one in ids:
            changed += await self._store.waive_seat_marks(
                session.id, one, actor.id, now, now - rules.waive_within
            )
        if not changed:
            return await self._not_waived(session, member_id, ids)
        await self._audit(
            actor,
            AuditAction.WAIVER,
            session.id,
            before={"member_id": changed[0].member_id, "waived": []},
            after={
                "member_id": changed[0].member_id,
                "waived": sorted(m.kind.value for m in changed),
            },
        )
        if rules.enabled:
            notice = messages.waived(session, actor.display_name)
            key = f"waived:{session.id}:{changed[0].member_id}"
            await self._notifier.dm_once(key, changed[0].member_id, notice, now, rules.kept_for())
        kinds = joined([messages.kind_text(m.kind) for m in changed], ", ")
        name = await self._name_in(session.id, changed[0].member_id)
        return ReplyOutcome(
            action="waived",
            lines=[
                t(
                    "Waived: {name}'s {kinds} in “{title}” no longer counts.",
                    name=name,
                    kinds=kinds,
                    title=session.title,
                )
            ],
            session_id=session.id,
        )

    async def _not_waived(
        self, session: TrainingSession, member_id: str, ids: list[str]
    ) -> ReplyOutcome:
        marks = await self._penalised_marks(session.id, ids)
        if not marks:
            raise InvalidState(
                t(
                    "{member} has no no-show or late cancel in “{title}”.",
                    member=member_id,
                    title=session.title,
                ),
                t("Check the member id with /my-record {member}.", member=member_id),
            )
        if all(m.waived for m in marks):
            return ReplyOutcome(
                action="already_waived",
                lines=[t("Already waived.")],
                session_id=session.id,
            )
        raise InvalidState(
            t(
                "Too late to waive: a mark can be waived within {window} of being recorded.",
                window=Duration(self._no_show_rules.waive_within),
            ),
        )

    async def my_record(self, actor: Member, member_id: str | None = None) -> ReplyOutcome:
        """The member's marks in the period, what counts, any restriction and how to appeal
        (members: their own; instructors and admins: anyone's). Linked identities count as
        one member."""
        target = actor.id if member_id is None else member_id.strip()
        own = target in (actor.id, actor.acting_id)
        if not own and actor.role not in (Role.ADMIN, Role.INSTRUCTOR):
            raise PermissionDenied(
                t("Only instructors and admins can see another member's record."),
                t("Type /my-record for your own."),
            )
        rules = self._no_show_rules
        now = self.now()
        ids = await self._identity_ids(target)
        marks = await self._marks_of(target, now - rules.period - rules.restriction, ids)
        shown = in_period(marks, now, rules)
        counted = len(in_period(counting(marks, rules), now, rules))
        restriction = restriction_at(marks, now, rules)
        sessions = await self._store.get_sessions(sorted({m.session_id for m in shown}))
        titles = {s.id: s.title for s in sessions}
        lines = messages.record_lines(
            target, shown, titles, counted, restriction, rules, actor.timezone
        )
        open_marks = appealable(shown, now, rules)
        buttons = []
        if open_marks:
            lines.append(messages.appeal_hint(rules.waive_within))
            if own:
                buttons = [messages.appeal_button(m.session_id) for m in open_marks]
        return ReplyOutcome(action="record", lines=lines, buttons=buttons[:MAX_APPEAL_BUTTONS])

    # helpers --------------------------------------------------------------------------
    def _is_admin(self, actor: Member) -> bool:
        admins = self._no_show_rules.admins
        return actor.role is Role.ADMIN or actor.id in admins or actor.acting_id in admins

    async def _identity_ids(self, member_id: str) -> list[str]:
        """Every id the member's marks may be under: the profile id and its identities."""
        member_id = member_id.strip()
        profile = await self._store.get_profile(member_id)
        if profile is None:
            return [member_id]
        return list(dict.fromkeys([profile.id, *profile.identities, member_id]))

    async def _marks_of(
        self, member_id: str, since: datetime, ids: list[str] | None = None
    ) -> list[SeatMark]:
        ids = ids if ids is not None else await self._identity_ids(member_id)
        return await self._store.list_seat_marks(ids, since)

    async def _zone_of(self, member_id: str) -> str:
        """The member's zone for the times in their DMs (UTC when unknown); minimum
        attendance uses it too."""
        profile = await self._store.get_profile(member_id)
        return "UTC" if profile is None or profile.timezone is None else profile.timezone

    async def _name_in(self, session_id: str, member_id: str) -> str:
        rows = await self._store.list_rsvps(session_id)
        return next((r.member_name for r in rows if r.member_id == member_id), member_id)
