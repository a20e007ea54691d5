"""Weekly timetables in wall-clock time: the hard cases of issue 14 (DST both ways in Berlin
and New York, Kathmandu's +05:45, Lord Howe's 30-minute DST, a class at 02:30 on the
spring-forward night, `until` inclusive, every other week, a series created after its first
class of the day has passed) and the bounds a series must keep."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.recurrence import WeeklyRule, check_rule, meeting_days, place, placements

MON, WED, SUN = 0, 2, 6
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def rule(
    days: set[int], at: str, zone: str, first: date, until: date, every: int = 1
) -> WeeklyRule:
    return WeeklyRule(
        weekdays=frozenset(days),
        local_time=time.fromisoformat(at),
        timezone=zone,
        first_day=first,
        until=until,
        interval_weeks=every,
    )


def year_of(series: WeeklyRule) -> list[datetime]:
    return [p.local_start for p in placements(series, NOW, NOW + timedelta(days=400))]


@pytest.mark.parametrize(
    ("zone", "winter", "summer"),
    [("Europe/Berlin", "16:30", "15:30"), ("America/New_York", "22:30", "21:30")],
)
def test_wall_clock_time_holds_across_both_dst_changes(zone: str, winter: str, summer: str) -> None:
    series = rule({MON, WED}, "17:30", zone, date(2026, 12, 2), date(2027, 11, 30))
    found = placements(series, NOW, NOW + timedelta(days=400))
    assert len(found) == 104  # 52 weeks x 2, Wed 2 Dec 2026 .. Mon 29 Nov 2027
    assert {p.local_start.strftime("%H:%M") for p in found} == {"17:30"}
    assert {p.local_start.weekday() for p in found} == {MON, WED}
    utc_times = {p.start.strftime("%H:%M") for p in found}
    assert utc_times == {winter, summer}
    assert not any(p.shifted or p.ambiguous for p in found)


def test_kathmandu_keeps_its_quarter_hour() -> None:
    series = rule({MON}, "17:30", "Asia/Kathmandu", date(2026, 12, 7), date(2027, 1, 31))
    found = placements(series, NOW, NOW + timedelta(days=90))
    assert [p.start.strftime("%H:%M") for p in found] == ["11:45"] * 8


def test_lord_howe_half_hour_gap_and_fold() -> None:
    gap = place(date(2027, 10, 3), time(2, 15), "Australia/Lord_Howe")  # 02:00 → 02:30
    assert gap.shifted and gap.local_start.strftime("%H:%M") == "02:30"
    assert gap.start == datetime(2027, 10, 2, 15, 30, tzinfo=UTC)
    fold = place(date(2027, 4, 4), time(1, 45), "Australia/Lord_Howe")  # 01:30-02:00 twice
    assert fold.ambiguous
    assert fold.start == datetime(2027, 4, 3, 14, 45, tzinfo=UTC)  # the first: +11:00


def test_a_class_at_0230_on_the_spring_forward_night_moves_to_0300_and_says_so() -> None:
    series = rule({SUN}, "02:30", "Europe/Berlin", date(2027, 3, 21), date(2027, 4, 4))
    found = placements(series, NOW, NOW + timedelta(days=200))
    assert [p.local_start.strftime("%d %H:%M") for p in found] == [
        "21 02:30",
        "28 03:00",
        "04 02:30",
    ]
    moved = found[1]
    assert moved.shifted and moved.start == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    note = moved.note(series)
    assert note is not None and "02:30 doesn't exist" in note and "03:00" in note
    assert found[0].note(series) is None


def test_a_class_in_the_fall_back_hour_takes_the_first_and_says_which() -> None:
    fold = place(date(2027, 10, 31), time(2, 30), "Europe/Berlin")
    assert fold.ambiguous and fold.start == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    series = rule({SUN}, "02:30", "Europe/Berlin", date(2027, 10, 31), date(2027, 10, 31))
    note = fold.note(series)
    assert note is not None and "(UTC+02:00)" in note and "happens twice" in note


def test_until_is_inclusive_and_every_other_week_counts_from_the_first_week() -> None:
    series = rule({MON, WED}, "18:00", "UTC", date(2026, 12, 2), date(2026, 12, 30), every=2)
    days = meeting_days(series, date(2026, 11, 1), date(2027, 2, 1))
    assert days == [
        date(2026, 12, 2),
        date(2026, 12, 14),
        date(2026, 12, 16),
        date(2026, 12, 28),
        date(2026, 12, 30),
    ]


def test_a_series_created_after_todays_class_starts_next_time() -> None:
    now = datetime(2026, 12, 2, 19, 0, tzinfo=UTC)  # Wednesday, after 17:30 UTC
    series = rule({WED}, "17:30", "UTC", date(2026, 12, 2), date(2026, 12, 31))
    first = placements(series, now, now + timedelta(days=30))[0]
    assert first.day == date(2026, 12, 9)


@pytest.mark.parametrize(
    ("series", "says"),
    [
        (rule(set(), "18:00", "UTC", date(2026, 12, 2), date(2027, 1, 1)), "at least one day"),
        (rule({MON}, "18:00", "UTC", date(2027, 1, 1), date(2026, 12, 31)), "before it starts"),
        (rule({MON}, "18:00", "UTC", date(2026, 12, 2), date(2029, 1, 1)), "two years"),
        (rule({MON}, "18:00", "UTC", date(2026, 12, 2), date(2027, 1, 1), every=5), "1 to 4"),
        (rule({SUN}, "18:00", "UTC", date(2026, 12, 1), date(2026, 12, 5)), "no class"),
    ],
)
def test_bounds_refused_with_what_to_type(series: WeeklyRule, says: str) -> None:
    with pytest.raises(InvalidInput, match=says) as refused:
        check_rule(series, NOW)
    assert refused.value.hint is not None and "every mon,wed 17:30" in refused.value.hint


def test_a_good_rule_passes() -> None:
    series = rule({MON}, "18:00", "UTC", date(2026, 12, 2), date(2028, 11, 30))
    assert check_rule(series, NOW) is series
    assert len(year_of(series)) == 57


@given(
    days=st.sets(st.integers(0, 6), min_size=1),
    every=st.integers(1, 4),
    start=st.dates(date(2026, 1, 1), date(2027, 12, 31)),
    length=st.integers(0, 200),
    offset=st.integers(-30, 60),
    span=st.integers(0, 90),
)
def test_meeting_days_are_every_matching_day(
    days: set[int], every: int, start: date, length: int, offset: int, span: int
) -> None:
    series = rule(days, "18:00", "UTC", start, start + timedelta(days=length), every)
    first = start + timedelta(days=offset)
    last = first + timedelta(days=span)
    monday = start - timedelta(days=start.weekday())
    naive = [
        d
        for d in (first + timedelta(days=i) for i in range(span + 1))
        if start <= d <= series.until
        and d.weekday() in days
        and ((d - monday).days // 7) % every == 0
    ]
    assert meeting_days(series, first, last) == naive
