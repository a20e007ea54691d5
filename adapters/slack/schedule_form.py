"""Reads a submitted /schedule-session modal into a ScheduleSession, or field errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from adapters.slack.render_inputs import VALUE
from adapters.slack.words import say, t
from core.commands import ScheduleSession
from core.errors import InvalidInput
from core.i18n import ENGLISH, Translator
from core.min_attendance import check_minimum
from core.model import Visibility
from core.rules import check_capacity, check_duration, check_start, check_title


def submission_channel(view: dict[str, Any]) -> str | None:
    """The channel the modal was opened from (kept in private_metadata)."""
    try:
        channel = json.loads(view.get("private_metadata") or "{}").get("channel_id")
    except (ValueError, AttributeError):
        return None
    return str(channel) if channel else None


def read_schedule_form(
    view: dict[str, Any], now: datetime, tr: Translator = ENGLISH
) -> tuple[ScheduleSession | None, dict[str, str]]:
    """The command, or the errors to show under each input (block_id → message, in `tr`'s
    language: the member's)."""
    values = view.get("state", {}).get("values", {})

    def field(block_id: str) -> dict[str, Any]:
        return dict(values.get(block_id, {}).get(VALUE) or {})

    errors: dict[str, str] = {}

    def check(block_id: str, run: Any) -> Any:
        try:
            return run()
        except (InvalidInput, ValueError, TypeError) as exc:
            errors[block_id] = say(
                exc.message if isinstance(exc, InvalidInput) else t("Not a valid value."), tr
            )
            return None

    title = check("title", lambda: check_title(field("title").get("value") or ""))
    start = check("start_time", lambda: check_start(_instant(field("start_time")), now))
    duration = check(
        "duration_minutes", lambda: check_duration(int(field("duration_minutes")["value"]))
    )
    raw_capacity = field("capacity").get("value")
    capacity = check(
        "capacity", lambda: check_capacity(int(raw_capacity) if raw_capacity else None)
    )
    raw_minimum = field("min_going").get("value")
    minimum = check(
        "min_going",
        lambda: check_minimum(int(raw_minimum) if raw_minimum else None, capacity),
    )
    chosen = {o["value"] for o in field("options").get("selected_options") or []}
    visibility = (field("visibility").get("selected_option") or {}).get("value")
    event = (field("event_id").get("selected_option") or {}).get("value")
    if errors:
        return None, errors
    command = ScheduleSession(
        title=title,
        start_time=start,
        duration_minutes=duration,
        capacity=capacity,
        recording_enabled="recording_enabled" in chosen,
        chat_enabled="chat_enabled" in chosen,
        visibility=Visibility(visibility or Visibility.MEMBERS_ONLY.value),
        event_id=event,
        description=field("description").get("value") or "",
        min_going=minimum,
    )
    return command, {}


LATEST_STAMP = 253_402_300_800
"""Unix seconds of 10000-01-01: later instants have no datetime."""


def _instant(state: dict[str, Any]) -> datetime:
    """The datetimepicker's `selected_date_time`: an absolute instant in unix seconds."""
    stamp = state.get("selected_date_time")
    if stamp is None:
        raise InvalidInput(t("Pick the start date and time."))
    seconds = int(stamp)
    if not 0 <= seconds < LATEST_STAMP:  # fromtimestamp would overflow past year 9999
        raise InvalidInput(t("Pick a start date and time within the next two years."))
    return datetime.fromtimestamp(seconds, UTC)
