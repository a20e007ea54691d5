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
from adapters.slack.words import say, t
from core.i18n import ENGLISH, Translator
from core.model import Event
from core.rules import CAPACITY_RANGE, DURATION_RANGE, TITLE_MAX

CALLBACK_SCHEDULE = "dojo_schedule"
MAX_EVENT_OPTIONS = 100


def default_start(now: datetime) -> datetime:
    """The picker's first suggestion: tomorrow, at the next whole hour."""
    return (now + timedelta(days=1, hours=1)).replace(minute=0, second=0, microsecond=0)


def schedule_modal(
    channel_id: str, now: datetime, events: list[Event], tr: Translator = ENGLISH
) -> Block:
    """The modal view in `tr`'s language (the member's); the channel to announce in travels
    in `private_metadata`."""
    title = {"type": "plain_text_input", "max_length": TITLE_MAX}
    blocks: list[Block] = [
        input_block("title", say(t("Title"), tr), title),
        input_block(
            "description",
            say(t("Description"), tr),
            {"type": "plain_text_input", "multiline": True, "max_length": 2900},
            optional=True,
        ),
        input_block(
            "start_time",
            say(t("Starts"), tr),
            {"type": "datetimepicker", "initial_date_time": int(default_start(now).timestamp())},
            hint=say(t("In your Slack time zone."), tr),
        ),
        input_block(
            "duration_minutes",
            say(t("Duration (minutes)"), tr),
            number_input(*DURATION_RANGE, "60"),
        ),
        *session_settings(say(t("Record the session"), tr), tr),
        input_block(
            "min_going",
            say(t("Minimum going"), tr),
            number_input(*CAPACITY_RANGE),
            optional=True,
            hint=say(t("Fewer going at the decision time: you are asked to keep or cancel."), tr),
        ),
    ]
    if events:
        options = [option(e.title, e.id) for e in events[-MAX_EVENT_OPTIONS:]]
        blocks.append(
            input_block(
                "event_id",
                say(t("Part of event"), tr),
                {"type": "static_select", "options": options},
                optional=True,
            )
        )
    metadata = json.dumps({"channel_id": channel_id})
    return modal_view(
        CALLBACK_SCHEDULE,
        metadata,
        say(t("Schedule a session"), tr),
        say(t("Schedule"), tr),
        say(t("Cancel"), tr),
        blocks,
    )
