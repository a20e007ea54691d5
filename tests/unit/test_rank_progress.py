"""The pure rank-progress computation (`core.rank_progress.progress`): current and next
rank, classes counted since the promotion (by class type), whole calendar months."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.rank_progress import add_months, progress, whole_months
from core.ranks import Promotion, RankLadder, RankStep
from core.training_ledger import LedgerEntry

LADDER = RankLadder(
    steps=(
        RankStep("White"),
        RankStep("Orange", min_classes=10, min_months=2),
        RankStep("Yellow", min_classes=24, min_months=3, class_types=("kihon", "Kumite")),
    )
)


def promoted(rank: str, on: date, recorded: int = 0) -> Promotion:
    return Promotion(
        id=f"p-{rank}-{on}",
        member_id="t:ana",
        rank=rank,
        promoted_on=on,
        recorded_by="t:sensei",
        recorded_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=recorded),
    )


def entry(at: datetime, attended: bool = True, tags: tuple[str, ...] = ()) -> LedgerEntry:
    return LedgerEntry(
        session_id=f"s-{at.isoformat()}",
        member_id="t:ana",
        member_name="ana",
        title="Kata",
        tags=list(tags),
        instructor_id="t:sensei",
        starts_at=at,
        session_seconds=3600,
        seconds_present=3600 if attended else 0,
        attended=attended,
        recorded_at=at,
    )


def on(day: date, hour: int = 18) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_counts_classes_and_months_since_the_current_promotion() -> None:
    promotions = [promoted("White", date(2026, 1, 5)), promoted("Orange", date(2026, 3, 10))]
    entries = [
        entry(on(date(2026, 3, 9)), tags=("kihon",)),  # before the promotion
        entry(on(date(2026, 3, 10)), tags=("kihon",)),  # the promotion's day counts
        entry(on(date(2026, 4, 1)), tags=("KUMITE",)),  # class types ignore case
        entry(on(date(2026, 4, 2)), tags=("kata",)),  # another type
        entry(on(date(2026, 4, 3)), attended=False, tags=("kihon",)),
    ]
    result = progress(LADDER, promotions, entries, date(2026, 6, 9))
    assert result.member_id == "t:ana"
    assert (result.current_rank, result.current_since) == ("Orange", date(2026, 3, 10))
    assert result.next_rank == "Yellow"
    assert (result.classes_done, result.classes_needed) == (2, 24)
    assert (result.months_done, result.months_needed) == (2, 3)  # 10 Mar → 9 Jun
    assert not result.eligible


def test_no_promotion_counts_every_class_toward_the_first_rank_from_the_first_class() -> None:
    entries = [entry(on(date(2026, 1, 31))), entry(on(date(2026, 2, 2)), attended=False)]
    result = progress(LADDER, [], entries, date(2026, 2, 28))
    assert result.current_rank is None and result.next_rank == "White"
    assert (result.classes_done, result.months_done) == (1, 1)  # 31 Jan + 1 month = 28 Feb
    assert result.eligible


def test_top_of_the_ladder_has_no_next_rank_and_is_never_eligible() -> None:
    result = progress(LADDER, [promoted("Yellow", date(2026, 1, 1))], [], date(2026, 9, 1))
    assert (result.current_rank, result.next_rank) == ("Yellow", None)
    assert (result.classes_needed, result.months_needed, result.months_done) == (0, 0, 8)
    assert not result.eligible


def test_no_ladder_means_no_rank_and_no_next() -> None:
    entries = [entry(on(date(2026, 1, 2)))]
    result = progress(
        RankLadder(), [promoted("White", date(2026, 1, 1))], entries, date(2026, 2, 1)
    )
    assert (result.current_rank, result.next_rank, result.classes_done) == (None, None, 1)
    assert not result.eligible


def test_a_rank_taken_off_the_ladder_falls_back_to_the_latest_one_still_on_it() -> None:
    promotions = [
        promoted("Orange", date(2026, 2, 1)),
        promoted("Purple", date(2026, 5, 1)),  # no longer on the ladder
    ]
    result = progress(LADDER, promotions, [], date(2026, 5, 2))
    assert (result.current_rank, result.next_rank) == ("Orange", "Yellow")


def test_a_same_day_promotion_recorded_later_wins() -> None:
    day = date(2026, 2, 1)
    promotions = [promoted("Orange", day, recorded=5), promoted("White", day, recorded=1)]
    assert progress(LADDER, promotions, [], day).current_rank == "Orange"


def test_class_days_are_read_in_the_association_zone() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    promotions = [promoted("White", date(2026, 3, 10))]
    late = datetime(2026, 3, 9, 16, tzinfo=UTC)  # 10 Mar 01:00 in Tokyo
    assert progress(LADDER, promotions, [entry(late)], date(2026, 3, 11)).classes_done == 0
    counted = progress(LADDER, promotions, [entry(late)], date(2026, 3, 11), zone=tokyo)
    assert counted.classes_done == 1


def test_month_arithmetic_clamps_to_the_end_of_the_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert whole_months(date(2026, 1, 31), date(2026, 2, 27)) == 0
    assert whole_months(date(2026, 1, 31), date(2026, 2, 28)) == 1
    assert whole_months(date(2026, 1, 31), date(2026, 3, 30)) == 1
    assert whole_months(date(2026, 1, 31), date(2026, 3, 31)) == 2
    assert whole_months(date(2026, 5, 15), date(2026, 5, 1)) == 0
    assert whole_months(date(2025, 12, 15), date(2026, 12, 15)) == 12
