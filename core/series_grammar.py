"""Text → weekly-class commands (the `core.grammar` parsers of the series commands).

    /schedule-class "Kids karate" every mon,wed 17:30 60m cap 20 until 2027-06-30
    /schedule-class "Adult kata" every other thu 7pm Europe/Berlin for 12 weeks
    /update-class k3x9 following 2027-01-11 at 18:00 on mon,thu
    /skip-class k3x9 2026-12-28 Dojo closed for the holidays

Session options (duration, cap, rec, chat, public, event, tags, desc) read as for
/schedule-session; `core.grammar` hands its option reader in, so this module needs nothing
of it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from core.commands import (
    Command,
    DropStandingRsvp,
    EndSeries,
    ListSeries,
    ScheduleSeries,
    SeriesScope,
    ShowSeries,
    SkipDay,
    StandRsvp,
    UpdateSeries,
)
from core.errors import InvalidInput
from core.i18n import t
from core.parse_context import TimedParseContext
from core.timeparse import (
    WEEKDAY_HINT,
    is_weekday_list,
    parse_day,
    parse_time_of_day,
    parse_weekdays,
    valid_timezone,
)

OptionReader = Callable[[list[str], bool], tuple[dict[str, object], bool]]
"""Reads session options from tokens (`True`: title and time allowed); → (fields, unlimited)."""

SeriesParser = Callable[[TimedParseContext, OptionReader], Command]


def _today(ctx: TimedParseContext, zone: str | None = None) -> date:
    return ctx.now.astimezone(ZoneInfo(zone or ctx.tz)).date()


def _take_days(ctx: TimedParseContext, tokens: list[str], i: int) -> tuple[frozenset[int], int]:
    """Weekday names from `tokens[i]` on (`mon,wed`, `mon, wed`, `mon and wed`)."""
    start = i
    while i < len(tokens) and (tokens[i].lower() == "and" or is_weekday_list(tokens[i])):
        i += 1
    if i == start:
        found = tokens[i] if i < len(tokens) else "nothing"
        raise ctx.error(
            t('Expected the days of the week, found "{found}".', found=found), WEEKDAY_HINT
        )
    return parse_weekdays(" ".join(tokens[start:i])), i


def _take_clock(ctx: TimedParseContext, tokens: list[str], i: int) -> tuple[object, int]:
    for width in (2, 1):  # "5:30 pm" before "5:30"
        if i + width <= len(tokens):
            try:
                return parse_time_of_day(" ".join(tokens[i : i + width])), i + width
            except InvalidInput:
                continue
    found = tokens[i] if i < len(tokens) else "nothing"
    raise ctx.error(
        t('Expected the time of day, found "{found}".', found=found),
        t("Write it like 17:30 or 5pm."),
    )


def _take_date(ctx: TimedParseContext, tokens: list[str], i: int, keyword: str) -> tuple[date, int]:
    for width in (3, 2, 1):  # "30 jun 2027" before "30 jun"
        if i + width <= len(tokens):
            try:
                return parse_day(" ".join(tokens[i : i + width]), _today(ctx)), i + width
            except InvalidInput:
                continue
    found = tokens[i] if i < len(tokens) else "nothing"
    raise ctx.error(
        t('"{keyword}" needs a date, not "{found}".', keyword=keyword, found=found),
        t("e.g. until 2027-06-30"),
    )


def _pull(tokens: list[str], keyword: str) -> int | None:
    """The index of `keyword` among `tokens` (case-insensitive), if there."""
    return next((i for i, t in enumerate(tokens) if t.lower() == keyword), None)


def _extract_bounds(
    ctx: TimedParseContext, tokens: list[str]
) -> tuple[dict[str, object], list[str]]:
    """`from <date>`, `until <date>`, `for <N> weeks` out of `tokens`; the rest after."""
    found: dict[str, object] = {}
    rest = list(tokens)
    for keyword, name in (("from", "first_day"), ("until", "until")):
        if (at := _pull(rest, keyword)) is not None:
            day, end = _take_date(ctx, rest, at + 1, keyword)
            found[name] = day
            del rest[at:end]
    for i, token in enumerate(rest):
        unit = rest[i + 2].lower() if i + 2 < len(rest) else ""
        if token.lower() == "for" and unit in ("week", "weeks", "wk", "wks"):
            if not rest[i + 1].isdigit():
                raise ctx.error(
                    t('"for" needs a number of weeks, not "{found}".', found=rest[i + 1])
                )
            found["weeks"] = int(rest[i + 1])
            del rest[i : i + 3]
            break
    return found, rest


def schedule_class(ctx: TimedParseContext, options: OptionReader) -> ScheduleSeries:
    args = ctx.args
    if len(args) < 2:
        raise ctx.error(t("Missing the title and the timetable."))
    title = args[0].strip()
    if args[1].lower() != "every":
        raise ctx.error(
            t('After the title comes the timetable, starting with "every".'),
            t('Quote titles with spaces: "Kids karate" every mon,wed 17:30'),
        )
    i, interval = 2, 1
    if i < len(args) and args[i].lower() in ("other", "2nd", "second"):
        i, interval = i + 1, 2
    days, i = _take_days(ctx, args, i)
    clock, i = _take_clock(ctx, args, i)
    zone = None
    if i < len(args) and ("/" in args[i] or args[i].upper() == "UTC"):
        try:
            zone = valid_timezone(args[i])
        except InvalidInput as error:
            raise ctx.error(error.message, error.hint) from None
        i += 1
    bounds, rest = _extract_bounds(ctx, args[i:])
    values, _ = options(rest, False)
    given = {
        "title": title,
        "weekdays": sorted(days),
        "local_time": clock,
        "timezone": zone or ctx.tz,
        "interval_weeks": interval,
        **bounds,
        **values,
    }
    return ScheduleSeries.model_validate(given)


def _series_id(ctx: TimedParseContext) -> str:
    if not ctx.args:
        raise ctx.error(t("Missing the class id (see /classes)."))
    return ctx.args[0]


def update_class(ctx: TimedParseContext, options: OptionReader) -> UpdateSeries:
    series_id = _series_id(ctx)
    rest = ctx.args[1:]
    given: dict[str, object] = {"series_id": series_id}
    if (at := _pull(rest, "following")) is not None:
        day, end = _take_date(ctx, rest, at + 1, "following")
        given |= {"scope": SeriesScope.FOLLOWING, "from_day": day}
        del rest[at:end]
    if (at := _pull(rest, "at")) is not None:
        clock, end = _take_clock(ctx, rest, at + 1)
        given["local_time"] = clock
        del rest[at:end]
    if (at := _pull(rest, "on")) is not None:
        days, end = _take_days(ctx, rest, at + 1)
        given["weekdays"] = sorted(days)
        del rest[at:end]
    values, unlimited = options(rest, True)
    unknown = set(values) - {"title", "duration_minutes", "capacity", "description"}
    if unknown:
        raise ctx.error(
            t("A weekly class can't change {fields} yet.", fields=", ".join(sorted(unknown))),
            t("Change one class with /update-session <class-session-id>."),
        )
    given |= values | {"unlimited": unlimited}
    if len(given) == 2:  # only the id and `unlimited`
        raise ctx.error(t("Nothing to change: give at least one option."))
    return UpdateSeries.model_validate(given)


def skip_class(ctx: TimedParseContext, options: OptionReader) -> SkipDay:
    series_id = _series_id(ctx)
    if len(ctx.args) < 2:
        raise ctx.error(
            t("Missing the day to skip."), t("e.g. /skip-class k3x9 2026-12-28 Holiday")
        )
    day, end = _take_date(ctx, ctx.args, 1, "skip-class")
    return SkipDay(series_id=series_id, day=day, reason=" ".join(ctx.args[end:]))


def end_class(ctx: TimedParseContext, options: OptionReader) -> EndSeries:
    return EndSeries(series_id=_series_id(ctx), reason=" ".join(ctx.args[1:]))


def classes(ctx: TimedParseContext, options: OptionReader) -> ListSeries:
    if ctx.args:
        raise ctx.error(t('/classes takes nothing after it, not "{found}".', found=ctx.args[0]))
    return ListSeries()


SERIES_PARSERS: dict[str, SeriesParser] = {
    "schedule-class": schedule_class,
    "update-class": update_class,
    "classes": classes,
    "class": lambda ctx, options: ShowSeries(series_id=_series_id(ctx)),
    "every-week": lambda ctx, options: StandRsvp(series_id=_series_id(ctx)),
    "not-every-week": lambda ctx, options: DropStandingRsvp(series_id=_series_id(ctx)),
    "skip-class": skip_class,
    "end-class": end_class,
}
"""The weekly-class commands by name (`core.catalogue` lists them)."""
