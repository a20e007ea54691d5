"""A weekly class's calendar file, read back by an independent RFC 5545 expander
(`recurring-ical-events`): expanding it over a year gives exactly our occurrences, across
DST changes, skips, cancels, one-off edits and splits; SEQUENCE grows with every change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events  # type: ignore[import-untyped]
from icalendar import Calendar

from core.commands import (
    EndSeries,
    ScheduleSeries,
    SeriesScope,
    SkipDay,
    UpdateSeries,
    UpdateSession,
)
from core.recurrence import WeeklyRule, meeting_days, place
from core.series import occurrence_id
from tests.adapters.web.pages.conftest import ORIGIN, SENSEI, Site

MON, WED, THU, SUN = 0, 2, 3, 6
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
YEAR_START = datetime(2026, 11, 1, tzinfo=UTC)
YEAR_END = datetime(2027, 12, 31, tzinfo=UTC)


async def ics(site: Site, series_id: str) -> Calendar:
    response = await site.client.get(f"/series/{series_id}.ics")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(await response.read())


def expanded(calendar: Calendar) -> list[tuple[datetime, str]]:
    """Every occurrence the calendar describes (UTC start, title), as a calendar app sees it."""
    found: list[Any] = recurring_ical_events.of(calendar).between(YEAR_START, YEAR_END)
    return sorted(
        (e.decoded("DTSTART").astimezone(UTC), str(e["SUMMARY"]))
        for e in found
        if e.get("STATUS") != "CANCELLED"
    )


def scheduled(
    rule: WeeklyRule, title: str, without: frozenset[date] | set[date] = frozenset()
) -> list[tuple[datetime, str]]:
    """Our own occurrences of `rule` (core's placement), minus `without`."""
    days = meeting_days(rule, rule.first_day, rule.until)
    return [
        (place(d, rule.local_time, rule.timezone).start, title) for d in days if d not in without
    ]


def exdates(event: Any) -> set[datetime]:
    value = event.get("EXDATE", [])
    return {d.dt for line in (value if isinstance(value, list) else [value]) for d in line.dts}


def sequences(calendar: Calendar) -> dict[str, int]:
    return {
        str(e["UID"]): int(e.decoded("SEQUENCE"))
        for e in calendar.walk("VEVENT")
        if "RECURRENCE-ID" not in e
    }


def kids(**changes: object) -> ScheduleSeries:
    fields: dict[str, object] = {
        "title": "Kids karate",
        "weekdays": [MON, WED],
        "local_time": time(17, 30),
        "timezone": "Europe/Berlin",
        "until": date(2027, 11, 30),
    }
    return ScheduleSeries.model_validate(fields | changes)


async def test_berlin_class_expands_to_exactly_our_occurrences_minus_skips_and_cancels(
    site: Site,
) -> None:
    plan = await site.service.schedule_series(SENSEI, kids(), ORIGIN)
    root = plan.series.root_id
    await site.service.skip_day(SENSEI, SkipDay(series_id=root, day=date(2026, 12, 23)))
    await site.service.cancel(SENSEI, occurrence_id(root, date(2026, 12, 14)), "Dojo flooded")
    moved = occurrence_id(root, date(2026, 12, 16))
    new_start = datetime(2026, 12, 17, 18, 0, tzinfo=BERLIN)
    await site.service.update(
        SENSEI, UpdateSession(session_id=moved, start_time=new_start, title="Kids gala")
    )

    calendar = await ics(site, root)
    masters = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e]
    assert len(masters) == 1
    [master] = masters
    assert master.decoded("DTSTART") == datetime(2026, 12, 2, 17, 30, tzinfo=BERLIN)
    assert master["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    rrule: Any = master["RRULE"]
    assert rrule["FREQ"] == ["WEEKLY"] and rrule["BYDAY"] == ["MO", "WE"]
    assert rrule["INTERVAL"] == [1]
    assert exdates(master) == {
        datetime(2026, 12, 14, 17, 30, tzinfo=BERLIN),
        datetime(2026, 12, 23, 17, 30, tzinfo=BERLIN),
    }
    [override] = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert override.decoded("RECURRENCE-ID") == datetime(2026, 12, 16, 17, 30, tzinfo=BERLIN)
    assert override["UID"] == master["UID"]

    rule = plan.series.rule
    skipped = {date(2026, 12, 14), date(2026, 12, 16), date(2026, 12, 23)}
    expected = sorted(
        [*scheduled(rule, "Kids karate", skipped), (new_start.astimezone(UTC), "Kids gala")]
    )
    assert expanded(calendar) == expected
    local = {
        s.astimezone(BERLIN).strftime("%H:%M")
        for s, title in expanded(calendar)
        if title != "Kids gala"
    }
    assert local == {"17:30"}  # across both DST changes (28 Mar and 31 Oct 2027)
    offsets = {s.astimezone(BERLIN).utcoffset() for s, _ in expanded(calendar)}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}


