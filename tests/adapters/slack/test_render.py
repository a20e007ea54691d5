"""Block Kit rendering, checked against slack_sdk's own Block Kit models and limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_sdk.models.views import View

from adapters.slack.commands import escape, grammar_line, slack_wording
from adapters.slack.limits import block_problems, view_problems
from adapters.slack.render_card import announcement, join_is_open
from adapters.slack.render_common import slack_date
from adapters.slack.render_modal import schedule_modal
from adapters.slack.render_notice import notice_message
from adapters.slack.schedule_form import read_schedule_form, submission_channel
from core import messages
from core.model import Event, Origin, ReminderKind, SessionStatus, TrainingSession

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)


def session(**changes: Any) -> TrainingSession:
    base = TrainingSession(
        id="s42",
        title="Kata <basics> & more",
        description="Bring a belt",
        instructor_id="slack:T0DOJO:U0SENSEI",
        instructor_name="Sensei",
        start_time=START,
        duration_minutes=90,
        capacity=20,
        origin=Origin(platform="slack", workspace_id="T0DOJO", channel_id="C1"),
        created_at=NOW,
        updated_at=NOW,
    )
    return base.model_copy(update=changes)


def valid_blocks(blocks: list[dict[str, Any]]) -> None:
    """What the fake Slack accepts: slack_sdk's models and limits plus the documented rules
    they don't check (adapters/slack/limits.py)."""
    assert block_problems(blocks) == []


def action_ids(blocks: list[dict[str, Any]]) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_slack_date_renders_in_each_readers_zone_with_a_fallback() -> None:
    assert slack_date(START, "Europe/Berlin") == (
        "<!date^1796317200^{date_short_pretty} at {time}|Thu 3 Dec 2026 18:00 CET (Europe/Berlin)>"
    )


def test_announcement_shows_everything_and_escapes_the_title() -> None:
    text, blocks = announcement(
        session(recording_enabled=True),
        7,
        2,
        NOW,
        "https://d.example",
        Event(id="e1", title="Camp", created_at=NOW),
    )
    valid_blocks(blocks)
    dumped = json.dumps(blocks, ensure_ascii=False)
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Kata &lt;basics&gt; &amp; more", "emoji": True},
    }  # plain_text is escaped too: Slack decodes &, < and > in every text object
    assert "<@U0SENSEI>" in dumped and "1 h 30 min" in dumped
    assert "7/20 going, 2 waitlisted" in dumped and "recorded" in dumped and "chat on" in dumped
    assert "Kata &lt;basics&gt; &amp; more" in dumped  # in mrkdwn (confirm dialog)
    assert "Camp" in dumped and "Bring a belt" in dumped
    assert text.startswith("Kata &lt;basics&gt; &amp; more with Sensei") and "7/20 going" in text
    assert action_ids(blocks) == [
        "dojo_rsvp_going",
        "dojo_rsvp_leave",
        "dojo_calendar",
        "dojo_cancel",
    ]
    calendar = blocks[-1]["elements"][2]
    assert calendar["url"] == "https://d.example/sessions/s42.ics"
    assert blocks[-1]["elements"][3]["confirm"]["style"] == "danger"


@pytest.mark.parametrize(
    ("now", "status", "shown"),
    [
        (START - timedelta(minutes=10, seconds=1), SessionStatus.SCHEDULED, False),
        (START - timedelta(minutes=10), SessionStatus.SCHEDULED, True),
        (START + timedelta(minutes=89), SessionStatus.SCHEDULED, True),
        (START + timedelta(minutes=90), SessionStatus.SCHEDULED, False),
        (START + timedelta(hours=3), SessionStatus.LIVE, True),
        (START, SessionStatus.CANCELED, False),
        (START, SessionStatus.ENDED, False),
    ],
)
def test_join_button_only_while_the_window_is_open(
    now: datetime, status: SessionStatus, shown: bool
) -> None:
    s = session(status=status)
    assert join_is_open(s, now) is shown
    _, blocks = announcement(s, 1, 0, now, "https://d.example")
    valid_blocks(blocks)
    assert ("dojo_join" in action_ids(blocks)) is shown


def test_finished_sessions_have_no_buttons_and_say_why() -> None:
    s = session(status=SessionStatus.CANCELED, cancel_reason="flood")
    _, blocks = announcement(s, 1, 0, NOW, "https://d.example")
    assert action_ids(blocks) == [] and "Canceled* — flood" in json.dumps(
        blocks, ensure_ascii=False
    )


def test_ten_minute_reminder_dm_has_a_join_button_and_others_do_not() -> None:
    s = session()
    text, blocks = notice_message(messages.reminder(s, ReminderKind.BEFORE_10M, to_member=True))
    valid_blocks(blocks)
    assert action_ids(blocks) == ["dojo_join"] and "10 minutes" in text
    _, blocks = notice_message(messages.reminder(s, ReminderKind.BEFORE_1H, to_member=True))
    assert action_ids(blocks) == []
    fallback = messages.dm_fallback(s, ReminderKind.BEFORE_1H, "slack:T0DOJO:U0ANA")
    text, _ = notice_message(fallback)
    assert text.startswith("<@U0ANA> ")


def test_modal_is_a_valid_view_and_its_submission_reads_back() -> None:
    events = [Event(id="e1", title="Camp", created_at=NOW)]
    view = schedule_modal("C1", NOW, events)
    View(**view).validate_json()
    assert view_problems(view) == []
    assert len(json.dumps(view)) < 250_000
    assert submission_channel(view) == "C1"
    picker = next(b for b in view["blocks"] if b["block_id"] == "start_time")["element"]
    assert picker["initial_date_time"] == int(datetime(2026, 12, 2, 10, tzinfo=UTC).timestamp())
    values = {
        "title": {"value": " Kata "},
        "start_time": {"selected_date_time": int(START.timestamp())},
        "duration_minutes": {"value": "90"},
        "capacity": {"value": None},
        "options": {"selected_options": [{"value": "recording_enabled"}]},
        "visibility": {"selected_option": {"value": "public"}},
        "event_id": {"selected_option": {"value": "e1"}},
    }
    state = {"state": {"values": {k: {"value": v} for k, v in values.items()}}}
    command, errors = read_schedule_form({**view, **state}, NOW)
    assert errors == {} and command is not None
    assert (command.title, command.start_time, command.duration_minutes) == ("Kata", START, 90)
    assert command.capacity is None and command.recording_enabled and not command.chat_enabled
    assert command.visibility.value == "public" and command.event_id == "e1"


def test_modal_errors_name_the_fields() -> None:
    values = {
        "title": {"value": ""},
        "start_time": {},
        "duration_minutes": {"value": "5"},
        "capacity": {"value": "0"},
    }
    view = {"state": {"values": {k: {"value": v} for k, v in values.items()}}}
    command, errors = read_schedule_form(view, NOW)
    assert command is None
    assert set(errors) == {"title", "start_time", "duration_minutes", "capacity"}
    assert errors["duration_minutes"].startswith("Duration must be between 15 and 480")


def test_command_text_is_unescaped_and_hints_renamed() -> None:
    assert grammar_line("/join-session", " s42 ") == "/join s42"
    assert (
        grammar_line("/schedule-session", '"A &amp; B" tomorrow')
        == '/schedule-session "A & B" tomorrow'
    )
    assert slack_wording("Try /join s42 or /help; /join-session stays") == (
        "Try /join-session s42 or /dojo-help; /join-session stays"
    )
    assert escape("a<b>&c") == "a&lt;b&gt;&amp;c"
