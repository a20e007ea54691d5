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
from adapters.slack.words import say, t, tn
from core.commands import ScheduleSeries
from core.errors import InvalidInput
from core.i18n import ENGLISH, Translator, localize
from core.model import Visibility
from core.recurrence import MAX_WEEKS, WEEKDAYS
from core.rules import DURATION_RANGE, TITLE_MAX
from core.series_replies import timetable
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


def series_form(channel_id: str | None, timezone: str, tr: Translator = ENGLISH) -> Block:
    """The form view in `tr`'s language (the member's); `timezone` (the member's Slack zone)
    is the zone field's default."""
    days = [option(tr.weekday(n), str(n)) for n in range(len(WEEKDAYS))]
    every_other = option(say(t("Every other week"), tr), EVERY_OTHER)
    description = {
        "type": "plain_text_input",
        "multiline": True,
        "max_length": DESCRIPTION_INPUT_MAX,
    }
    blocks: list[Block] = [
        input_block(
            "title", say(t("Title"), tr), {"type": "plain_text_input", "max_length": TITLE_MAX}
        ),
        input_block("days", say(t("Days"), tr), {"type": "checkboxes", "options": days}),
        input_block(
            "time",
            say(t("Starts at"), tr),
            {"type": "timepicker", "initial_time": DEFAULT_TIME},
            hint=say(
                t("Wall-clock time in the class's time zone; it stays the same across DST."), tr
            ),
        ),
        input_block(
            "timezone",
            say(t("Time zone"), tr),
            {"type": "plain_text_input", "initial_value": timezone, "max_length": ZONE_INPUT_MAX},
            hint=say(
                t("An IANA zone such as Europe/Berlin or America/New_York (yours is filled in)."),
                tr,
            ),
        ),
        input_block(
            "first_day",
            say(t("First day"), tr),
            {"type": "datepicker"},
            optional=True,
            hint=say(t("Empty: from today."), tr),
        ),
        input_block(
            "until",
            say(t("Last day"), tr),
            {"type": "datepicker"},
            optional=True,
            hint=say(t("Inclusive. Give a last day or a number of weeks; neither: two years."), tr),
        ),
        input_block(
            "weeks", say(t("Or for how many weeks"), tr), number_input(1, MAX_WEEKS), optional=True
        ),
        input_block(
            "interval",
            say(t("Frequency"), tr),
            {"type": "checkboxes", "options": [every_other]},
            optional=True,
        ),
        input_block(
            "duration_minutes",
            say(t("Duration (minutes)"), tr),
            number_input(*DURATION_RANGE, "60"),
        ),
        *session_settings(say(t("Record the classes"), tr), tr),
        input_block("description", say(t("Description"), tr), description, optional=True),
    ]
    metadata = json.dumps({"channel_id": channel_id})
    return modal_view(
        CALLBACK_SERIES_FORM,
        metadata,
        say(t("Weekly class"), tr),
        say(t("Preview"), tr),
        say(t("Cancel"), tr),
        blocks,
    )


def preview_metadata(channel_id: str | None, command: ScheduleSeries) -> str:
    """The preview's private_metadata (channel and command); InvalidInput when over Slack's
    limit, saying by how much to shorten the description."""
    carried = {"channel_id": channel_id, "command": command.model_dump(mode="json")}
    encoded = json.dumps(carried, separators=(",", ":"))  # ASCII-only: as many bytes as characters
    over = len(encoded) - PRIVATE_METADATA_MAX
    if over > 0:
        raise InvalidInput(
            t(
                "Too long to carry to the preview: shorten the description by {over} characters "
                "or more (quotes and accents count double or more).",
                over=over,
            )
        )
    return encoded


def read_preview_metadata(view: dict[str, Any]) -> tuple[str | None, ScheduleSeries]:
    """The channel and the command a preview carries (ValueError if it carries none)."""
    carried = json.loads(view.get("private_metadata") or "{}")
    if not isinstance(carried, dict) or "command" not in carried:
        raise ValueError("the preview carries no command")
    channel = carried.get("channel_id")
    return (str(channel) if channel else None), ScheduleSeries.model_validate(carried["command"])


def _facts(plan: SeriesPlan, tr: Translator) -> str:
    series = plan.series
    length = tr.duration(timedelta(minutes=series.duration_minutes))
    seats = (
        say(t("unlimited"), tr)
        if series.capacity is None
        else say(t("cap {capacity}", capacity=series.capacity), tr)
    )
    who = say(t("public") if series.visibility is Visibility.PUBLIC else t("members only"), tr)
    return f"{length} · {seats} · {who}"


def series_preview(
    plan: SeriesPlan, reader_tz: str, metadata: str, tr: Translator = ENGLISH
) -> Block:
    """The preview view in `tr`'s language: the next classes in the reader's zone, the count
    and DST notes."""
    series = plan.series
    upcoming = "\n".join(f"• {tr.when(p.start, reader_tz)}" for p in plan.upcoming)
    rule = escape(localize(timetable(series.rule), tr))
    next_classes = t("*Next classes, in your time zone ({tz}):*", tz=escape(reader_tz))
    blocks: list[Block] = [
        mrkdwn(f"*{escape(series.title)}*\n{rule}\n{_facts(plan, tr)}"),
        mrkdwn(f"{say(next_classes, tr)}\n{upcoming}"),
        context(say(tn("{n} classes in all.", "{n} classes in all.", plan.total), tr)),
    ]
    if plan.notes:
        shown = [f"• {escape(localize(note, tr))}" for note in plan.notes[:NOTES_SHOWN]]
        if len(plan.notes) > NOTES_SHOWN:
            shown.append(say(t("… and {n} more.", n=len(plan.notes) - NOTES_SHOWN), tr))
        dst = say(t("*Daylight saving:*"), tr)
        blocks.append(mrkdwn(f":warning: {dst}\n" + "\n".join(shown)))
    nothing_yet = t("Nothing is created until you press Create; Back returns to the form.")
    blocks.append(context(say(nothing_yet, tr)))
    return modal_view(
        CALLBACK_SERIES_PREVIEW,
        metadata,
        say(t("Weekly class"), tr),
        say(t("Create"), tr),
        say(t("Back"), tr),
        blocks,
    )