async def test_new_york_split_twice_gives_one_vevent_per_segment_and_our_occurrences(
    site: Site,
) -> None:
    plan = await site.service.schedule_series(
        SENSEI,
        kids(weekdays=[THU], local_time=time(19, 0), timezone="America/New_York", title="Kata"),
        ORIGIN,
    )
    root = plan.series.root_id
    first_split, second_split = date(2027, 1, 14), date(2027, 4, 1)
    await site.service.update_series(
        SENSEI,
        UpdateSeries(
            series_id=root,
            scope=SeriesScope.FOLLOWING,
            from_day=first_split,
            local_time=time(18, 0),
        ),
    )
    await site.service.update_series(
        SENSEI,
        UpdateSeries(
            series_id=root,
            scope=SeriesScope.FOLLOWING,
            from_day=second_split,
            weekdays=[MON, THU],
        ),
    )
    segments, _, _ = await site.service.series_history(root)
    assert len(segments) == 3

    calendar = await ics(site, root)
    masters = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e]
    assert len({str(m["UID"]) for m in masters}) == 3
    expected = sorted(p for segment in segments for p in scheduled(segment.rule, "Kata"))
    assert expanded(calendar) == expected
    starts = [s.astimezone(NEW_YORK) for s, _ in expected]
    assert {s.strftime("%H:%M") for s in starts if s.date() < first_split} == {"19:00"}
    assert {s.strftime("%H:%M") for s in starts if s.date() >= first_split} == {"18:00"}
    assert {s.strftime("%a") for s in starts if s.date() >= second_split} == {"Mon", "Thu"}
    # across both of New York's DST changes (14 Mar and 7 Nov 2027)
    assert {s.utcoffset() for s in starts} == {timedelta(hours=-5), timedelta(hours=-4)}


async def test_sequence_grows_on_every_change_and_an_ended_class_stops(site: Site) -> None:
    plan = await site.service.schedule_series(SENSEI, kids(), ORIGIN)
    root = plan.series.root_id
    seen = [max(sequences(await ics(site, root)).values())]

    async def changed() -> None:
        seen.append(max(sequences(await ics(site, root)).values()))
        assert seen[-1] > seen[-2], seen

    await site.service.skip_day(SENSEI, SkipDay(series_id=root, day=date(2026, 12, 9)))
    await changed()
    await site.service.cancel(SENSEI, occurrence_id(root, date(2026, 12, 7)))
    await changed()
    await site.service.update_series(SENSEI, UpdateSeries(series_id=root, title="Kids kumite"))
    await changed()
    one_off = occurrence_id(root, date(2026, 12, 14))
    await site.service.update(SENSEI, UpdateSession(session_id=one_off, duration_minutes=90))
    await changed()
    site.clock.advance(timedelta(days=10))  # Fri 11 Dec
    await site.service.end_series(SENSEI, EndSeries(series_id=root, reason="Moving"))
    await changed()

    calendar = await ics(site, root)
    starts = [s for s, _ in expanded(calendar)]
    assert starts[0] == datetime(2026, 12, 2, 16, 30, tzinfo=UTC)
    assert max(starts) < site.clock.now()  # nothing after the end


async def test_a_class_in_the_spring_forward_gap_is_an_override_at_our_time(site: Site) -> None:
    plan = await site.service.schedule_series(
        SENSEI, kids(weekdays=[SUN], local_time=time(2, 30), until=date(2027, 5, 30)), ORIGIN
    )
    calendar = await ics(site, plan.series.root_id)
    gap_day = [s for s, _ in expanded(calendar) if s.astimezone(BERLIN).date() == date(2027, 3, 28)]
    assert [s.astimezone(BERLIN).strftime("%H:%M") for s in gap_day] == ["03:00"]
    assert expanded(calendar) == scheduled(plan.series.rule, "Kids karate")


async def test_an_occurrence_page_links_the_class_calendar(site: Site) -> None:
    plan = await site.service.schedule_series(SENSEI, kids(), ORIGIN)
    root = plan.series.root_id
    page = await (
        await site.client.get(f"/sessions/{occurrence_id(root, date(2026, 12, 2))}")
    ).text()
    assert f'href="/series/{root}.ics"' in page
    assert (await site.client.get("/series/nope.ics")).status == 404


@pytest.mark.parametrize(
    ("zone", "weekday", "at"),
    [
        ("Asia/Kathmandu", MON, time(18, 45)),  # +05:45, no DST
        ("Australia/Lord_Howe", SUN, time(2, 15)),  # 30-minute DST: 02:15 is skipped in Oct
        ("America/New_York", SUN, time(1, 30)),  # happens twice in Nov: the first is taken
    ],
)
async def test_odd_zones_expand_to_our_occurrences(
    site: Site, zone: str, weekday: int, at: time
) -> None:
    plan = await site.service.schedule_series(
        SENSEI, kids(weekdays=[weekday], local_time=at, timezone=zone), ORIGIN
    )
    calendar = await ics(site, plan.series.root_id)
    assert expanded(calendar) == scheduled(plan.series.rule, "Kids karate")
