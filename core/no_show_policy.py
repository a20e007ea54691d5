"""The no-show policy (pure rules, every one taking `now`).

After a session ends, a going member with no presence in the room is a no-show
(`core.attendance_report.absent_rsvps`, the one place for that rule); leaving inside the
late-cancel window before the start is a late cancel. Marks are always recorded; with the
policy `enabled`, `threshold` counting marks within `period` restrict the member's RSVPs to
the waitlist for `restriction` from the mark that reached the threshold. A waived mark, or a
no-show the instructor overrode with a PRESENT mark, does not count. The restriction is
computed from the marks each time (never stored), so a waiver lifts it at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.model import Model
from core.seat_marks import PENALISED, MarkKind, SeatMark


@dataclass(frozen=True)
class NoShowRules:
    """The association's no-show settings (`DOJOBOT_NO_SHOWS__…`); off by default."""

    enabled: bool = False
    """Off: marks are recorded and shown (`/my-record`) but nobody is DMed or restricted."""
    late_cancel_window: timedelta = timedelta(hours=2)
    threshold: int = 3
    period: timedelta = timedelta(days=30)
    restriction: timedelta = timedelta(days=14)
    late_cancels_count: bool = True
    """Whether late cancels count towards the threshold like no-shows."""
    waive_within: timedelta = timedelta(hours=24)
    """An admin may waive a mark up to this long after it was recorded."""
    admins: tuple[str, ...] = field(default_factory=tuple)
    """Member ids told of appeals (none: the session's channel is told)."""
    retention: timedelta | None = None
    """How long marks are kept; never less than `period` + `restriction` (the default)."""

    def kept_for(self) -> timedelta:
        """How long a mark is kept before the clean-up drops it."""
        least = self.period + self.restriction
        return least if self.retention is None else max(self.retention, least)


class Restriction(Model):
    """RSVPs go to the waitlist only from `started_at` (the mark that reached the threshold)
    until `ends_at`."""

    started_at: datetime
    ends_at: datetime


def is_late_cancel(start: datetime, now: datetime, rules: NoShowRules) -> bool:
    """Whether leaving now is a late cancel: from `late_cancel_window` before the start
    (that instant included) until the start."""
    return start - rules.late_cancel_window <= now < start


def overridden(marks: Iterable[SeatMark]) -> set[str]:
    """Sessions in which the member was marked present (their no-show does not count)."""
    return {m.session_id for m in marks if m.kind is MarkKind.PRESENT}


def counting(marks: Iterable[SeatMark], rules: NoShowRules) -> list[SeatMark]:
    """The marks that count towards a restriction, oldest first, one per session × kind
    (marks of linked identities are read together): not waived, no-shows not overridden
    by a PRESENT mark, late cancels only when `late_cancels_count`."""
    marks = list(marks)
    present = overridden(marks)
    kinds = PENALISED if rules.late_cancels_count else (MarkKind.NO_SHOW,)
    seen: set[tuple[str, MarkKind]] = set()
    found = []
    for mark in sorted(marks, key=lambda m: (m.created_at, m.session_id, m.kind.value)):
        key = (mark.session_id, mark.kind)
        if mark.kind not in kinds or mark.waived or key in seen:
            continue
        if mark.kind is MarkKind.NO_SHOW and mark.session_id in present:
            continue
        seen.add(key)
        found.append(mark)
    return found


def in_period(marks: Iterable[SeatMark], now: datetime, rules: NoShowRules) -> list[SeatMark]:
    """Marks recorded within `period` before `now` (a mark exactly `period` old is out)."""
    return [m for m in marks if now - rules.period < m.created_at <= now]


def restriction_at(
    marks: Iterable[SeatMark], now: datetime, rules: NoShowRules
) -> Restriction | None:
    """The restriction in force at `now`, if any: some counting mark M (at or before now)
    has `threshold` counting marks in (M − period, M], and M + restriction is after now.
    The latest-ending such restriction is returned. None while the policy is off."""
    if not rules.enabled or rules.threshold < 1:
        return None
    marks = [m for m in counting(marks, rules) if m.created_at <= now]
    best: Restriction | None = None
    for mark in marks:
        at = mark.created_at
        within = sum(1 for m in marks if at - rules.period < m.created_at <= at)
        ends = at + rules.restriction
        if within >= rules.threshold and ends > now and (best is None or ends > best.ends_at):
            best = Restriction(started_at=at, ends_at=ends)
    return best


def waivable(mark: SeatMark, now: datetime, rules: NoShowRules) -> bool:
    """Whether an admin may still waive `mark` (a penalised, unwaived mark at most
    `waive_within` old)."""
    return (
        mark.kind in PENALISED and not mark.waived and now <= mark.created_at + rules.waive_within
    )


def appealable(marks: Iterable[SeatMark], now: datetime, rules: NoShowRules) -> list[SeatMark]:
    """Marks the member may still appeal: counting ones not yet appealed that an admin may
    still waive at `now` (`waivable`), oldest first."""
    everything = NoShowRules(late_cancels_count=True, enabled=rules.enabled)
    return [
        m for m in counting(marks, everything) if m.appealed_at is None and waivable(m, now, rules)
    ]
