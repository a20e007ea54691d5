"""core.timeparse: natural times, durations, zones and rendering, all against fixed `now`s."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import InvalidInput
from core.timeparse import (
    DURATION_HINT,
    TIME_HINT,
    ZONE_HINT,
    format_duration,
    format_when,
    is_duration,
    is_month,
    is_time_part,
    is_time_word,
    parse_duration,
    parse_when,
    split_when,
    valid_timezone,
)

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # Tue; 11:00 CET in Berlin
YEAR_END = datetime(2026, 12, 30, 12, 0, tzinfo=UTC)  # Wed
SPRING = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)  # Sat before Berlin's 02:00→03:00 jump
FALL = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)  # Sat before Berlin's 03:00→02:00 fall-back


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# ---------------------------------------------------------------- parse_when: accepted


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        # relative days
        ("tomorrow 18:00", BERLIN, utc(2026, 11, 25, 17)),
        ("TOMORROW 18:00", BERLIN, utc(2026, 11, 25, 17)),
        ("tomorrow at 6 pm", BERLIN, utc(2026, 11, 25, 17)),
        ("tomorrow 6:30pm", BERLIN, utc(2026, 11, 25, 17, 30)),
        ("tomorrow 6 p.m.", BERLIN, utc(2026, 11, 25, 17)),
        ("tomorrow 12am", BERLIN, utc(2026, 11, 24, 23)),
        ("tomorrow 12pm", BERLIN, utc(2026, 11, 25, 11)),
        ("18:00 tomorrow", BERLIN, utc(2026, 11, 25, 17)),
        ("today 7pm", BERLIN, utc(2026, 11, 24, 18)),
        ("tonight 7:30", BERLIN, utc(2026, 11, 24, 18, 30)),
        ("tonight 19:30", BERLIN, utc(2026, 11, 24, 18, 30)),
        ("tonight 7am", BERLIN, utc(2026, 11, 24, 6)),
        # ISO dates, optional own zone
        ("2026-12-01 18:00", BERLIN, utc(2026, 12, 1, 17)),
        ("2026-12-01T18:00", BERLIN, utc(2026, 12, 1, 17)),
        ("2026/12/01 18:00", BERLIN, utc(2026, 12, 1, 17)),
        ("2026-12-01 18:00 Europe/Berlin", "UTC", utc(2026, 12, 1, 17)),
        ("2026-12-01 18:00 europe/berlin", "UTC", utc(2026, 12, 1, 17)),
        ("2026-12-01 18:00 America/New_York", BERLIN, utc(2026, 12, 1, 23)),
        ("2026-12-01 18:00 UTC", BERLIN, utc(2026, 12, 1, 18)),
        ("2026-12-01 18:00 GMT", BERLIN, utc(2026, 12, 1, 18)),
        ("2026-12-01 18:00 Z", BERLIN, utc(2026, 12, 1, 18)),
        ("2026-12-01T18:00Z", BERLIN, utc(2026, 12, 1, 18)),
        ("2026-12-01T18:00+01:00", "UTC", utc(2026, 12, 1, 17)),
        ("2026-12-01T18:00:00-05:00", BERLIN, utc(2026, 12, 1, 23)),
        ("2026-12-01 18:00+0100", "UTC", utc(2026, 12, 1, 17)),
        ("2020-01-01 18:00", "UTC", utc(2020, 1, 1, 18)),  # the past is the service's call
        # calendar dates without a year: next occurrence
        ("1 Dec 18:00", BERLIN, utc(2026, 12, 1, 17)),
        ("Dec 1 18:00", BERLIN, utc(2026, 12, 1, 17)),
        ("dec 1, 18:00", BERLIN, utc(2026, 12, 1, 17)),
        ("1st December 18:00", BERLIN, utc(2026, 12, 1, 17)),
        ("on 1 dec at 6pm", BERLIN, utc(2026, 12, 1, 17)),
        ("6pm on 1 dec", BERLIN, utc(2026, 12, 1, 17)),
        ("18:00 1 dec", BERLIN, utc(2026, 12, 1, 17)),
        ("1 dec 2027 18:00", BERLIN, utc(2027, 12, 1, 17)),
        ("Dec 1 2027 18:00", BERLIN, utc(2027, 12, 1, 17)),
        ("23 nov 18:00", "UTC", utc(2027, 11, 23, 18)),  # yesterday → next year
        ("24 nov 18:00", "UTC", utc(2026, 11, 24, 18)),  # today counts
        ("29 feb 18:00", "UTC", utc(2028, 2, 29, 18)),  # waits for a leap year
        ("sept 3 9am", "UTC", utc(2027, 9, 3, 9)),
        # weekdays: strictly after today (NOW is a Tuesday)
        ("friday 18:00", BERLIN, utc(2026, 11, 27, 17)),
        ("fri 6pm", BERLIN, utc(2026, 11, 27, 17)),
        ("next fri 6pm", BERLIN, utc(2026, 11, 27, 17)),
        ("this Friday 18:00", BERLIN, utc(2026, 11, 27, 17)),
        ("on friday at 18:00", BERLIN, utc(2026, 11, 27, 17)),
        ("fri, 6pm", BERLIN, utc(2026, 11, 27, 17)),
        ("tuesday 18:00", BERLIN, utc(2026, 12, 1, 17)),
        ("mon 07:00", BERLIN, utc(2026, 11, 30, 6)),
        # a time of day alone: today if ahead, else tomorrow (now is 11:00 in Berlin)
        ("18:00", BERLIN, utc(2026, 11, 24, 17)),
        ("at 18:00", BERLIN, utc(2026, 11, 24, 17)),
        ("09:00", BERLIN, utc(2026, 11, 25, 8)),
        ("11:00", BERLIN, utc(2026, 11, 25, 10)),
        ("noon", BERLIN, utc(2026, 11, 24, 11)),
        ("midnight", BERLIN, utc(2026, 11, 24, 23)),
        ("10:30", "UTC", utc(2026, 11, 24, 10, 30)),
        ("18:00 UTC", BERLIN, utc(2026, 11, 24, 18)),
        ("  tomorrow   18:00  ", BERLIN, utc(2026, 11, 25, 17)),
        # relative
        ("in 2 hours", BERLIN, utc(2026, 11, 24, 12)),
        ("in 90 minutes", BERLIN, utc(2026, 11, 24, 11, 30)),
        ("in 2h30m", BERLIN, utc(2026, 11, 24, 12, 30)),
        ("in 2h 30m", BERLIN, utc(2026, 11, 24, 12, 30)),
        ("in 1 hour and 30 minutes", BERLIN, utc(2026, 11, 24, 11, 30)),
        ("in an hour", BERLIN, utc(2026, 11, 24, 11)),
        ("in 3 days", BERLIN, utc(2026, 11, 27, 10)),
        ("in 1 week", BERLIN, utc(2026, 12, 1, 10)),
        ("In 2 Hours", BERLIN, utc(2026, 11, 24, 12)),
    ],
)
def test_parse_when_accepts(text: str, tz: str, expected: datetime) -> None:
    result = parse_when(text, NOW, tz)
    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 jan 18:00", utc(2027, 1, 1, 18)),
        ("jan 1 18:00", utc(2027, 1, 1, 18)),
        ("tomorrow 18:00", utc(2026, 12, 31, 18)),
        ("fri 18:00", utc(2027, 1, 1, 18)),
        ("in 3 days", utc(2027, 1, 2, 12)),
        ("30 dec 09:00", utc(2026, 12, 30, 9)),  # today's date is kept even if the hour passed
        ("29 dec 18:00", utc(2027, 12, 29, 18)),
        ("31 dec 23:30", utc(2026, 12, 31, 23, 30)),
        ("in 2 days", utc(2027, 1, 1, 12)),
    ],
)
def test_parse_when_across_the_year_boundary(text: str, expected: datetime) -> None:
    assert parse_when(text, YEAR_END, "UTC") == expected


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        # spring forward: Sun 29 Mar 2026, 02:00 CET → 03:00 CEST
        ("tomorrow 01:30", SPRING, utc(2026, 3, 29, 0, 30)),  # still CET
        ("tomorrow 03:30", SPRING, utc(2026, 3, 29, 1, 30)),  # already CEST
        ("tomorrow 18:00", SPRING, utc(2026, 3, 29, 16)),
        ("in 1 day", SPRING, utc(2026, 3, 29, 11)),  # keeps 13:00 wall time: 23 h later
        ("in 24 hours", SPRING, utc(2026, 3, 29, 12)),  # exact elapsed time
        # `in N days` landing in the gap shifts forward (02:30 CET Sat → 03:30 CEST Sun)
        ("in 1 day", utc(2026, 3, 28, 1, 30), utc(2026, 3, 29, 1, 30)),
        # after the jump on the day itself, 02:30 alone means tomorrow's 02:30
        ("02:30", utc(2026, 3, 29, 3), utc(2026, 3, 30, 0, 30)),
        # fall back: Sun 25 Oct 2026, 03:00 CEST → 02:00 CET; 02:xx happens twice
        ("tomorrow 02:30", FALL, utc(2026, 10, 25, 0, 30)),  # first pass (fold=0, CEST)
        ("tomorrow 18:00", FALL, utc(2026, 10, 25, 17)),  # CET
        ("in 1 day", FALL, utc(2026, 10, 25, 13)),  # keeps 14:00 wall time: 25 h later
        # during the second pass (02:15 CET), 02:45 alone is 30 minutes away, not tomorrow
        ("02:45", utc(2026, 10, 25, 1, 15), utc(2026, 10, 25, 1, 45)),
        # during the first pass (02:15 CEST), 02:45 is the first pass too
        ("02:45", utc(2026, 10, 25, 0, 15), utc(2026, 10, 25, 0, 45)),
    ],
)
def test_parse_when_around_berlin_dst(text: str, now: datetime, expected: datetime) -> None:
    assert parse_when(text, now, BERLIN) == expected


def test_parse_when_truncates_relative_times_to_the_minute() -> None:
    now = datetime(2026, 11, 24, 10, 0, 45, 123456, tzinfo=UTC)
    assert parse_when("in 90 minutes", now, "UTC") == utc(2026, 11, 24, 11, 30)


def test_parse_when_uses_the_zone_for_today() -> None:
    # 23:30 UTC on the 24th is already the 25th in Berlin
    late = utc(2026, 11, 24, 23, 30)
    assert parse_when("today 18:00", late, BERLIN) == utc(2026, 11, 25, 17)
    assert parse_when("today 18:00", late, "UTC") == utc(2026, 11, 24, 18)


def test_parse_when_refuses_a_naive_now() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_when("18:00", datetime(2026, 11, 24, 10), "UTC")


# ---------------------------------------------------------------- parse_when: refused


@pytest.mark.parametrize(
    ("text", "tz", "message", "hint"),
    [
        ("", "UTC", "No time given.", TIME_HINT),
        ("   ", "UTC", "No time given.", TIME_HINT),
        (
            "tmorrow 18:00",
            "UTC",
            'Could not understand the time "tmorrow 18:00" (lost at "tmorrow").',
            TIME_HINT,
        ),
        ("blah", "UTC", 'Could not understand the time "blah".', TIME_HINT),
        (
            "tomorrow 18:00 18:00",
            "UTC",
            'Could not understand the time "tomorrow 18:00 18:00" (lost at "18:00").',
            TIME_HINT,
        ),
        ("1/12 18:00", "UTC", '(lost at "1/12")', TIME_HINT),  # ambiguous d/m is not read
        ("in 90", "UTC", 'Could not understand the time "in 90" (lost at "90").', TIME_HINT),
        ("in", "UTC", 'Could not understand the time "in".', TIME_HINT),
        ("in 0 minutes", "UTC", '(lost at "0 minutes")', TIME_HINT),
        ("in 2 parsecs", "UTC", '(lost at "2 parsecs")', TIME_HINT),
        ("tomorrow", "UTC", '"tomorrow" has no time of day.', "Add one, e.g. tomorrow 18:00."),
        ("friday", "UTC", '"friday" has no time of day.', TIME_HINT),
        ("1 dec", "UTC", '"1 dec" has no time of day.', TIME_HINT),
        ("tomorrow 25:00", "UTC", '"25:00" is not a time of day', "Try: tomorrow 18:00"),
        ("18:61", "UTC", '"18:61" is not a time of day', TIME_HINT),
        ("13pm", "UTC", '"13pm" is not a time of day', TIME_HINT),
        ("0am", "UTC", '"0am" is not a time of day', TIME_HINT),
        ("30 feb 18:00", "UTC", "There is no 30 Feb.", TIME_HINT),
        ("31 apr 2027 18:00", "UTC", "There is no day 31 in month 4 of 2027.", TIME_HINT),
        ("2026-02-30 18:00", "UTC", "There is no day 30 in month 2 of 2026.", TIME_HINT),
        ("18:00 CET", "UTC", '"CET" is a time-zone abbreviation', ZONE_HINT),
        ("18:00 est", "UTC", '"est" is a time-zone abbreviation', ZONE_HINT),
        ("18:00 UTC+2", "UTC", '"UTC+2" is a fixed offset', ZONE_HINT),
        (
            "18:00 Europe/Berln",
            "UTC",
            'Unknown time zone "Europe/Berln".',
            "Did you mean Europe/Berlin?",
        ),
        ("18:00 berlin", "UTC", 'Unknown time zone "berlin".', "Did you mean Europe/Berlin?"),
        ("18:00 Mars/Olympus", "UTC", 'Unknown time zone "Mars/Olympus".', ZONE_HINT),
        ("2026-12-01T18:00Z Europe/Berlin", "UTC", "gives two time zones", TIME_HINT),
        (
            "2026-03-29 02:30",
            BERLIN,
            "02:30 does not exist on Sun 29 Mar 2026 in Europe/Berlin: the clocks jump forward",
            "Try 03:30 instead.",
        ),
        (
            "2026-03-08 02:30 America/New_York",
            "UTC",
            "02:30 does not exist on Sun 8 Mar 2026 in America/New_York",
            "Try 03:30 instead.",
        ),
        ("18:00", "CET", '"CET" is a time-zone abbreviation', ZONE_HINT),  # member's zone too
    ],
)
def test_parse_when_refuses(text: str, tz: str, message: str, hint: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_when(text, NOW, tz)
    assert message in caught.value.message
    assert caught.value.hint is not None
    assert hint in caught.value.hint


def test_spring_gap_time_today_is_refused_not_moved_to_tomorrow() -> None:
    before_jump = utc(2026, 3, 29, 0, 30)  # 01:30 CET on the day of the jump
    with pytest.raises(InvalidInput, match="does not exist"):
        parse_when("02:30", before_jump, BERLIN)


# ---------------------------------------------------------------- split_when


@pytest.mark.parametrize(
    ("tokens", "tz", "expected", "used"),
    [
        (["tomorrow", "18:00", "60m", "cap", "20"], BERLIN, utc(2026, 11, 25, 17), 2),
        (["2026-12-01", "18:00", "Europe/Berlin", "90"], "UTC", utc(2026, 12, 1, 17), 3),
        (["fri", "6", "pm", "rec"], BERLIN, utc(2026, 11, 27, 17), 3),
        (["18:00", "1", "dec", "30", "minutes"], BERLIN, utc(2026, 12, 1, 17), 3),
        # the longest prefix wins; the grammar decides that a trailing `45m` is a duration
        (["in", "2", "hours", "45m"], BERLIN, utc(2026, 11, 24, 12, 45), 4),
        (["18:00"], BERLIN, utc(2026, 11, 24, 17), 1),
    ],
)
def test_split_when_finds_the_longest_time(
    tokens: list[str], tz: str, expected: datetime, used: int
) -> None:
    assert split_when(tokens, NOW, tz) == (expected, used)


@pytest.mark.parametrize(
    ("tokens", "tz", "message", "hint"),
    [
        (
            ["tmorrow", "18:00", "60m"],
            "UTC",
            'Could not understand the time "tmorrow 18:00 60m" (lost at "tmorrow").',
            TIME_HINT,
        ),
        (
            ["tomorrow", "60m"],
            "UTC",
            'Could not understand the time "tomorrow 60m" (lost at "60m").',
            TIME_HINT,
        ),
        # a prefix that failed for a specific reason beats "could not understand"
        (
            ["2026-03-29", "02:30", "60m"],
            BERLIN,
            "02:30 does not exist on Sun 29 Mar 2026 in Europe/Berlin",
            "Try 03:30 instead.",
        ),
        (["cet", "18:00"], "UTC", '"cet" is a time-zone abbreviation', ZONE_HINT),
        (["30", "feb", "18:00"], "UTC", "There is no 30 Feb.", TIME_HINT),
        ([], "UTC", "No time given.", TIME_HINT),
    ],
)
def test_split_when_refuses_when_no_prefix_is_a_time(
    tokens: list[str], tz: str, message: str, hint: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        split_when(tokens, NOW, tz)
    assert message in caught.value.message
    assert caught.value.hint == hint


# ---------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("60m", 60),
        ("60min", 60),
        ("60mins", 60),
        ("1h", 60),
        ("1h30m", 90),
        ("1h30", 90),
        ("1h 30", 90),
        ("90", 90),
        ("2d", 2880),
        ("23h50m", 1430),
        ("1.5h", 90),
        ("1.5d", 2160),
        ("45 minutes", 45),
        ("2 hours", 120),
        ("1 hour 30 minutes", 90),
        ("1 hour and 30 minutes", 90),
        ("an hour", 60),
        ("1w", 7 * 1440),
        ("2d3h", 2 * 1440 + 180),
        ("90 MIN", 90),
        (" 45m ", 45),
    ],
)
def test_parse_duration_accepts(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)
    assert is_duration(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "No duration given."),
        ("0", 'A duration must be longer than zero, not "0".'),
        ("0m", 'A duration must be longer than zero, not "0m".'),
        ("-30m", 'A duration must be positive, not "-30m".'),
        ("abc", 'Could not understand the duration "abc".'),
        ("1.3m", 'Could not understand the duration "1.3m".'),  # not whole minutes
        ("1h1h", 'Could not understand the duration "1h1h".'),
        ("5 parsecs", 'Could not understand the duration "5 parsecs".'),
        ("30 1h", 'Could not understand the duration "30 1h".'),
        ("18:00", 'Could not understand the duration "18:00".'),
        ("am", 'Could not understand the duration "am".'),  # not "a minute"
        ("ad", 'Could not understand the duration "ad".'),
    ],
)
def test_parse_duration_refuses(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_duration(text)
    assert caught.value.message == message
    assert caught.value.hint == DURATION_HINT
    assert not is_duration(text)


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(minutes=90), "1 h 30 min"),
        (timedelta(hours=23, minutes=50), "23 h 50 min"),
        (timedelta(minutes=45), "45 min"),
        (timedelta(days=2, hours=3), "2 d 3 h"),
        (timedelta(days=1, minutes=5), "1 d 5 min"),
        (timedelta(hours=1), "1 h"),
        (timedelta(0), "0 min"),
        (timedelta(seconds=89), "1 min"),
        (timedelta(minutes=-10), "-10 min"),
    ],
)
def test_format_duration(span: timedelta, text: str) -> None:
    assert format_duration(span) == text


# ---------------------------------------------------------------- rendering


@pytest.mark.parametrize(
    ("instant", "tz", "text"),
    [
        (utc(2026, 12, 1, 17), BERLIN, "Tue 1 Dec 2026 18:00 CET (Europe/Berlin)"),
        (utc(2026, 12, 1, 17), "europe/berlin", "Tue 1 Dec 2026 18:00 CET (Europe/Berlin)"),
        (utc(2026, 7, 1, 16), BERLIN, "Wed 1 Jul 2026 18:00 CEST (Europe/Berlin)"),
        (utc(2026, 12, 1, 17), NEW_YORK, "Tue 1 Dec 2026 12:00 EST (America/New_York)"),
        (utc(2026, 12, 1, 17), "UTC", "Tue 1 Dec 2026 17:00 UTC"),
        (utc(2026, 12, 1, 17), "Europe/Istanbul", "Tue 1 Dec 2026 20:00 UTC+03 (Europe/Istanbul)"),
        (utc(2026, 12, 31, 23, 30), BERLIN, "Fri 1 Jan 2027 00:30 CET (Europe/Berlin)"),
    ],
)
def test_format_when(instant: datetime, tz: str, text: str) -> None:
    assert format_when(instant, tz) == text


@pytest.mark.parametrize(
    ("delta", "relative"),
    [
        (timedelta(0), "now"),
        (timedelta(seconds=20), "now"),
        (timedelta(minutes=10), "in 10 min"),
        (timedelta(minutes=-10), "10 min ago"),
        (timedelta(hours=2, minutes=5), "in 2 h 5 min"),
        (timedelta(hours=-3), "3 h ago"),
        (timedelta(hours=23, minutes=59), "in 23 h 59 min"),
        (timedelta(days=1), "in 1 day"),
        (timedelta(days=1, hours=7), "in 1 day 7 h"),
        (timedelta(hours=47, minutes=50), "in 2 days"),
        (timedelta(days=6, hours=7), "in 6 days"),
        (timedelta(days=-3), "3 days ago"),
    ],
)
def test_format_when_with_now_adds_a_relative_part(delta: timedelta, relative: str) -> None:
    text = format_when(NOW + delta, "UTC", now=NOW)
    assert text.endswith(f" — {relative}")
    assert text.startswith(format_when(NOW + delta, "UTC"))


def test_format_when_round_trips_parse_when() -> None:
    instant = parse_when("1 dec 18:00", NOW, BERLIN)
    assert (
        format_when(instant, BERLIN, NOW) == "Tue 1 Dec 2026 18:00 CET (Europe/Berlin) — in 7 days"
    )


# ---------------------------------------------------------------- zones and helpers


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("  America/New_York ", "America/New_York"),
        ("america/argentina/buenos_aires", "America/Argentina/Buenos_Aires"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
        ("Z", "UTC"),
        ("Etc/UTC", "UTC"),
    ],
)
def test_valid_timezone_accepts(name: str, canonical: str) -> None:
    assert valid_timezone(name) == canonical


@pytest.mark.parametrize(
    ("name", "message", "hint"),
    [
        ("CET", '"CET" is a time-zone abbreviation, and those are ambiguous.', ZONE_HINT),
        ("PST", '"PST" is a time-zone abbreviation, and those are ambiguous.', ZONE_HINT),
        ("GMT+1", '"GMT+1" is a fixed offset, which ignores daylight saving.', ZONE_HINT),
        ("Europe/Berln", 'Unknown time zone "Europe/Berln".', "Did you mean Europe/Berlin? "),
        ("tokyo", 'Unknown time zone "tokyo".', "Did you mean Asia/Tokyo? "),
        ("new york", 'Unknown time zone "new york".', "Did you mean America/New_York? "),
        ("Japan", 'Unknown time zone "Japan".', ZONE_HINT),  # legacy names are refused
        ("", 'Unknown time zone "".', ZONE_HINT),
    ],
)
def test_valid_timezone_refuses(name: str, message: str, hint: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        valid_timezone(name)
    assert caught.value.message == message
    assert caught.value.hint is not None
    assert hint in caught.value.hint
    assert caught.value.hint.endswith(ZONE_HINT)


@pytest.mark.parametrize(
    ("token", "time_word", "time_part"),
    [
        ("tomorrow", True, True),
        ("Fri", True, True),
        ("in", True, True),
        ("18:00", True, True),
        ("6pm", True, True),
        ("2026-12-01", True, True),
        ("dec", False, True),
        ("Europe/Berlin", False, True),
        ("berlin", False, True),
        ("CET", False, True),
        ("pm", False, True),
        ("60m", False, True),
        ("Kata", False, False),
        ("cap", False, False),
    ],
)
def test_token_classifiers(token: str, time_word: bool, time_part: bool) -> None:
    assert is_time_word(token) is time_word
    assert is_time_part(token) is time_part


@pytest.mark.parametrize(("token", "expected"), [("dec", True), ("December,", True), ("1", False)])
def test_is_month(token: str, expected: bool) -> None:
    assert is_month(token) is expected
