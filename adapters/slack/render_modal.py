"""The /schedule-session modal: every field of a session, times in the member's Slack zone."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from adapters.slack.render_common import Block
from adapters.slack.render_inputs import (
    input_block,
    modal_view,
    number_input,
    option,
    session_settings,
)
from core.model import Event
from core.rules import DURATION_RANGE, TITLE_MAX

CALLBACK_SCHEDULE = "dojo_schedule"
MAX_EVENT_OPTIONS = 100


def default_start(now: datetime) -> datetime:
    """The picker's first suggestion: tomorrow, at the next whole hour."""
    return (now + timedelta(days=1, hours=1)).replace(minute=0, second=0, microsecond=0)


def schedule_modal(channel_id: str, now: datetime, events: list[Event]) -> Block:
    """The modal view; the channel to announce in travels in `private_metadata`."""
    blocks: list[Block] = [
        input_block("title", "Title", {"type": "plain_text_input", "max_length": TITLE_MAX}),
        input_block(
            "description",
            "Description",
            {"type": "plain_text_input", "multiline": True, "max_length": 2900},
            optional=True,
        ),
        input_block(
            "start_time",
            "Starts",
            {"type": "datetimepicker", "initial_date_time": int(default_start(now).timestamp())},
            hint="In your Slack time zone.",
        ),
        input_block("duration_minutes", "Duration (minutes)", number_input(*DURATION_RANGE, "60")),
        *session_settings("Record the session"),
    ]
    if events:
        options = [option(e.title, e.id) for e in events[-MAX_EVENT_OPTIONS:]]
        blocks.append(
            input_block(
                "event_id",
                "Part of event",
                {"type": "static_select", "options": options},
                optional=True,
            )
        )
    metadata = json.dumps({"channel_id": channel_id})
    return modal_view(
        CALLBACK_SCHEDULE, metadata, "Schedule a session", "Schedule", "Cancel", blocks
    )
