"""The training pages' chart data: weeks, heatmap buckets, per-session counts and the
no-show rate, the overview's weeks and busiest classes."""

from __future__ import annotations

import importlib
import sys
import warnings
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from adapters.web.chart_data import (
    class_stats,
    heat_level,
    member_stats,
    overview_stats,
    weeks_between,
)
from adapters.web.training_charts import bar_chart
from core.ledger_summary import summarize
from core.local_days import week_of
from core.training_ledger import LedgerEntry
from core.training_page_use_cases import week_bounds

UTC_ZONE = ZoneInfo("UTC")


def entry(
    member: str,
    at: datetime,
    minutes: int,
    attended: bool = True,
    session: str | None = None,
    series: str | None = "c-1",
    title: str = "Kata",
) -> LedgerEntry:
    return LedgerEntry(
        session_id=session or f"s-{at:%Y%m%d%H}",
        member_id=member,
        member_name=member.upper(),
        title=title,
        series_id=series,
        instructor_id="t:sensei",
        starts_at=at,
        session_seconds=3600,
        seconds_present=minutes * 60,
        attended=attended,
        recorded_at=at + timedelta(hours=1),
    )


def test_weeks_start_on_monday_and_cover_both_ends() -> None:
    assert week_of(date(2026, 12, 2)) == date(2026, 11, 30)  # a Wednesday → its Monday
    assert week_of(date(2026, 11, 30)) == date(2026, 11, 30)
    weeks = weeks_between(date(2026, 11, 29), date(2026, 12, 14))
    assert weeks == [date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14)]


def test_heat_levels_bucket_minutes() -> None:
    assert [heat_level(m) for m in (0, 1, 29, 30, 59, 60, 89, 90, 300)] == [
        0, 1, 1, 2, 2, 3, 3, 4, 4,
    ]  # fmt: skip


def test_member_year_counts_only_attended_minutes_per_local_day_and_week() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    today = date(2026, 12, 2)
    entries = [
        # 23:30 UTC on Monday 30 Nov is Tuesday 1 Dec in Berlin
        entry("ana", datetime(2026, 11, 30, 23, 30, tzinfo=UTC), 45),
        entry("ana", datetime(2026, 12, 1, 18, 0, tzinfo=UTC), 60),
        entry("ana", datetime(2026, 12, 2, 8, 0, tzinfo=UTC), 50, attended=False),
        entry("ana", datetime(2025, 1, 1, 8, 0, tzinfo=UTC), 60),  # before the year shown
    ]
    stats = member_stats(entries, today, berlin)
    by_day = {d.day: d for d in stats.days}
    assert by_day[date(2026, 12, 1)].minutes == 105
    assert by_day[date(2026, 12, 1)].level == 4
    assert by_day[date(2026, 11, 30)].minutes == 0
    assert by_day[date(2026, 12, 2)].minutes == 0  # not attended: no heat
    assert stats.days[0].day == stats.first == date(2025, 12, 1)  # 52 weeks before this Monday
    assert stats.days[-1].day == today
    assert len(stats.weeks) == 53
    assert stats.weeks[-1] == (date(2026, 11, 30), 105)
    assert (stats.classes, stats.minutes) == (2, 105)
    assert stats.months == [(date(2026, 12, 1), 2, 105)]


def test_class_counts_going_present_no_shows_and_rate() -> None:
    s1, s2 = datetime(2026, 11, 23, 18, tzinfo=UTC), datetime(2026, 11, 30, 18, tzinfo=UTC)
    held = [
        # 3 going; 2 attended (one came without an RSVP); 2 entries with no presence
        ("s-1", s1, 3, 2, 2),
        ("s-2", s2, 1, 1, 0),
        ("s-3", s2, 1, 0, 3),  # more no-presence entries than going RSVPs: capped
    ]
    stats = class_stats(held, date(2026, 11, 23), date(2026, 12, 2), UTC_ZONE)
    assert [(s.going, s.present, s.no_shows) for s in stats.sessions] == [
        (3, 2, 2),
        (1, 1, 0),
        (1, 0, 1),
    ]
    assert (stats.going, stats.no_shows) == (5, 3)
    assert stats.no_show_rate == 0.6
    assert stats.weeks == [(date(2026, 11, 23), 2), (date(2026, 11, 30), 1)]


def test_no_show_rate_is_none_without_going_rsvps() -> None:
    stats = class_stats([], date(2026, 11, 23), date(2026, 11, 23), UTC_ZONE)
    assert stats.no_show_rate is None


def test_overview_weeks_start_on_local_mondays_and_count_through_the_store_summary() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    now = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)  # Wednesday 05:00 in Tokyo
    bounds = week_bounds(now, "Asia/Tokyo", 2)
    assert [b.astimezone(tokyo).strftime("%a %Y-%m-%d %H:%M") for b in bounds] == [
        "Mon 2026-11-23 00:00",
        "Mon 2026-11-30 00:00",
        "Mon 2026-12-07 00:00",
    ]
    entries = [
        entry("ana", datetime(2026, 11, 29, 16, tzinfo=UTC), 60, session="s-1"),  # Mon 01:00
        entry("ben", datetime(2026, 11, 29, 14, tzinfo=UTC), 60, session="s-0"),  # Sun 23:00
        entry("cal", datetime(2026, 11, 29, 16, tzinfo=UTC), 0, False, session="s-1"),
    ]
    stats = overview_stats(summarize(entries, bounds, 5), tokyo)
    assert stats.weeks == [(date(2026, 11, 23), 1, 1), (date(2026, 11, 30), 1, 1)]
    assert stats.busiest == [("Kata", 2)]


def test_drawing_a_chart_leaves_no_import_hook_that_warns_on_failed_imports() -> None:
    # pygal adds an old-style finder to sys.meta_path for its map plugins: every failed
    # import would then warn (ImportWarning, an error under the suite's filterwarnings)
    svg = bar_chart("t", ["a", "b"], [("x", [1, 2])], "#1d4ed8")
    assert svg.lstrip().startswith(("<?xml", "<svg"))
    assert not [f for f in sys.meta_path if not hasattr(f, "find_spec")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module("no_such_module_for_dojobot")
