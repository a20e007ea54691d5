"""The /schedule-class modal: the timetable form, then a preview of the next classes.

Submitting the form pushes the preview onto the modal's stack, so its close button ("Back")
returns to the form exactly as the member left it; the preview's submit button ("Create")
creates the weekly class. The command travels from one view to the other in the preview's
`private_metadata`.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from adapters.slack.commands import escape
from adapters.slack.render_common import Block, context, mrkdwn
from adapters.slack.render_inputs import (
    input_block,
    modal_view,
    number_input,
    option,
    session_settings,
)
from core.commands import ScheduleSeries
from core.errors import InvalidInput
from core.model import Visibility
from core.recurrence import MAX_WEEKS, WEEKDAYS
from core.rules import DURATION_RANGE, TITLE_MAX
from core.series_replies import timetable
from core.timeparse import format_duration, format_when
from core.views import SeriesPlan

CALLBACK_SERIES_FORM = "dojo_series_form"
CALLBACK_SERIES_PREVIEW = "dojo_series_preview"
PRIVATE_METADATA_MAX = 3000
"""https://docs.slack.dev/reference/views/modal-views — `private_metadata` ≤ 3,000 chars."""
DESCRIPTION_INPUT_MAX = 2000
"""The form's description limit: the preview must carry it in its private_metadata."""
ZONE_INPUT_MAX = 64
NOTES_SHOWN = 8
EVERY_OTHER = "every_other_week"
DEFAULT_TIME = "18:00"


def series_form(channel_id: str | None, timezone: str) -> Block:
    """The form view; `timezone` (the member's Slack zone) is the zone field's default."""
    days = [option(day.capitalize(), str(n)) for n, day in enumerate(WEEKDAYS)]
    blocks: list[Block] = [
        input_block("title", "Title", {"type": "plain_text_input", "max_length": TITLE_MAX}),
        input_block("days", "Days", {"type": "checkboxes", "options": days}),
        input_block(
            "time",
            "Starts at",
            {"type": "timepicker", "initial_time": DEFAULT_TIME},
            hint="Wall-clock time in the class's time zone; it stays the same across DST.",
        ),
        input_block(
            "timezone",
            "Time zone",
            {"type": "plain_text_input", "initial_value": timezone, "max_length": ZONE_INPUT_MAX},
            hint="An IANA zone such as Europe/Berlin or America/New_York (yours is filled in).",
        ),
        input_block(
            "first_day",
            "First day",
            {"type": "datepicker"},
            optional=True,
            hint="Empty: from today.",
        ),
        input_block(
            "until",
            "Last day",
            {"type": "datepicker"},
            optional=True,
            hint="Inclusive. Give a last day or a number of weeks; neither: two years.",
        ),
        input_block("weeks", "Or for how many weeks", number_input(1, MAX_WEEKS), optional=True),
        input_block(
            "interval",
            "Frequency",
            {"type": "checkboxes", "options": [option("Every other week", EVERY_OTHER)]},
            optional=True,
        ),
        input_block("duration_minutes", "Duration (minutes)", number_input(*DURATION_RANGE, "60")),
        *session_settings("Record the classes"),
        input_block(
            "description",
            "Description",
            {"type": "plain_text_input", "multiline": True, "max_length": DESCRIPTION_INPUT_MAX},
            optional=True,
        ),
    ]
    metadata = json.dumps({"channel_id": channel_id})
    return modal_view(CALLBACK_SERIES_FORM, metadata, "Weekly class", "Preview", "Cancel", blocks)


def preview_metadata(channel_id: str | None, command: ScheduleSeries) -> str:
    """The preview's private_metadata (channel and command); InvalidInput when over Slack's
    limit, saying by how much to shorten the description."""
    carried = {"channel_id": channel_id, "command": command.model_dump(mode="json")}
    encoded = json.dumps(carried, separators=(",", ":"))  # ASCII-only: as many bytes as characters
    over = len(encoded) - PRIVATE_METADATA_MAX
    if over > 0:
        raise InvalidInput(
            f"Too long to carry to the preview: shorten the description by {over} characters "
            "or more (quotes and accents count double or more)."
        )
    return encoded


def read_preview_metadata(view: dict[str, Any]) -> tuple[str | None, ScheduleSeries]:
    """The channel and the command a preview carries (ValueError if it carries none)."""
    carried = json.loads(view.get("private_metadata") or "{}")
    if not isinstance(carried, dict) or "command" not in carried:
        raise ValueError("the preview carries no command")
    channel = carried.get("channel_id")
    return (str(channel) if channel else None), ScheduleSeries.model_validate(carried["command"])


def _facts(plan: SeriesPlan) -> str:
    series = plan.series
    length = format_duration(timedelta(minutes=series.duration_minutes))
    seats = "unlimited" if series.capacity is None else f"cap {series.capacity}"
    who = "public" if series.visibility is Visibility.PUBLIC else "members only"
    return f"{length} · {seats} · {who}"


def series_preview(plan: SeriesPlan, reader_tz: str, metadata: str) -> Block:
    """The preview view: the next classes in the reader's zone, the count and DST notes."""
    series = plan.series
    upcoming = "\n".join(f"• {format_when(p.start, reader_tz)}" for p in plan.upcoming)
    blocks: list[Block] = [
        mrkdwn(f"*{escape(series.title)}*\n{escape(timetable(series.rule))}\n{_facts(plan)}"),
        mrkdwn(f"*Next classes, in your time zone ({escape(reader_tz)}):*\n{upcoming}"),
        context(f"{plan.total} classes in all."),
    ]
    if plan.notes:
        shown = [f"• {escape(note)}" for note in plan.notes[:NOTES_SHOWN]]
        if len(plan.notes) > NOTES_SHOWN:
            shown.append(f"… and {len(plan.notes) - NOTES_SHOWN} more.")
        blocks.append(mrkdwn(":warning: *Daylight saving:*\n" + "\n".join(shown)))
    blocks.append(context("Nothing is created until you press Create; Back returns to the form."))
    return modal_view(CALLBACK_SERIES_PREVIEW, metadata, "Weekly class", "Create", "Back", blocks)
