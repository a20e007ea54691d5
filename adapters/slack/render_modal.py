"""The /schedule-session modal: every field of a session, times in the member's Slack zone."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from adapters.slack.render_common import Block, plain
from core.model import Event, Visibility
from core.rules import CAPACITY_RANGE, DURATION_RANGE, TITLE_MAX

CALLBACK_SCHEDULE = "dojo_schedule"
VALUE = "value"
"""The action_id of every input in the modal (the block_id names the field)."""
MAX_EVENT_OPTIONS = 100


def default_start(now: datetime) -> datetime:
    """The picker's first suggestion: tomorrow, at the next whole hour."""
    return (now + timedelta(days=1, hours=1)).replace(minute=0, second=0, microsecond=0)


def _input(
    block_id: str, label: str, element: Block, *, optional: bool = False, hint: str | None = None
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": {**element, "action_id": VALUE},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, 2000)
    return block


def _option(text: str, value: str) -> Block:
    return {"text": plain(text, 75), "value": value}


def schedule_modal(channel_id: str, now: datetime, events: list[Event]) -> Block:
    """The modal view; the channel to announce in travels in `private_metadata`."""
    chat_on = _option("Chat on", "chat_enabled")
    blocks: list[Block] = [
        _input("title", "Title", {"type": "plain_text_input", "max_length": TITLE_MAX}),
        _input(
            "description",
            "Description",
            {"type": "plain_text_input", "multiline": True, "max_length": 2900},
            optional=True,
        ),
        _input(
            "start_time",
            "Starts",
            {"type": "datetimepicker", "initial_date_time": int(default_start(now).timestamp())},
            hint="In your Slack time zone.",
        ),
        _input(
            "duration_minutes",
            "Duration (minutes)",
            {
                "type": "number_input",
                "is_decimal_allowed": False,
                "initial_value": "60",
                "min_value": str(DURATION_RANGE[0]),
                "max_value": str(DURATION_RANGE[1]),
            },
        ),
        _input(
            "capacity",
            "Capacity",
            {
                "type": "number_input",
                "is_decimal_allowed": False,
                "min_value": str(CAPACITY_RANGE[0]),
                "max_value": str(CAPACITY_RANGE[1]),
            },
            optional=True,
            hint="Empty: unlimited. Beyond it, members join a waitlist.",
        ),
        _input(
            "options",
            "Options",
            {
                "type": "checkboxes",
                "options": [_option("Record the session", "recording_enabled"), chat_on],
                "initial_options": [chat_on],
            },
            optional=True,
        ),
        _input(
            "visibility",
            "Who may attend",
            {
                "type": "radio_buttons",
                "options": [
                    _option("Members only", Visibility.MEMBERS_ONLY.value),
                    _option("Public (guests too)", Visibility.PUBLIC.value),
                ],
                "initial_option": _option("Members only", Visibility.MEMBERS_ONLY.value),
            },
        ),
    ]
    if events:
        options = [_option(e.title, e.id) for e in events[-MAX_EVENT_OPTIONS:]]
        blocks.append(
            _input(
                "event_id",
                "Part of event",
                {"type": "static_select", "options": options},
                optional=True,
            )
        )
    return {
        "type": "modal",
        "callback_id": CALLBACK_SCHEDULE,
        "private_metadata": json.dumps({"channel_id": channel_id}),
        "title": plain("Schedule a session", 24),
        "submit": plain("Schedule", 24),
        "close": plain("Cancel", 24),
        "blocks": blocks,
    }
