"""Dates, times, durations and numbers in a reader's locale, written by Babel."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton, format_time, format_timedelta, get_day_names
from babel.numbers import format_decimal
from babel.units import format_unit


def when(instant: datetime, tz: str, locale: Locale, now: datetime | None = None) -> str:
    """`2026年12月1日(火) 18:00 CET (Europe/Berlin)`, plus how far from `now` when given."""
    zone = "UTC" if tz in ("", "UTC") else tz
    local = instant.astimezone(UTC).astimezone(ZoneInfo(zone))
    abbreviation = local.tzname() or zone
    if abbreviation[0] in "+-":
        abbreviation = f"UTC{abbreviation}"
    label = abbreviation if zone == "UTC" else f"{abbreviation} ({zone})"
    text = f"{day(local.date(), locale)} {format_time(local, 'short', locale=locale)} {label}"
    if now is None:
        return text
    delta = instant - now
    if abs(delta) < timedelta(seconds=30):
        relative = format_timedelta(timedelta(0), threshold=1, locale=locale)
    else:
        relative = format_timedelta(delta, add_direction=True, threshold=1.1, locale=locale)
    return f"{text} — {relative}"


def duration(span: timedelta, locale: Locale) -> str:
    """`1 Std. 30 Min.`, `45 分`: days, hours and minutes in the locale's short units."""
    total = round(span.total_seconds() / 60)
    sign, total = ("-" if total < 0 else ""), abs(total)
    days, rest = divmod(total, 1440)
    hours, minutes = divmod(rest, 60)
    units = (("duration-day", days), ("duration-hour", hours), ("duration-minute", minutes))
    parts = [format_unit(n, unit, length="short", locale=locale) for unit, n in units if n]
    return sign + (" ".join(parts) or format_unit(0, "duration-minute", "short", locale=locale))


def number(n: int, locale: Locale) -> str:
    """A count with the locale's digit grouping."""
    return format_decimal(n, locale=locale)


def day(value: date, locale: Locale) -> str:
    """A day with its weekday, in the locale's own order (`mar. 1 déc. 2026`)."""
    return format_skeleton("yMMMEd", value, locale=locale)


def weekday(index: int, locale: Locale) -> str:
    """A weekday's abbreviated name (Monday 0)."""
    return str(get_day_names("abbreviated", locale=locale)[index])
