"""The training-ledger use cases of `SessionService` (mixed into it: the one door stays one).

When a session ends, every member who was in the room or was going gets one entry
(`core.training_ledger.LedgerEntry`): merged seconds present, the session's held length and
whether that counts as attended (`counts_as_attended`). The session's instructor or an
admin confirms or overrules it (`set_attendance`, `/mark-present`, `/mark-absent`, the
summary's buttons); who did and when is kept, and audited. `training_entries` is the one
read of the ledger for everyone (RBAC: a member reads only their own profile's entries).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core import ledger_messages as messages
from core.attendance import summarize_attendance
from core.audit import AuditAction
from core.audit_use_cases import Audits
from core.errors import InvalidState, NotFound, PermissionDenied
from core.i18n import Text, t
from core.ledger_log import TrainingTally
from core.model import (
    Attendance,
    Member,
    Rsvp,
    RsvpStatus,
    SessionFilter,
    SessionStatus,
    TrainingSession,
)
from core.notices import NoticeButton
from core.ports import SessionStore
from core.record_access import is_staff, require_reader
from core.reply_outcome import ReplyOutcome
from core.status_words import status_text
from core.training_ledger import (
    LedgerEntry,
    LedgerQuery,
    TrainingRules,
    Verdict,
    counts_as_attended,
)

LEDGER_REPAIR_WINDOW = timedelta(days=3)
"""How far back (by start) the daily clean-up looks for ended sessions left without a
ledger by a crash."""


def held_seconds(session: TrainingSession) -> int:
    """The session's held length: started → ended, else its planned duration."""
    if session.started_at is not None and session.ended_at is not None:
        return max(0, int((session.ended_at - session.started_at).total_seconds()))
    return session.duration_minutes * 60


def session_entry(
    session: TrainingSession,
    member_id: str,
    member_name: str,
    seconds_present: int,
    rules: TrainingRules,
    now: datetime,
) -> LedgerEntry:
    """A fresh (undecided) entry of the member in the session."""
    length = held_seconds(session)
    present = min(seconds_present, length) if length > 0 else seconds_present
    return LedgerEntry(
        session_id=session.id,
        member_id=member_id,
        member_name=member_name,
        title=session.title,
        series_id=session.series_id,
        tags=list(session.tags),
        instructor_id=session.instructor_id,
        starts_at=session.start_time,
        session_seconds=length,
        seconds_present=present,
        attended=counts_as_attended(present, length, None, rules),
        recorded_at=now,
    )


def ledger_entries(
    session: TrainingSession,
    attendance: list[Attendance],
    going: list[Rsvp],
    rules: TrainingRules,
    now: datetime,
) -> list[LedgerEntry]:
    """One entry per member present in the room (merged stays) or going (never present:
    0 s, not attended), present members first in the order they joined."""
    entries = [
        session_entry(session, a.member_id, a.member_name, a.watch_time_seconds, rules, now)
        for a in attendance
    ]
    seen = {a.member_id for a in attendance}
    entries += [
        session_entry(session, r.member_id, r.member_name, 0, rules, now)
        for r in going
        if r.member_id not in seen
    ]
    return entries


