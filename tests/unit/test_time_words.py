"""Time input in every shipped language (core.time_words read by core.timeparse).

Every table word is checked against an expectation computed here (the next such weekday, the
next such day of the month) and against the English word parsed; hand-written literals per
language keep the tables themselves honest.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.commands import ScheduleSession
from core.errors import InvalidInput
from core.grammar import parse_command
from core.testing.clock import FakeClock
from core.time_words import (
    ENGLISH,
    FRENCH,
    GERMAN,
    JAPANESE,
    LANGUAGES,
    SPANISH,
    Language,
    build,
    fold,
)
from core.timeparse import (
    TIME_HINT,
    is_month,
    is_time_part,
    is_time_word,
    parse_day,
    parse_time_of_day,
    parse_weekdays,
    parse_when,
)

BERLIN = "Europe/Berlin"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # Tue; 11:00 in Berlin
TODAY = date(2026, 11, 24)
ENGLISH_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ENGLISH_MONTHS = (
    *("january", "february", "march", "april", "may", "june", "july"),
    *("august", "september", "october", "november", "december"),
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def berlin(day: date, hour: int, minute: int = 0) -> datetime:
    """Wall time in Berlin → UTC (the independent expectation)."""
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(BERLIN))
    return local.astimezone(UTC)


def next_weekday(number: int) -> date:
    """The first day strictly after TODAY that is weekday `number` (Monday 0)."""
    return next(
        TODAY + timedelta(days=k)
        for k in range(1, 8)
        if (TODAY + timedelta(days=k)).weekday() == number
    )


def next_fifth(month: int) -> date:
    """The first 5th of `month` on or after TODAY."""
    this_year = date(TODAY.year, month, 5)
    return this_year if this_year >= TODAY else date(TODAY.year + 1, month, 5)


def typed_variants(language: Language, word: str) -> set[str]:
    """How a member may type `word`: as written, capitalised, upper case, without accents
    (é → e, ñ → n), and German umlauts as ae/oe/ue."""
    variants = {word, word.capitalize(), word.upper()}
    bare = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    if bare and language is not JAPANESE:
        variants.add(bare)
    if language is GERMAN:
        variants.add(word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue"))
    return variants


def _weekday_cases() -> list[tuple[str, int, str]]:
    cases = []
    for language in LANGUAGES:
        for number, (full, short) in enumerate(
            zip(language.weekdays, language.weekday_abbreviations, strict=True)
        ):
            for word in (*full, *short):
                cases += [
                    (language.code, number, typed) for typed in typed_variants(language, word)
                ]
    return sorted(cases)


def _month_cases() -> list[tuple[str, int, str]]:
    cases = []
    for language in LANGUAGES:
        for number, (full, short) in enumerate(
            zip(language.months, language.month_abbreviations, strict=True), 1
        ):
            for word in (*full, *short):
                cases += [
                    (language.code, number, typed) for typed in typed_variants(language, word)
                ]
    return sorted(cases)


WEEKDAY_CASES = _weekday_cases()
MONTH_CASES = _month_cases()


def test_the_tables_cover_every_language_weekday_and_month() -> None:
    assert [language.code for language in LANGUAGES] == ["en", "ja", "de", "es", "fr"]
    for cases, numbers in ((WEEKDAY_CASES, range(7)), (MONTH_CASES, range(1, 13))):
        for code in ("en", "ja", "de", "es", "fr"):
            assert {number for lang, number, _ in cases if lang == code} == set(numbers), code
    assert len(WEEKDAY_CASES) > 150 and len(MONTH_CASES) > 250


@pytest.mark.parametrize(("language", "number", "word"), WEEKDAY_CASES)
def test_every_weekday_word_means_that_weekday(language: str, number: int, word: str) -> None:
    expected = berlin(next_weekday(number), 18, 30)
    assert parse_when(f"{word} 18:30", NOW, BERLIN) == expected
    assert parse_when(f"{ENGLISH_WEEKDAYS[number]} 18:30", NOW, BERLIN) == expected
    assert parse_weekdays(word) == {number}


@pytest.mark.parametrize(("language", "number", "word"), MONTH_CASES)
def test_every_month_word_means_that_month(language: str, number: int, word: str) -> None:
    expected = berlin(next_fifth(number), 18)
    typed = f"{word}5日 18:00" if language == "ja" else f"5 {word} 18:00"
    assert parse_when(typed, NOW, BERLIN) == expected
    assert parse_when(f"5 {ENGLISH_MONTHS[number - 1]} 18:00", NOW, BERLIN) == expected
    assert is_month(word)


# ---------------------------------------------------------------- hand-written, per language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English, unchanged
        ("tomorrow 18:00", utc(2026, 11, 25, 17)),
        ("next friday 6pm", utc(2026, 11, 27, 17)),
        ("Tue 1 Dec 2026 18:00", utc(2026, 12, 1, 17)),  # what format_when writes
        # Japanese
        ("明日 19:00", utc(2026, 11, 25, 18)),
        ("明日19:00", utc(2026, 11, 25, 18)),
        ("今日の19時", utc(2026, 11, 24, 18)),
        ("月曜日 18:30", utc(2026, 11, 30, 17, 30)),
        ("金曜 18:30", utc(2026, 11, 27, 17, 30)),
        ("次の金曜日 午後7時", utc(2026, 11, 27, 18)),
        ("3月5日 19:00", utc(2027, 3, 5, 18)),
        ("3月5日(金) 19時半", utc(2027, 3, 5, 18, 30)),
        ("2027年3月5日 19:00", utc(2027, 3, 5, 18)),
        ("１２月１日　１９：００", utc(2026, 12, 1, 18)),  # full-width digits and space
        ("今夜7時", utc(2026, 11, 24, 18)),
        ("heute Abend 7:30", utc(2026, 11, 24, 18, 30)),  # tonight: 7:30 is 19:30
        ("esta noche 20:00", utc(2026, 11, 24, 19)),
        ("ce soir 8:15", utc(2026, 11, 24, 19, 15)),
        ("19:00明日", utc(2026, 11, 25, 18)),
        ("３月５日（金）１９：００", utc(2027, 3, 5, 18)),
        # German
        ("morgen 18:00", utc(2026, 11, 25, 17)),
        ("Morgen um 18 Uhr", utc(2026, 11, 25, 17)),
        ("heute 19:00", utc(2026, 11, 24, 18)),
        ("am Freitag um 18:30", utc(2026, 11, 27, 17, 30)),
        ("18:00 am Freitag", utc(2026, 11, 27, 17)),
        ("6 am Freitag", utc(2026, 11, 27, 5)),  # 6 a.m. on Friday either way
        ("nächsten Donnerstag 18:00", utc(2026, 11, 26, 17)),
        ("naechsten Do. 18:00", utc(2026, 11, 26, 17)),
        ("am 5. März um 18.30 Uhr", utc(2027, 3, 5, 17, 30)),
        ("5. Maerz 2027 18:00", utc(2027, 3, 5, 17)),
        ("1. Mai 18:00", utc(2027, 5, 1, 16)),
        # Spanish
        ("mañana a las 19:00", utc(2026, 11, 25, 18)),
        ("manana 7pm", utc(2026, 11, 25, 18)),
        ("hoy a las 19:00", utc(2026, 11, 24, 18)),
        ("el próximo viernes a las 18:00", utc(2026, 11, 27, 17)),
        ("viernes proximo 18:00", utc(2026, 11, 27, 17)),
        ("miércoles 18:00", utc(2026, 11, 25, 17)),
        ("5 de marzo de 2027 18:00", utc(2027, 3, 5, 17)),
        ("1 de enero 10:00", utc(2027, 1, 1, 9)),
        # French
        ("demain 19:00", utc(2026, 11, 25, 18)),
        ("aujourd'hui à 19:00", utc(2026, 11, 24, 18)),
        ("aujourd’hui 19:00", utc(2026, 11, 24, 18)),
        ("aujourdhui 19:00", utc(2026, 11, 24, 18)),
        ("vendredi prochain 18:00", utc(2026, 11, 27, 17)),
        ("le 1er mars à 18:00", utc(2027, 3, 1, 17)),
        ("5 févr. 18:00", utc(2027, 2, 5, 17)),
        ("5 DÉCEMBRE 18:00", utc(2026, 12, 5, 17)),
    ],
)
def test_literal_times_per_language(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW, BERLIN) == expected


# ---------------------------------------------------------------- today / tomorrow at midnight

TODAY_WORDS = {
    "en": ("today", "tomorrow"),
    "ja": ("今日", "明日"),
    "de": ("heute", "morgen"),
    "es": ("hoy", "mañana"),
    "fr": ("aujourd'hui", "demain"),
}


def test_every_language_has_its_today_and_tomorrow_tested() -> None:
    assert set(TODAY_WORDS) == {language.code for language in LANGUAGES}
    for language in LANGUAGES:
        assert fold(TODAY_WORDS[language.code][0]) in {fold(w) for w in language.today}
        assert fold(TODAY_WORDS[language.code][1]) in {fold(w) for w in language.tomorrow}


@pytest.mark.parametrize("code", sorted(TODAY_WORDS))
def test_today_and_tomorrow_are_the_members_days_just_after_midnight(code: str) -> None:
    clock = FakeClock(utc(2026, 11, 30, 15, 30))  # 00:30 on Tue 1 Dec in Tokyo; 30 Nov in UTC
    today, tomorrow = TODAY_WORDS[code]
    assert parse_when(f"{today} 19:00", clock.now(), "Asia/Tokyo") == utc(2026, 12, 1, 10)
    assert parse_when(f"{tomorrow} 19:00", clock.now(), "Asia/Tokyo") == utc(2026, 12, 2, 10)
    assert parse_when(f"{tomorrow} 19:00", clock.now(), "UTC") == utc(2026, 12, 1, 19)


@pytest.mark.parametrize("code", sorted(TODAY_WORDS))
def test_today_and_tomorrow_just_before_midnight_west_of_utc(code: str) -> None:
    clock = FakeClock(utc(2026, 12, 1, 7, 45))  # 23:45 on Mon 30 Nov in Los Angeles
    today, tomorrow = TODAY_WORDS[code]
    zone = "America/Los_Angeles"
    assert parse_when(f"{today} 23:50", clock.now(), zone) == utc(2026, 12, 1, 7, 50)
    assert parse_when(f"{tomorrow} 19:00", clock.now(), zone) == utc(2026, 12, 2, 3)


# ---------------------------------------------------------------- collisions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mar 5 18:00", utc(2027, 3, 5, 17)),  # `mar` is March in every language, never Tuesday
        ("5 mar 18:00", utc(2027, 3, 5, 17)),
        ("Do 18:00", utc(2026, 11, 26, 17)),  # de Thursday (es Sunday is `dom`)
        ("dom 18:00", utc(2026, 11, 29, 17)),
        ("So 18:00", utc(2026, 11, 29, 17)),  # de Sunday
        ("Sa 18:00", utc(2026, 11, 28, 17)),
        ("sam 18:00", utc(2026, 11, 28, 17)),
        ("mai 1 18:00", utc(2027, 5, 1, 16)),  # de/fr May
        ("5 ago 18:00", utc(2027, 8, 5, 16)),  # es agosto
    ],
)
def test_words_shared_by_languages_have_one_meaning(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW, BERLIN) == expected


@pytest.mark.parametrize(
    ("text", "lost_at"),
    [
        ("mar 18:00", "mar"),  # March without a day, not the es/fr Tuesday
        ("heute Morgen 9:00", "morgen"),  # "this morning", not "today tomorrow"
        ("esta mañana 10:00", "esta"),  # "this morning", not tomorrow
        ("morgen morgen 18:00", "morgen"),
        # the day after tomorrow has no English word here, so it is refused in every language
        ("übermorgen 18:00", "ubermorgen"),
        ("pasado mañana 18:00", "pasado"),
        ("après-demain 18:00", "apres-demain"),
        ("明後日 18:00", "明後"),
        ("3月5日(木) 19:00", "木"),  # 5 March 2027 is a Friday
        ("Wed 1 Dec 2026 18:00", "1"),  # 1 Dec 2026 is a Tuesday
    ],
)
def test_misleading_words_are_refused_not_misread(text: str, lost_at: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_when(text, NOW, BERLIN)
    assert f'(lost at "{lost_at}")' in caught.value.message
    assert caught.value.hint == TIME_HINT


def test_an_english_am_is_still_read_as_a_clock() -> None:
    with pytest.raises(InvalidInput, match='"18:00am" is not a time of day'):
        parse_when("18:00 am", NOW, BERLIN)
    assert parse_when("tomorrow 6 am", NOW, BERLIN) == utc(2026, 11, 25, 5)


def test_a_table_that_gives_a_word_two_meanings_is_refused() -> None:
    clash = Language(
        code="xx",
        weekdays=((), ("mar",), (), (), (), (), ()),  # `mar` as Tuesday: but it is March
        weekday_abbreviations=((),) * 7,
        months=((),) * 12,
        month_abbreviations=((),) * 12,
        today=(),
        tomorrow=(),
    )
    with pytest.raises(ValueError, match="'mar'"):
        build((ENGLISH, clash))
    build((ENGLISH, JAPANESE, GERMAN, SPANISH, FRENCH))  # the shipped ones agree


@pytest.mark.parametrize(
    ("token", "time_word"),
    [
        ("morgen", True),
        ("Mañana", True),
        ("manana", True),
        ("demain", True),
        ("samedi", True),
        ("Freitag", True),
        ("明日", True),
        ("金曜日", True),
        ("fri", True),  # English abbreviations always counted
        ("Sam", False),  # a name before it is a Saturday
        ("Do", False),
        ("dim", False),
        ("月", False),
        ("mars", False),  # months start no time (like `dec`)
    ],
)
def test_only_unmistakable_words_are_time_words(token: str, time_word: bool) -> None:
    assert is_time_word(token) is time_word
    assert is_time_part(token)


def test_a_title_that_is_an_abbreviation_stays_a_title() -> None:
    command = parse_command("/schedule Sam 18:00", NOW, BERLIN)
    assert isinstance(command, ScheduleSession)
    assert command.title == "Sam"
    assert command.start_time == utc(2026, 11, 24, 17)


@pytest.mark.parametrize(
    ("line", "start", "minutes"),
    [
        ("/schedule Kata morgen um 18 Uhr 60m cap 20", utc(2026, 11, 25, 17), 60),
        ("/schedule Kata aujourd'hui à 19:00 90", utc(2026, 11, 24, 18), 90),
        ("/schedule 稽古 明日19:00 45m", utc(2026, 11, 25, 18), 45),
        ("/schedule Kata 19:00 5 mars 60m", utc(2027, 3, 5, 18), 60),
        ("/schedule Kata mañana a las 7pm 45m rec", utc(2026, 11, 25, 18), 45),
    ],
)
def test_the_command_grammar_reads_other_languages_times(
    line: str, start: datetime, minutes: int
) -> None:
    command = parse_command(line, NOW, BERLIN)
    assert isinstance(command, ScheduleSession)
    assert (command.start_time, command.duration_minutes) == (start, minutes)


# ---------------------------------------------------------------- the other readers


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Mo, Mi und Fr", {0, 2, 4}),
        ("montags, donnerstags", {0, 3}),
        ("lunes y jueves", {0, 3}),
        ("sábados", {5}),
        ("mardi et jeudi", {1, 3}),
        ("月水金", {0, 2, 4}),
        ("月曜と木曜", {0, 3}),
        ("月・木", {0, 3}),
        ("mon,wed", {0, 2}),
    ],
)
def test_weekday_lists_in_every_language(text: str, days: set[int]) -> None:
    assert parse_weekdays(text) == days


def test_a_weekday_list_still_refuses_other_words() -> None:
    with pytest.raises(InvalidInput, match='"morgen" is not a day of the week'):
        parse_weekdays("mo, morgen")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("30. Juni 2027", date(2027, 6, 30)),
        ("30 de junio de 2027", date(2027, 6, 30)),
        ("6月30日", date(2027, 6, 30)),
        ("demain", date(2026, 11, 25)),
    ],
)
def test_parse_day_in_other_languages(text: str, day: date) -> None:
    assert parse_day(text, TODAY) == day


@pytest.mark.parametrize(("text", "hour"), [("18 Uhr", 18), ("19時", 19), ("１７：００", 17)])
def test_parse_time_of_day_in_other_languages(text: str, hour: int) -> None:
    assert parse_time_of_day(text).hour == hour
