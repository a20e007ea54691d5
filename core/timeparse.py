"""Natural times and durations: parse what members type, render what they read.

Every function is pure; those whose answer depends on the current time take `now` (aware).
Parsed instants come back as aware UTC datetimes.

Rules worth knowing:
- The member's zone `tz` applies unless the text ends with its own zone: an IANA name
  (`Europe/Berlin`, any case) or `UTC`/`GMT`/`Z`. Abbreviations such as CET or EST are refused:
  they are ambiguous. An ISO token may carry an offset (`2026-12-01T18:00+01:00`).
- A time of day alone means today if still ahead, else tomorrow. A date without a year means
  its next occurrence (today counts). Weekday names (`fri`, `next friday`) mean the next such
  day strictly after today. A date without a time of day is refused. A weekday next to a date
  must agree with it (`Tue 1 Dec 2026`, `3月5日(金)`).
- Languages: English everywhere; weekday and month names, today/tomorrow and the small words
  around them (am/um, el/a las, le/à, の) also in Japanese, German, Spanish and French, from the
  tables in `core.time_words` (case, accents and umlaut spellings do not matter; full-width
  digits are read; Japanese may omit spaces and write 19時30分). `in …` stays English.
- `in 2 hours` / `in 2h30m` is exact elapsed time; `in 3 days` keeps the wall-clock time of day.
  Relative results are truncated to the whole minute.
- DST: a wall time typed into a spring-forward gap is refused, with the shifted time as the
  hint; an ambiguous fall-back time takes its first occurrence (fold=0). `in N days` landing
  in a gap shifts forward by the gap (the member did not type that time).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from core.errors import InvalidInput
from core.i18n import joined, t
from core.model import ensure_utc
from core.time_words import WORDS, Kind, fold, has_japanese, split_japanese

TIME_HINT = t("Try: tomorrow 18:00 · 2026-12-01 18:00 Europe/Berlin · in 2 hours · fri 7pm")
DURATION_HINT = t("Try: 60m · 1h30m · 90 (minutes) · 1.5h · 45 minutes")
ZONE_HINT = t("Use UTC or an IANA zone name such as Europe/Berlin or America/New_York.")
MAX_SPAN = timedelta(days=3660)
"""The longest duration (and the farthest `in …`) read: ten years; longer text is refused
with a message instead of overflowing the date arithmetic."""
YEARS_AROUND = 100
"""Dates more than this many years from now are refused before any arithmetic."""

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Weekday and month names, today/tomorrow and the small words around them, in every shipped
# language: core.time_words (WORDS). Tokens are folded (`fold`) before they are looked up.
_UTC_NAMES = frozenset({"utc", "gmt", "z", "etc/utc"})
_ABBREVIATIONS = frozenset(
    (  # noqa: SIM905 - a word list reads better than 46 quoted strings
        "cet cest eet eest wet west met mest bst ist msk est edt cst cdt mst mdt pst pdt hst akst "
        "akdt ast adt nst ndt jst kst hkt sgt pht ict wib aest aedt acst acdt awst nzst nzdt sast "
        "cat eat wat art brt"
    ).split()
)
_UNITS = {
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "w"),
    **dict.fromkeys(("d", "day", "days"), "d"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "h"),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "m"),
}
_UNIT_MINUTES = {"w": 7 * 1440, "d": 1440, "h": 60, "m": 1}
_DATE_WORDS = frozenset({"today", "tonight", "tomorrow", "tmrw", "in", "next", "this", "at", "on"})
_DAY_KINDS = (Kind.WEEKDAY, Kind.TODAY, Kind.TONIGHT, Kind.TOMORROW)

_ISO_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")
_ISO_STAMP = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})t(.+)")
_OFFSET = re.compile(r"(\d{1,2}:\d{2}(?::\d{2})?)(z|[+-]\d{2}:?\d{2})")
_CLOCK_24 = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_CLOCK_12 = re.compile(r"(\d{1,2})(?::(\d{2}))?(am|pm)")
_DAY_OF_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th|er|日)?")  # 1st, fr 1er, ja 1日
_OCLOCK = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?")
_ABBREVIATED = re.compile(r"(?:[^\W\d_]+|\d{1,2})\.")  # de `Mo.`, `5.`; fr `janv.`
_YEAR = re.compile(r"\d{4}")
_FIXED_OFFSET_NAME = re.compile(r"(utc|gmt)[+-]\d{1,2}(:?\d{2})?")
_DURATION_PART = re.compile(r"\s*(\d+(?:\.\d+)?|an?(?=\s))\s*([a-z]*)\s*(?:,|and\b)?\s*")


# ---------------------------------------------------------------- time zones


@cache
def _zone_names() -> dict[str, str]:
    """Lower-case → canonical for every Region/City zone (legacy and Etc/ names excluded)."""
    return {
        name.lower(): name
        for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/"))
    }


def valid_timezone(name: str) -> str:
    """Return the canonical IANA name for `name` (any case), or raise InvalidInput.

    UTC, GMT and Z mean UTC; abbreviations (CET, EST…), fixed offsets and legacy names are
    refused, with a suggestion where one is close.
    """
    key = name.strip().lower()
    if key in _UTC_NAMES:
        return "UTC"
    if canonical := _zone_names().get(key):
        return canonical
    if key in _ABBREVIATIONS:
        raise InvalidInput(
            t('"{name}" is a time-zone abbreviation, and those are ambiguous.', name=name),
            ZONE_HINT,
        )
    if _FIXED_OFFSET_NAME.fullmatch(key):
        raise InvalidInput(
            t('"{name}" is a fixed offset, which ignores daylight saving.', name=name), ZONE_HINT
        )
    suggestion = _suggest_zone(key)
    hint = (
        joined([t("Did you mean {suggestion}?", suggestion=suggestion), ZONE_HINT], " ")
        if suggestion
        else ZONE_HINT
    )
    raise InvalidInput(t('Unknown time zone "{name}".', name=name), hint)


@cache
def _cities() -> dict[str, str]:
    """Lower-case city part → canonical zone (`berlin` → `Europe/Berlin`)."""
    return {lower.rsplit("/", 1)[-1]: name for lower, name in sorted(_zone_names().items())}


def _suggest_zone(key: str) -> str | None:
    """The zone whose city is `key` (`berlin`), else the closest full name, else None."""
    if city_match := _cities().get(key.replace(" ", "_")):
        return city_match
    close = difflib.get_close_matches(key, _zone_names(), n=1)
    return _zone_names()[close[0]] if close else None


@cache
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(valid_timezone(tz))


def _zone_label(zone: tzinfo) -> str:
    return getattr(zone, "key", None) or str(zone)


def _is_zone_token(token: str) -> bool:
    """True if `token` is meant as a zone (valid or not, `berlin` too) so it gets a zone error."""
    key = token.lower()
    return (
        key in _UTC_NAMES
        or key in _ABBREVIATIONS
        or key in _cities()
        or bool(_FIXED_OFFSET_NAME.fullmatch(key))
        or ("/" in key and any(c.isalpha() for c in key))
    )


# ---------------------------------------------------------------- durations


def _duration_parts(text: str) -> tuple[int, int] | None:
    """`(whole days, minutes)` for a duration text, or None if it is not one.

    Whole day/week amounts are kept apart so `in 3 days` can keep the time of day.
    """
    text = text.strip().lower()
    if re.fullmatch(r"\d+", text):
        return 0, int(Decimal(text))  # Decimal: no digit limit on huge numbers
    days, minutes, pos = 0, Decimal(0), 0
    seen: list[str] = []
    while pos < len(text):
        match = _DURATION_PART.match(text, pos)
        if not match or match.end() == pos:
            return None
        amount_text, unit_text = match.groups()
        pos = match.end()
        # a trailing bare number after hours is minutes: 1h30
        implied = "m" if seen[-1:] == ["h"] and pos == len(text) else None
        unit = _UNITS.get(unit_text) if unit_text else implied
        if unit is None or unit in seen:
            return None
        seen.append(unit)
        amount = Decimal(1) if amount_text in ("a", "an") else Decimal(amount_text)
        if unit in ("w", "d") and amount == amount.to_integral_value():
            days += int(amount) * _UNIT_MINUTES[unit] // 1440
        else:
            minutes += amount * _UNIT_MINUTES[unit]
    if not seen or minutes != minutes.to_integral_value():
        return None
    return days, int(minutes)


def parse_duration(text: str) -> timedelta:
    """Parse `60m`, `1h30m`, `1h30`, `90` (minutes), `1.5h`, `2d`, `45 minutes`, `1 hour 30 min`.

    Durations are whole minutes and positive; anything else raises InvalidInput.
    """
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(t("No duration given."), DURATION_HINT)
    if stripped.startswith("-"):
        raise InvalidInput(
            t('A duration must be positive, not "{text}".', text=stripped), DURATION_HINT
        )
    parts = _duration_parts(stripped)
    if parts is None:
        raise InvalidInput(
            t('Could not understand the duration "{text}".', text=stripped), DURATION_HINT
        )
    _check_span(stripped, parts)
    result = timedelta(days=parts[0], minutes=parts[1])
    if result <= timedelta(0):
        raise InvalidInput(
            t('A duration must be longer than zero, not "{text}".', text=stripped), DURATION_HINT
        )
    return result


def _check_span(text: str, parts: tuple[int, int]) -> None:
    """Refuse `(days, minutes)` longer than MAX_SPAN (before any timedelta is built)."""
    if parts[0] * 1440 + parts[1] > MAX_SPAN.days * 1440:
        raise InvalidInput(
            t(
                '"{text}" is too long: the longest is {days} days (10 years).',
                text=_clip(text),
                days=MAX_SPAN.days,
            ),
            DURATION_HINT,
        )


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_duration(text: str) -> bool:
    """True if `text` parses as a positive duration (see `parse_duration`)."""
    parts = _duration_parts(text) if not text.strip().startswith("-") else None
    return parts is not None and parts != (0, 0)


# ---------------------------------------------------------------- parsing times


@dataclass(frozen=True)
class _Clock:
    value: time
    twelve_hour: bool


class _Unreadable(InvalidInput):
    """The text is not (yet) a time; `split_when` prefers any more specific error."""


def _not_understood(text: str, token: str | None = None) -> InvalidInput:
    if token and token != text:
        lost = t(
            'Could not understand the time "{text}" (lost at "{token}").', text=text, token=token
        )
        return _Unreadable(lost, TIME_HINT)
    return _Unreadable(t('Could not understand the time "{text}".', text=text), TIME_HINT)


def _words(text: str) -> list[str]:
    """Folded words (see `fold`): a trailing comma off, an abbreviation's dot off (`Mo.`,
    `5.`), Japanese cut into words (`明日19:00` → `明日`, `19:00`)."""
    words: list[str] = []
    for raw in fold(text).replace("a.m.", "am").replace("p.m.", "pm").split():
        token = raw.rstrip(",")
        if _ABBREVIATED.fullmatch(token):
            token = token[:-1]
        words += split_japanese(token) if has_japanese(token) else [token] if token else []
    return _join_pairs(words)


def _join_pairs(words: list[str]) -> list[str]:
    """Two words that are one time word become one token (`heute abend`, `ce soir`)."""
    joined: list[str] = []
    for word in words:
        if joined and f"{joined[-1]} {word}" in WORDS.meanings:
            joined[-1] = f"{joined[-1]} {word}"
        else:
            joined.append(word)
    return joined


def _normalise(text: str) -> tuple[list[str], tzinfo | None]:
    """Folded words with ISO stamps split into date and time; an ISO offset if given."""
    tokens: list[str] = []
    offset: tzinfo | None = None
    for token in _words(text):
        if stamp := _ISO_STAMP.fullmatch(token):
            tokens.append(stamp[1])
            token = stamp[2]
        if with_offset := _OFFSET.fullmatch(token):
            token = with_offset[1]
            offset = _parse_offset(with_offset[2])
        if token:
            tokens.append(token)
    return tokens, offset


def _parse_offset(text: str) -> tzinfo:
    if text == "z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _split_zone(
    text: str, tokens: list[str], offset: tzinfo | None
) -> tuple[list[str], tzinfo | None]:
    """Remove a trailing zone token; return the other tokens and the zone given, if any."""
    if not tokens or not _is_zone_token(tokens[-1]):
        return tokens, offset
    if offset is not None:
        raise InvalidInput(t('"{text}" gives two time zones; give one.', text=text), TIME_HINT)
    return tokens[:-1], _zone(text.split()[-1].rstrip(","))


def _take_clock(tokens: list[str], i: int) -> tuple[_Clock | None, int]:
    """Read a time of day at `tokens[i]`: 18:00, 6pm, 6:30 pm, noon, midnight."""
    if i >= len(tokens):
        return None, i
    token = tokens[i]
    if token in ("noon", "midday", "midnight"):
        return _Clock(time(0 if token == "midnight" else 12), False), i + 1
    next_token = tokens[i + 1] if i + 1 < len(tokens) else ""
    if WORDS.is_a(next_token, Kind.OCLOCK) and (match := _OCLOCK.fullmatch(token)):
        hour, minute = int(match[1]), int(match[2] or 0)  # de: 18 Uhr, 18.30 Uhr
        if hour > 23 or minute > 59:
            raise _bad_clock(token)
        return _Clock(time(hour, minute), False), i + 2
    if next_token in ("am", "pm") and re.fullmatch(r"\d{1,2}(:\d{2})?", token):
        # de `18:00 am Freitag`: that `am` means "on" (a 12-hour 18:00 does not exist)
        german_on = next_token == "am" and i + 2 < len(tokens) and not _is_12_hour(token)
        if not german_on:
            token, i = token + next_token, i + 1
    if match := _CLOCK_12.fullmatch(token):
        hour, minute = int(match[1]), int(match[2] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise _bad_clock(token)
        hour = hour % 12 + (12 if match[3] == "pm" else 0)
        return _Clock(time(hour, minute), True), i + 1
    if match := _CLOCK_24.fullmatch(token):
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise _bad_clock(token)
        return _Clock(time(hour, minute, second), False), i + 1
    return None, i


def _is_12_hour(token: str) -> bool:
    """Whether `token` (`6`, `6:30`) is an hour 1–12 with valid minutes."""
    match = _CLOCK_12.fullmatch(token + "am")
    return match is not None and 1 <= int(match[1]) <= 12 and int(match[2] or 0) <= 59


def _bad_clock(token: str) -> InvalidInput:
    return InvalidInput(
        t('"{token}" is not a time of day (use 00:00–23:59, or 1–12 with am/pm).', token=token),
        TIME_HINT,
    )


def _take_date(tokens: list[str], i: int, today: date) -> tuple[date | None, bool, int]:
    """Read a date at `tokens[i]`; returns (date, said "tonight", next index)."""
    if i >= len(tokens):
        return None, False, i
    token = tokens[i]
    if WORDS.is_a(token, Kind.TODAY, Kind.TONIGHT):
        return today, WORDS.is_a(token, Kind.TONIGHT), i + 1
    if WORDS.is_a(token, Kind.TOMORROW):
        return today + timedelta(days=1), False, i + 1
    following = tokens[i + 1] if i + 1 < len(tokens) else ""
    if WORDS.is_a(token, Kind.NEXT) and WORDS.is_a(following, Kind.WEEKDAY):
        i, token = i + 1, following  # next friday, nächsten Freitag, próximo viernes, 次の金曜日
    if (weekday := WORDS.get(token, Kind.WEEKDAY)) is not None:
        ahead = (weekday - today.weekday() - 1) % 7 + 1
        i += 2 if i + 1 < len(tokens) and WORDS.is_a(tokens[i + 1], Kind.NEXT_AFTER) else 1
        dated, _, after = _take_numbered_date(tokens, i, today)  # Tue 1 Dec 2026
        if dated is not None and dated.weekday() == weekday:
            return dated, False, after
        return today + timedelta(days=ahead), False, i  # (vendredi prochain)
    day, tonight, i = _take_numbered_date(tokens, i, today)
    if day is not None and i < len(tokens) and WORDS.get(tokens[i], Kind.WEEKDAY) == day.weekday():
        i += 1  # a weekday that agrees may follow: 3月5日(木)
    return day, tonight, i


def _take_numbered_date(tokens: list[str], i: int, today: date) -> tuple[date | None, bool, int]:
    """An ISO or calendar date at `tokens[i]` (see `_take_calendar_date`)."""
    if i < len(tokens) and (match := _ISO_DATE.fullmatch(tokens[i])):
        return _make_date(int(match[1]), int(match[2]), int(match[3])), False, i + 1
    return _take_calendar_date(tokens, i, today)


def _take_calendar_date(tokens: list[str], i: int, today: date) -> tuple[date | None, bool, int]:
    """`1 Dec [2026]`, `1st december`, `Dec 1 [2026]`; `5. März`, `5 de marzo [de 2027]`,
    `1er mars`, `3月5日`."""
    if i + 1 >= len(tokens):
        return None, False, i
    first = tokens[i]
    if (month := WORDS.get(first, Kind.MONTH)) is not None:
        day_match, j = _DAY_OF_MONTH.fullmatch(tokens[i + 1]), i + 2
    else:
        j = i + 2 if WORDS.is_a(tokens[i + 1], Kind.FILLER) else i + 1  # 5 de marzo
        month = WORDS.get(tokens[j], Kind.MONTH) if j < len(tokens) else None
        day_match, j = _DAY_OF_MONTH.fullmatch(first), j + 1
    if month is None or day_match is None:
        return None, False, i
    day = int(day_match[1])
    if (
        j + 1 < len(tokens)
        and WORDS.is_a(tokens[j], Kind.FILLER)
        and _YEAR.fullmatch(tokens[j + 1])
    ):
        j += 1  # de 2027
    if j < len(tokens) and _YEAR.fullmatch(tokens[j]):
        return _make_date(int(tokens[j]), month, day), False, j + 1
    return _next_occurrence(month, day, today), False, j


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(
            t(
                "There is no day {day} in month {month} of {year}.",
                day=str(day),
                month=str(month),
                year=str(year),
            ),
            TIME_HINT,
        ) from None


def _next_occurrence(month: int, day: int, today: date) -> date:
    """The first `day month` on or after `today` (29 Feb waits for a leap year)."""
    for year in range(today.year, today.year + 9):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise InvalidInput(
        t("There is no {day} {month}.", day=str(day), month=_MONTH_NAMES[month - 1]), TIME_HINT
    )


def _resolve(day: date, clock: time, zone: tzinfo, fold: int = 0) -> datetime:
    """Wall time `day clock` in `zone` → UTC; refuse times skipped by a DST jump."""
    local = datetime.combine(day, clock, tzinfo=zone).replace(fold=fold)
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        shifted = instant.astimezone(zone)
        raise InvalidInput(
            t(
                "{time} does not exist on {day} in {zone}: the clocks jump forward that night.",
                time=clock.strftime("%H:%M"),
                day=_day_text(day),
                zone=_zone_label(zone),
            ),
            t("Try {time} instead.", time=shifted.strftime("%H:%M")),
        )
    return instant


def _parse_absolute(text: str, tokens: list[str], now: datetime, zone: tzinfo) -> datetime:
    """`[on] DATE [at] TIME`, `[at] TIME [on] DATE` or `[at] TIME`."""
    today = now.astimezone(zone).date()
    i = 1 if tokens and WORDS.is_a(tokens[0], Kind.ON) else 0
    day, tonight, i = _take_date(tokens, i, today)
    i = _skip_at(tokens, i)
    clock, i = _take_clock(tokens, i)
    if day is None and clock is not None:
        i += 1 if i < len(tokens) and WORDS.is_a(tokens[i], Kind.ON) else 0
        day, tonight, i = _take_date(tokens, i, today)
    if i < len(tokens):
        raise _not_understood(text, tokens[i])
    if clock is None:
        raise _Unreadable(
            t('"{text}" has no time of day.', text=text),
            t("Add one, e.g. {text} 18:00. {examples}", text=text, examples=TIME_HINT),
        )
    value = clock.value
    if tonight and not clock.twelve_hour and 1 <= value.hour < 12:
        value = value.replace(hour=value.hour + 12)
    if day is not None:
        _check_year(day, today)
        return _resolve(day, value, zone)
    return _next_time_of_day(value, now, zone)


def _skip_at(tokens: list[str], i: int) -> int:
    """Past the words before a time of day: at, um, à, a las (at most two)."""
    for _ in range(2):
        if i < len(tokens) and WORDS.is_a(tokens[i], Kind.AT):
            i += 1
    return i


def _check_year(day: date, today: date) -> None:
    """Refuse dates far from today (year 1 or 9999 would overflow in zone arithmetic)."""
    if abs(day.year - today.year) > YEARS_AROUND:
        raise InvalidInput(
            t("{day} is too far from today.", day=day.isoformat()),
            t(
                "Give a date near today, e.g. {year}-03-01 18:00. {examples}",
                year=str(today.year + 1),
                examples=TIME_HINT,
            ),
        )


def _next_time_of_day(value: time, now: datetime, zone: tzinfo) -> datetime:
    """A time of day alone: today if still ahead, else tomorrow."""
    local_now = now.astimezone(zone)
    today = local_now.date()
    if value > local_now.time():
        for fold in (0, 1):  # either pass of a fall-back hour
            instant = _resolve(today, value, zone, fold)
            if instant > now:
                return instant
    return _resolve(today + timedelta(days=1), value, zone)


def _parse_relative(text: str, tokens: list[str], now: datetime, zone: tzinfo) -> datetime:
    """`in 2 hours`, `in 2h30m`, `in 3 days` (keeps the wall-clock time of day)."""
    rest = " ".join(tokens[1:])
    parts = _duration_parts(rest) if not re.fullmatch(r"\d+", rest) else None
    if parts is None or parts == (0, 0):
        raise _not_understood(text, rest or None)
    _check_span(rest, parts)
    days, minutes = parts
    base = now
    if days:
        wall = now.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
        base = wall.replace(tzinfo=zone).astimezone(UTC)
    return (base + timedelta(minutes=minutes)).replace(second=0, microsecond=0)


def parse_when(text: str, now: datetime, tz: str) -> datetime:
    """Parse a natural time in zone `tz` (unless the text names its own) → aware UTC.

    Raises InvalidInput quoting what was not understood, with examples as the hint.
    """
    now = ensure_utc(now)
    text = " ".join(text.split())
    tokens, offset = _normalise(text)
    if not tokens:
        raise InvalidInput(t("No time given."), TIME_HINT)
    tokens, given_zone = _split_zone(text, tokens, offset)
    zone = given_zone or _zone(tz)
    if tokens and tokens[0] == "in":
        return _parse_relative(text, tokens, now, zone)
    return _parse_absolute(text, tokens, now, zone)


def split_when(tokens: list[str], now: datetime, tz: str) -> tuple[datetime, int]:
    """Parse the longest prefix of `tokens` that is a time; return it and its token count.

    When no prefix parses, raises the error of the longest prefix that failed for a specific
    reason (bad zone, no such date, DST gap…), else the error for the whole list.
    """
    errors: list[InvalidInput] = []
    for count in range(len(tokens), 0, -1):
        try:
            return parse_when(" ".join(tokens[:count]), now, tz), count
        except InvalidInput as exc:
            errors.append(exc)
    specific = [error for error in errors if not isinstance(error, _Unreadable)]
    raise (specific or errors or [InvalidInput(t("No time given."), TIME_HINT)])[0]


def is_time_word(token: str) -> bool:
    """True if `token` can only start a date or time (today, fri, 18:00, 6pm, 2026-12-01…).

    Other languages count with their full words (morgen, viernes, 明日); their abbreviations
    (`Sam`, `Do`, `dim`) are also names and words, so they do not.
    """
    key = fold(token.strip())
    return (
        key in _DATE_WORDS
        or (key in WORDS.full and WORDS.is_a(key, *_DAY_KINDS))
        or bool(_ISO_DATE.fullmatch(key) or _ISO_STAMP.fullmatch(key))
        or bool(_CLOCK_24.fullmatch(key) or _CLOCK_12.fullmatch(key))
    )


def is_time_part(token: str) -> bool:
    """True if `token` could belong to a time: digits, date words, months, zones, am/pm."""
    key = token.strip().lower().rstrip(",")
    return (
        any(c.isdigit() for c in key)
        or key in ("am", "pm", "noon", "midday", "midnight")
        or is_time_word(key)
        or is_month(key)
        or WORDS.is_a(fold(key), *_DAY_KINDS, Kind.OCLOCK)  # abbreviations too: Sa, 月, Uhr
        or _is_zone_token(key)
    )


def is_month(token: str) -> bool:
    """True if `token` names a month in a shipped language (`dec`, `December`, `März`, `3月`)."""
    words = _words(token)
    return len(words) == 1 and WORDS.is_a(words[0], Kind.MONTH)


# ---------------------------------------------------------------- rendering


def _day_text(day: date) -> str:
    return f"{_DAY_NAMES[day.weekday()]} {day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def format_duration(span: timedelta) -> str:
    """`1 h 30 min`, `45 min`, `2 d 3 h`; rounded to the minute, `0 min` for nothing."""
    total = round(span.total_seconds() / 60)
    sign, total = ("-" if total < 0 else ""), abs(total)
    days, rest = divmod(total, 1440)
    hours, minutes = divmod(rest, 60)
    parts = [f"{n} {unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "min")) if n]
    return sign + (" ".join(parts) or "0 min")


def _relative(delta: timedelta) -> str:
    """`in 6 days`, `in 1 day 4 h`, `in 2 h 5 min`, `10 min ago`, `now`."""
    minutes = round(abs(delta.total_seconds()) / 60)
    if minutes == 0:
        return "now"
    if minutes < 1440:
        span = format_duration(timedelta(minutes=minutes))
    elif minutes < 2880 and (hours := round((minutes - 1440) / 60)) < 24:
        span = "1 day" + (f" {hours} h" if hours else "")
    else:
        span = f"{round(minutes / 1440)} days"
    return f"in {span}" if delta > timedelta(0) else f"{span} ago"


def format_when(instant: datetime, tz: str, now: datetime | None = None) -> str:
    """`Tue 1 Dec 2026 18:00 CET (Europe/Berlin)`, plus `— in 6 days` when `now` is given."""
    name = valid_timezone(tz)
    local = ensure_utc(instant).astimezone(_zone(name))
    abbreviation = local.tzname() or name
    if abbreviation[0] in "+-":
        abbreviation = f"UTC{abbreviation}"
    label = abbreviation if name == "UTC" else f"{abbreviation} ({name})"
    text = f"{_day_text(local.date())} {local:%H:%M} {label}"
    return text if now is None else f"{text} — {_relative(instant - ensure_utc(now))}"


WEEKDAY_HINT = t("Name the days like mon,wed or monday,thursday (weekdays = mon-fri).")


def parse_weekdays(text: str) -> frozenset[int]:
    """`mon,wed`, `monday, thursday`, `weekdays` or `weekend` → weekday numbers (Monday 0).

    Weekday names of every shipped language count too (`Mo, Mi`, `lunes y jueves`, `月・木`).
    """
    days: set[int] = set()
    for raw in re.split(r"[,\s、・]+", text):
        for word in _words(raw):
            word = word.rstrip(".")
            weekday = WORDS.get(word, Kind.WEEKDAY)
            if weekday is None and word.endswith("s"):
                weekday = WORDS.get(word.rstrip("s"), Kind.WEEKDAY)  # fridays, montags
            if not word or WORDS.is_a(word, Kind.AND):
                continue
            if word == "weekdays":
                days |= {0, 1, 2, 3, 4}
            elif word in ("weekend", "weekends"):
                days |= {5, 6}
            elif weekday is not None:
                days.add(weekday)
            else:
                raise InvalidInput(
                    t('"{text}" is not a day of the week.', text=_clip(raw)), WEEKDAY_HINT
                )
    return frozenset(days)


def is_weekday_list(text: str) -> bool:
    """Whether `text` reads as days of the week (see `parse_weekdays`)."""
    try:
        return bool(parse_weekdays(text))
    except InvalidInput:
        return False


def parse_time_of_day(text: str) -> time:
    """A wall-clock time: 17:30, 5:30pm, 6 pm, noon (also 18 Uhr, 19時)."""
    tokens = _words(text)
    clock, used = _take_clock(tokens, 0)
    if clock is None or used != len(tokens):
        raise InvalidInput(
            t('"{text}" is not a time of day.', text=_clip(text)),
            t("Write it like 17:30 or 5:30pm."),
        )
    return clock.value


def parse_day(text: str, today: date) -> date:
    """A calendar day: 2027-06-30, 30 jun 2027, jun 30 (the next one), tomorrow (also in the
    other shipped languages: 30. Juni 2027, mañana, 6月30日)."""
    tokens = _words(text)
    day, _, used = _take_date(tokens, 0, today)
    if day is None or used != len(tokens):
        raise InvalidInput(
            t('"{text}" is not a date.', text=_clip(text)),
            t("Write it like 2027-06-30 or 30 jun 2027."),
        )
    return day