class LedgerUseCases:
    """Recording, verdicts and reads of the verified training ledger."""

    _store: SessionStore
    _training_rules: TrainingRules
    _audit: Audits

    def now(self) -> datetime:
        raise NotImplementedError

    async def get(self, session_id: str) -> TrainingSession:
        raise NotImplementedError

    def _is_admin(self, actor: Member) -> bool:
        raise NotImplementedError

    async def _name_in(self, session_id: str, member_id: str) -> str:
        raise NotImplementedError

    def training_rules(self) -> TrainingRules:
        """The association's training-record settings."""
        return self._training_rules

    # recording ------------------------------------------------------------------------
    async def _record_ledger(
        self,
        session: TrainingSession,
        attendance: list[Attendance],
        going: list[Rsvp],
        now: datetime,
    ) -> list[LedgerEntry]:
        """Write the ended session's entries (idempotent: a stored verdict stays) and
        return them as stored."""
        entries = ledger_entries(session, attendance, going, self._training_rules, now)
        await self._store.save_ledger(entries)
        stored = [e async for e in self._store.read_ledger(LedgerQuery(session_id=session.id))]
        order = {e.member_id: i for i, e in enumerate(entries)}
        return sorted(stored, key=lambda e: order.get(e.member_id, len(order)))

    async def _repair_ledgers(self, now: datetime) -> int:
        """Record the ledger of sessions ended in the last `LEDGER_REPAIR_WINDOW` that have
        none although members were going or in the room: the process that ended one died
        between storing the end and writing its ledger. Idempotent (a stored verdict
        stays); returns how many sessions it recorded. Run by the daily clean-up."""
        ended = await self._store.list_sessions(
            SessionFilter(
                status=[SessionStatus.ENDED],
                starts_after=now - LEDGER_REPAIR_WINDOW,
                starts_before=now,
                limit=1000,
            )
        )
        repaired = 0
        for session in ended:
            recorded = [
                e async for e in self._store.read_ledger(LedgerQuery(session_id=session.id))
            ]
            if recorded:
                continue
            intervals = await self._store.list_attendance(session.id)
            attendance = summarize_attendance(intervals, session.ended_at or now)
            going = await self._store.list_rsvps(session.id, RsvpStatus.GOING)
            if attendance or going:
                await self._record_ledger(session, attendance, going, now)
                repaired += 1
        return repaired

    def _verdict_offer(
        self,
        session: TrainingSession,
        going: list[Rsvp],
        entries: list[LedgerEntry],
        hint: list[Text],
    ) -> tuple[list[Text], tuple[NoticeButton, ...]]:
        """The summary's Present / Absent buttons (always), with `hint` (the no-show
        policy's), or instead, when some members have no button, what to type."""
        buttons, left_out = messages.verdict_buttons(session, going, entries)
        if left_out:
            hint = [messages.typed_verdict_hint(session)]
        return hint, buttons

    # verdicts -------------------------------------------------------------------------
    async def set_attendance(
        self, actor: Member, session_id: str, member_id: str, verdict: Verdict
    ) -> ReplyOutcome:
        """The session's instructor (or an admin) records a member present or absent in
        an ended session: the verdict decides `attended`; who and when are kept."""
        session = await self.get(session_id)
        self._require_verdict_allowed(actor, session)
        target, name = await self._ledger_member(session, member_id)
        changed = await self._record_verdict(actor, session, target, name, verdict)
        if not changed:
            return ReplyOutcome(
                action=f"already_{verdict.value}",
                lines=[messages.verdict_already(name, session, verdict)],
                session_id=session.id,
            )
        return ReplyOutcome(
            action=f"marked_{verdict.value}",
            lines=[messages.verdict_done(name, session, verdict)],
            session_id=session.id,
        )

    def _require_verdict_allowed(self, actor: Member, session: TrainingSession) -> None:
        if actor.id != session.instructor_id and not self._is_admin(actor):
            raise PermissionDenied(
                t(
                    "Only {instructor} (the instructor) or an admin can mark members "
                    "present or absent in “{title}”.",
                    instructor=session.instructor_name,
                    title=session.title,
                )
            )
        if session.status is not SessionStatus.ENDED:
            raise InvalidState(
                t(
                    "“{title}” is {status}; attendance is confirmed once the session has ended.",
                    title=session.title,
                    status=status_text(session.status),
                ),
                t("Mark members after /end-session {id}.", id=session.id),
            )

    async def _ledger_member(self, session: TrainingSession, member_id: str) -> tuple[str, str]:
        """The profile id the ledger keeps the member under, and their name."""
        member_id = member_id.strip()
        profile = await self._store.get_profile(member_id)
        target = member_id if profile is None else profile.id
        entry = await self._store.get_ledger_entry(session.id, target)
        if entry is not None:
            return target, entry.member_name
        name = await self._name_in(session.id, target)
        if name == target and profile is None:
            stays = await self._store.list_attendance(session.id)
            name = next((a.member_name for a in stays if a.member_id == target), target)
        if name == target and profile is None:  # not going, not in the room, never seen
            raise NotFound(
                t("No member “{id}”.", id=member_id), t("Check the member's id and try again.")
            )
        if name == target and profile is not None:
            name = profile.display_name
        return target, name

    async def _record_verdict(
        self,
        actor: Member,
        session: TrainingSession,
        member_id: str,
        name: str,
        verdict: Verdict,
    ) -> bool:
        """Store the verdict on the member's entry (created when missing) and audit it;
        False when the entry already had that verdict (nothing written)."""
        now = self.now()
        entry = await self._store.get_ledger_entry(session.id, member_id)
        if entry is None:
            entry = session_entry(session, member_id, name, 0, self._training_rules, now)
        elif entry.verdict is verdict:
            return False
        decided = entry.model_copy(
            update={
                "verdict": verdict,
                "verdict_by": actor.id,
                "verdict_at": now,
                "attended": counts_as_attended(
                    entry.seconds_present, entry.session_seconds, verdict, self._training_rules
                ),
            }
        )
        replaced = await self._store.set_verdict(decided)
        if replaced is not None and replaced.verdict is verdict:
            return False  # a double click, or two deciders at once: the first one is audited
        before: dict[str, Any] = (
            {}
            if replaced is None
            else {
                "verdict": None if replaced.verdict is None else replaced.verdict.value,
                "attended": replaced.attended,
            }
        )
        after = {"verdict": verdict.value, "attended": decided.attended}
        await self._audit(
            actor, AuditAction.ATTENDANCE, f"{session.id}:{member_id}", before=before, after=after
        )
        return True

    # reads ----------------------------------------------------------------------------
    async def training_entries(
        self, actor: Member, query: LedgerQuery
    ) -> AsyncIterator[LedgerEntry]:
        """The ledger entries matching `query`, streamed in order (starts_at, session,
        member). Instructors and admins read anyone's; a member only their own profile's
        (`query.member_ids` must name only them: PermissionDenied otherwise, raised by the
        first step of the iteration, before any entry is read)."""
        require_reader(
            actor,
            query.member_ids,
            t("You can read only your own training record."),
            t("Type /training-log for yours."),
        )
        if not is_staff(actor):
            query = query.model_copy(update={"member_ids": [actor.id]})
        async for entry in self._store.read_ledger(query):
            yield entry

    async def training_log(self, actor: Member, member_id: str | None) -> ReplyOutcome:
        """`/training-log [member]`: the member's latest sessions (date, title, minutes,
        attended, verdict and by whom), classes attended this year and in all, minutes,
        and the current and best weekly streak."""
        target, name = actor.id, actor.display_name
        if member_id is not None and not require_reader(
            actor,
            [member_id.strip()],
            t("Only instructors and admins can read another member's training log."),
            t("Type /training-log for yours."),
        ):
            profile = await self._store.get_profile(member_id.strip())
            target = member_id.strip() if profile is None else profile.id
            name = target if profile is None else profile.display_name
        now = self.now()
        zone = _zone(actor.timezone)
        tally = TrainingTally(today=now.astimezone(zone).date(), zone=zone)
        async for entry in self.training_entries(actor, LedgerQuery(member_ids=[target])):
            tally.add(entry)
        if name == target and tally.latest:  # no profile: the name the ledger kept
            name = tally.latest[-1].member_name
        lines: list[str] = [messages.log_heading(name)]
        if tally.sessions == 0:
            lines.append(messages.log_empty())
            return ReplyOutcome(action="training_log", lines=lines)
        lines += messages.log_totals(tally)
        latest = tally.newest_first()
        names = await self._decider_names(latest)
        lines += [messages.log_line(e, tally, names) for e in latest]
        return ReplyOutcome(action="training_log", lines=lines)

    async def _decider_names(self, entries: list[LedgerEntry]) -> dict[str, str]:
        """Who set the verdicts of `entries`, by id: their profile's name, else the
        session's instructor name when it was them (two reads however many entries)."""
        deciders = sorted({e.verdict_by for e in entries if e.verdict_by is not None})
        if not deciders:
            return {}
        names = {i: p.display_name for i, p in (await self._store.get_profiles(deciders)).items()}
        unnamed = {e.session_id for e in entries if e.verdict_by and e.verdict_by not in names}
        for session in await self._store.get_sessions(sorted(unnamed)) if unnamed else []:
            names.setdefault(session.instructor_id, session.instructor_name)
        return names


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return ZoneInfo("UTC")
