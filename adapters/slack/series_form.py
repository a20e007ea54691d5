"""Reads a submitted /schedule-class form into a ScheduleSeries, or field errors.

Each error sits under its input and says what to pick or type instead. The rules about the
whole timetable (the two-year horizon, a class between now and the end) stay in the core:
`blame` puts the core's refusal under the input most likely to fix it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from adapters.slack.commands import slack_wording
from adapters.slack.render_inputs import VALUE
from adapters.slack.render_series_modal import EVERY_OTHER
from adapters.slack.words import say, t
from core.commands import ScheduleSeries
from core.errors import InvalidInput
from core.i18n import ENGLISH, Day, Translator, localize
from core.model import Visibility
from core.rules import check_capacity, check_description, check_duration, check_title
from core.timeparse import valid_timezone

T = TypeVar("T")


def read_series_form(
    view: dict[str, Any], now: datetime, tr: Translator = ENGLISH
) -> tuple[ScheduleSeries | None, dict[str, str]]:
    """The command, or the errors to show under each input (block_id → message, in `tr`'s
    language: the member's)."""
    values = view.get("state", {}).get("values", {})

    def field(block_id: str) -> dict[str, Any]:
        return dict(values.get(block_id, {}).get(VALUE) or {})

    errors: dict[str, str] = {}

    def check(block_id: str, run: Callable[[], T], *, hint: bool = False) -> T | None:
        """`run`'s value, or None with its error noted (the core's hints name the text
        syntax, so only the message is shown unless `hint`)."""
        try:
            return run()
        except InvalidInput as error:
            said = (
                localize(error.user_text(), tr).replace("\n", " ")
                if hint
                else localize(error.message, tr)
            )
            errors[block_id] = slack_wording(said)
        except (ValueError, TypeError, KeyError):
            errors[block_id] = say(t("Not a valid value."), tr)
        return None

    title = check("title", lambda: check_title(_typed(field("title"), t("Type the title."))))
    weekdays = check("days", lambda: _weekdays(field("days")))
    local_time = check("time", lambda: _time(field("time")))
    zone = check(
        "timezone",
        lambda: valid_timezone(_typed(field("timezone"), t("Type a zone like Europe/Berlin."))),
        hint=True,
    )
    first_day = check("first_day", lambda: _date(field("first_day")))
    until = check("until", lambda: _date(field("until")))
    weeks = check("weeks", lambda: _weeks(field("weeks")))
    if until is not None and weeks is not None:
        errors["weeks"] = say(
            t("Give a last day or a number of weeks, not both: empty one of them."), tr
        )
    if until is not None and zone is not None:
        start = first_day or now.astimezone(ZoneInfo(zone)).date()
        if until < start:
            first = Day(start, "%a %-d %b %Y")
            errors["until"] = say(
                t("Pick a last day on or after the first day ({first}).", first=first), tr
            )
    duration = check(
        "duration_minutes", lambda: check_duration(int(field("duration_minutes")["value"]))
    )
    raw_capacity = field("capacity").get("value")
    capacity = check(
        "capacity", lambda: check_capacity(int(raw_capacity) if raw_capacity else None)
    )
    description = check(
        "description", lambda: check_description(field("description").get("value") or "")
    )
    if errors:
        return None, errors
    chosen = {o["value"] for o in field("options").get("selected_options") or []}
    every_other = {o["value"] for o in field("interval").get("selected_options") or []}
    visibility = (field("visibility").get("selected_option") or {}).get("value")
    command = ScheduleSeries(
        title=title or "",
        weekdays=sorted(weekdays or []),
        local_time=local_time or time(),
        timezone=zone,
        first_day=first_day,
        until=until,
        weeks=weeks,
        interval_weeks=2 if EVERY_OTHER in every_other else 1,
        duration_minutes=duration or 60,
        capacity=capacity,
        recording_enabled="recording_enabled" in chosen,
        chat_enabled="chat_enabled" in chosen,
        visibility=Visibility(visibility or Visibility.MEMBERS_ONLY.value),
        description=description or "",
    )
    return command, {}


def blame(error: InvalidInput, command: ScheduleSeries, tr: Translator = ENGLISH) -> dict[str, str]:
    """The core's refusal of a whole timetable, under the input most likely to fix it (in
    `tr`'s language; which input is read from the English)."""
    english = str(error.message)
    text = slack_wording(localize(error.message, tr))
    if "two years" in english or "ends" in english:
        end = "weeks" if command.weeks is not None else "until"
        return {end: say(t("{problem} Pick an earlier last day or fewer weeks.", problem=text), tr)}
    if "weeks" in english and command.weeks is not None:
        return {"weeks": text}
    if "no class" in english:
        fix = t("{problem} Check the days, the first day and the end.", problem=text)
        return {"first_day": say(fix, tr)}
    return {"title": say(t("{problem} Check the timetable's fields.", problem=text), tr)}


def _typed(state: dict[str, Any], missing: str) -> str:
    """The typed text; InvalidInput(`missing`) when empty."""
    text = str(state.get("value") or "").strip()
    if not text:
        raise InvalidInput(missing)
    return text


def _weekdays(state: dict[str, Any]) -> list[int]:
    days = sorted({int(o["value"]) for o in state.get("selected_options") or []})
    if not days or not all(0 <= d <= 6 for d in days):
        raise InvalidInput(t("Tick at least one day of the week."))
    return days


def _time(state: dict[str, Any]) -> time:
    """The timepicker's `selected_time`, `HH:mm`: a wall-clock time, no zone attached."""
    chosen = state.get("selected_time")
    if not chosen:
        raise InvalidInput(t("Pick the time the class starts, e.g. 17:30."))
    hours, minutes = str(chosen).split(":")
    return time(int(hours), int(minutes))


def _date(state: dict[str, Any]) -> date | None:
    chosen = state.get("selected_date")
    return date.fromisoformat(str(chosen)) if chosen else None


def _weeks(state: dict[str, Any]) -> int | None:
    raw = state.get("value")
    if not raw:
        return None
    return int(raw)  # its range is the core's rule (see `blame`)
