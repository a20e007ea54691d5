"""Weekly timetables: which days a class meets, and when each meeting starts in UTC.

A rule is wall-clock time in the series' zone: "Mondays and Wednesdays 17:30 Europe/Berlin"
stays 17:30 local across both DST changes. A meeting that falls into a DST gap (the clocks
jump over it) moves to the first valid time after the gap; one that falls twice (the clocks
go back) takes the first of the two, the earlier instant. Either way the placement says so,
so the instructor can be told. Pure functions of their inputs: no clock, no store.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.errors import InvalidInput
from core.i18n import Day, t
from core.model import Model
from core.rules import MAX_SCHEDULE_AHEAD

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names by `date.weekday()` (Monday is 0)."""
MAX_INTERVAL_WEEKS = 4
"""Every week up to every fourth week."""
MAX_WEEKS = 104
"""`for N weeks`: 1 to 104 (the two-year horizon)."""
SERIES_HINT = t("e.g. every mon,wed 17:30 60m until 2027-06-30 (or for 12 weeks)")


class WeeklyRule(Model):
    """When a weekly series meets: on `weekdays` at `local_time` in `timezone`, every
    `interval_weeks` weeks counted from the week of `first_day`, up to `until` (inclusive)."""

    weekdays: frozenset[int]
    """`date.weekday()` numbers, Monday 0."""
    local_time: time
    timezone: str
    first_day: date
    until: date
    interval_weeks: int = 1


class Placement(Model):
    """One meeting's start, and whether DST moved or chose it."""

    day: date
    """The local date of the meeting: its identity within the series."""
    start: datetime
    """UTC."""
    local_start: datetime
    """The wall-clock start in the series' zone (after any move)."""
    shifted: bool = False
    """The rule's time doesn't exist that day (DST gap): moved to the first valid time."""
    ambiguous: bool = False
    """The rule's time exists twice that day (DST fold): the first (earlier) one is taken."""

    def note(self, rule: WeeklyRule) -> str | None:
        """What to tell the instructor about this meeting, if DST touched it."""
        wanted = rule.local_time.strftime("%H:%M")
        if self.shifted:
            return t(
                "{day}: {wanted} doesn't exist in {zone} that night "
                "(clocks go forward), so that class starts at {start}.",
                day=Day(self.day),
                wanted=wanted,
                zone=rule.timezone,
                start=self.local_start.strftime("%H:%M"),
            )
        if self.ambiguous:
            return t(
                "{day}: {wanted} happens twice in {zone} that night "
                "(clocks go back); the class starts at the first, {wanted} {offset}.",
                day=Day(self.day),
                wanted=wanted,
                zone=rule.timezone,
                offset=_offset_text(self.local_start),
            )
        return None


def _offset_text(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"(UTC{sign}{minutes // 60:02d}:{minutes % 60:02d})"


def place(day: date, at: time, timezone: str) -> Placement:
    """The start of a meeting on local `day` at wall-clock `at` in `timezone`."""
    zone = ZoneInfo(timezone)
    wall = datetime.combine(day, at)
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    first_utc, second_utc = first.astimezone(UTC), second.astimezone(UTC)
    if first_utc == second_utc:
        return Placement(day=day, start=first_utc, local_start=first)
    if first_utc.astimezone(zone).replace(tzinfo=None) == wall:  # exists twice: take the first
        earlier = min(first_utc, second_utc)
        return Placement(
            day=day, start=earlier, local_start=earlier.astimezone(zone), ambiguous=True
        )
    start = _transition(min(first_utc, second_utc), max(first_utc, second_utc), zone)
    return Placement(day=day, start=start, local_start=start.astimezone(zone), shifted=True)


def _transition(low: datetime, high: datetime, zone: ZoneInfo) -> datetime:
    """The first instant in (low, high] whose offset is the later one (the gap's end)."""
    after = high.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == after:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def meeting_days(rule: WeeklyRule, first: date, last: date) -> list[date]:
    """The local dates in [first, last] the rule meets on (within its own bounds)."""
    first, last = max(first, rule.first_day), min(last, rule.until)
    anchor = rule.first_day - timedelta(days=rule.first_day.weekday())  # Monday of week 0
    weekdays = sorted(rule.weekdays)
    week = max(0, (first - anchor).days // 7)
    week += -week % rule.interval_weeks  # the first class week not before `first`'s week
    days: list[date] = []
    while (monday := anchor + timedelta(weeks=week)) <= last:
        days += [d for wd in weekdays if first <= (d := monday + timedelta(days=wd)) <= last]
        week += rule.interval_weeks
    return days


def placements(rule: WeeklyRule, after: datetime, until: datetime) -> list[Placement]:
    """Every meeting starting in (after, until], soonest first."""
    zone = ZoneInfo(rule.timezone)
    first = after.astimezone(zone).date() - timedelta(days=1)
    last = until.astimezone(zone).date() + timedelta(days=1)
    found = [place(day, rule.local_time, rule.timezone) for day in meeting_days(rule, first, last)]
    return [p for p in found if after < p.start <= until]


def check_rule(rule: WeeklyRule, now: datetime) -> WeeklyRule:
    """The rule, or InvalidInput saying what to type instead: an `until` before the start,
    beyond the two-year horizon, an interval out of range, or no meeting at all."""
    if not rule.weekdays or not rule.weekdays <= set(range(7)):
        raise InvalidInput(
            t("A weekly series needs at least one day of the week."),
            t("Name the days, {example}.", example=SERIES_HINT),
        )
    if not 1 <= rule.interval_weeks <= MAX_INTERVAL_WEEKS:
        raise InvalidInput(
            t(
                "A series meets every 1 to {limit} weeks; got {weeks}.",
                limit=MAX_INTERVAL_WEEKS,
                weeks=rule.interval_weeks,
            ),
            t("Write every week or every other week, {example}.", example=SERIES_HINT),
        )
    if rule.until < rule.first_day:
        raise InvalidInput(
            t(
                "The series ends ({until}) before it starts ({first}).",
                until=Day(rule.until, "%d %b %Y"),
                first=Day(rule.first_day, "%d %b %Y"),
            ),
            t("Give an end after the start, {example}.", example=SERIES_HINT),
        )
    horizon = (now + MAX_SCHEDULE_AHEAD).astimezone(ZoneInfo(rule.timezone)).date()
    if rule.until > horizon:
        raise InvalidInput(
            t(
                "The series would run past {horizon}, two years from now.",
                horizon=Day(horizon, "%d %b %Y"),
            ),
            t("End it within two years, {example}.", example=SERIES_HINT),
        )
    far = datetime.combine(rule.until, time.max, ZoneInfo(rule.timezone)).astimezone(UTC)
    if not placements(rule, now, far):
        raise InvalidInput(
            t("That series has no class between now and its end."),
            t("Check the days and the dates, {example}.", example=SERIES_HINT),
        )
    return rule
