"""How far a member is toward their next rank: a pure computation over the ladder, their
promotions and their verified ledger entries (`core.ranks.RankProgress`)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, tzinfo

from core.ranks import Promotion, RankLadder, RankProgress, RankStep
from core.training_ledger import LedgerEntry


def current_promotion(ladder: RankLadder, promotions: Iterable[Promotion]) -> Promotion | None:
    """The latest promotion (by `promoted_on`, then `recorded_at`) to a rank on the ladder
    (a promotion to a rank since taken off the ladder is passed over)."""
    names = {step.name for step in ladder.steps}
    on_ladder = [p for p in promotions if p.rank in names]
    if not on_ladder:
        return None
    return max(on_ladder, key=lambda p: (p.promoted_on, p.recorded_at))


def counting_since(promotion: Promotion | None, zone: tzinfo = UTC) -> datetime | None:
    """The instant classes start counting: the start of the promotion's day in `zone`
    (None: no promotion, every class counts)."""
    if promotion is None:
        return None
    return datetime.combine(promotion.promoted_on, time(), zone).astimezone(UTC)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the month's end (Jan 31 + 1 month
    is Feb 28, or 29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def whole_months(start: date, today: date) -> int:
    """Whole calendar months from `start` to `today` (0 when `today` is not after it)."""
    if today <= start:
        return 0
    months = (today.year - start.year) * 12 + today.month - start.month
    while months > 0 and add_months(start, months) > today:
        months -= 1
    return months


def _counts(entry: LedgerEntry, step: RankStep | None) -> bool:
    if not entry.attended:
        return False
    if step is None or not step.class_types:
        return True
    wanted = {kind.casefold() for kind in step.class_types}
    return any(tag.casefold() in wanted for tag in entry.tags)


def progress(
    ladder: RankLadder,
    promotions: Sequence[Promotion],
    entries: Iterable[LedgerEntry],
    today: date,
    *,
    member_id: str | None = None,
    zone: tzinfo = UTC,
) -> RankProgress:
    """The member's progress: current rank (latest promotion on the ladder), the next step,
    attended classes since that promotion (all when none; only the next step's class types
    when it names some) and whole months since it (since the first attended class when
    none). `zone` is the association's calendar for class days; `member_id` defaults to the
    promotions' or the entries' member."""
    current = current_promotion(ladder, promotions)
    steps = ladder.steps
    position = -1
    if current is not None:
        position = next(i for i, step in enumerate(steps) if step.name == current.rank)
    step = steps[position + 1] if position + 1 < len(steps) else None
    since = counting_since(current, zone)
    done = 0
    first_class: date | None = None
    who = member_id
    for entry in entries:
        who = who or entry.member_id
        if since is not None and entry.starts_at < since:
            continue
        if entry.attended:
            day = entry.starts_at.astimezone(zone).date()
            first_class = day if first_class is None else min(first_class, day)
        if _counts(entry, step):
            done += 1
    who = who or next((p.member_id for p in promotions), "")
    start = current.promoted_on if current is not None else first_class
    return RankProgress(
        member_id=who,
        current_rank=None if current is None else current.rank,
        current_since=None if current is None else current.promoted_on,
        next_rank=None if step is None else step.name,
        classes_done=done,
        classes_needed=0 if step is None else step.min_classes,
        months_done=0 if start is None else whole_months(start, today),
        months_needed=0 if step is None else step.min_months,
    )
