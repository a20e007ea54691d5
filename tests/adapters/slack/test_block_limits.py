"""Block Kit limits: every payload we render passes the validator the fake Slack uses, even
with extreme inputs; the fake refuses what Slack refuses and answers in Slack's shapes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.chat import SlackChat
from adapters.slack.limits import (
    MESSAGE_BLOCKS_MAX,
    MESSAGE_TEXT_MAX,
    block_problems,
    text_problems,
    view_problems,
)
from adapters.slack.pacing import ChannelPacer
from adapters.slack.render_card import announcement, cancel_confirm
from adapters.slack.render_modal import schedule_modal
from adapters.slack.render_notice import notice_message
from adapters.slack.render_outcome import outcome_message
from core import messages
from core.executor import (
    AttendanceOutcome,
    EventOutcome,
    Outcome,
    SessionListOutcome,
    SessionOutcome,
)
from core.model import (
    Attendance,
    Event,
    Origin,
    ReminderKind,
    Rsvp,
    RsvpStatus,
    SessionStatus,
    TrainingSession,
)
from core.notices import Notice
from core.testing.clock import FakeClock
from core.views import AnnouncementView, SessionView
from tests.fakes.slack_api import BOT_TOKEN, FakeSlackApi

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
START = datetime(2026, 12, 2, 17, tzinfo=UTC)
AMP_TITLE = "Kata & R " * 20 + "&randori"  # 188 characters, 21 `&`: 272 escaped
HOSTILE = st.text(alphabet="&<>ab \n*_`@!", min_size=150, max_size=200).filter(str.strip)


def session(title: str = AMP_TITLE, ref: str | None = None, **changes: Any) -> TrainingSession:
    base = TrainingSession(
        id="s1",
        title=title,
        description=title * 20,
        instructor_id="slack:T0DOJO:U1",
        instructor_name=title,
        start_time=START,
        duration_minutes=60,
        capacity=20,
        origin=Origin(platform="slack", workspace_id="T0DOJO", channel_id="C1", message_ref=ref),
        created_at=NOW,
        updated_at=NOW,
    )
    return base.model_copy(update=changes)


def assert_sendable(text: str, blocks: list[dict[str, Any]]) -> None:
    """What the fake Slack checks on chat.postMessage / chat.update."""
    assert block_problems(blocks) == [], blocks
    assert text_problems(text) == []
    assert len(blocks) <= MESSAGE_BLOCKS_MAX


@pytest.fixture
async def fake() -> AsyncIterator[tuple[SlackChat, FakeSlackApi, AsyncWebClient]]:
    api = FakeSlackApi()
    await api.start()
    async with aiohttp.ClientSession() as http:
        client = AsyncWebClient(token=BOT_TOKEN, base_url=api.base_url, session=http)
        yield SlackChat(client, FakeClock(NOW), "https://d.example", ChannelPacer(0)), api, client
    await api.close()


def test_the_188_character_title_makes_a_plain_text_confirm_within_300() -> None:
    assert len(AMP_TITLE) == 188
    confirm = cancel_confirm(session())
    assert confirm["text"]["type"] == "plain_text"
    assert len(confirm["text"]["text"]) <= 300
    assert confirm["text"]["text"].endswith("will be canceled and everyone who RSVP'd is told.")
    assert "&am”" not in confirm["text"]["text"] and "&a”" not in confirm["text"]["text"]


async def test_a_card_with_a_188_character_ampersand_title_posts_and_updates(
    fake: tuple[SlackChat, FakeSlackApi, AsyncWebClient],
) -> None:
    slack, api, _ = fake
    ts = await slack.publish_announcement(
        AnnouncementView(session=session(), going=0, waitlisted=0)
    )
    assert ts is not None
    changed = session(ref=ts)
    assert await slack.publish_announcement(
        AnnouncementView(session=changed, going=3, waitlisted=0)
    )
    assert api.message("C1", ts).edits == 1
    assert all(c.result.get("error") is None for c in api.calls)


async def test_the_fake_refuses_what_slack_refuses_with_slacks_answer(
    fake: tuple[SlackChat, FakeSlackApi, AsyncWebClient],
) -> None:
    _, api, client = fake
    old_confirm = {
        "title": {"type": "plain_text", "text": "Cancel this session?"},
        "text": {"type": "mrkdwn", "text": "x"},
        "confirm": {"type": "plain_text", "text": "Cancel session"},
        "deny": {"type": "plain_text", "text": "Keep it"},
    }
    button = {"type": "button", "text": {"type": "plain_text", "text": "Cancel"}}
    refused: list[list[dict[str, Any]]] = [
        [{"type": "actions", "elements": [{**button, "action_id": "a", "confirm": old_confirm}]}],
        [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
        [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}] * 51,
        [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}],
        [{"type": "actions", "elements": [{**button, "action_id": "a" * 256}]}],
        # two buttons of one actions block with the same action_id
        [{"type": "actions", "elements": [{**button, "action_id": "a"}] * 2}],
    ]
    for blocks in refused:
        with pytest.raises(SlackApiError) as error:
            await client.chat_postMessage(channel="C1", text="t", blocks=blocks)
        answer = error.value.response.data
        assert isinstance(answer, dict)
        assert answer["error"] == "invalid_blocks" and answer["errors"]
        assert answer["response_metadata"]["messages"][0].startswith("[ERROR] ")
    with pytest.raises(SlackApiError) as error:
        await client.views_open(
            trigger_id="t",
            view={"type": "modal", "title": {"type": "plain_text", "text": "x" * 25}, "blocks": []},
        )
    assert error.value.response["error"] == "invalid_arguments"
    ok = [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]
    posted = await client.chat_postMessage(channel="C1", text="t", blocks=ok)
    assert posted["message"]["ts"] == posted["ts"] and posted["message"]["blocks"] == ok
    updated = await client.chat_update(channel="C1", ts=posted["ts"], text="u", blocks=ok)
    assert {"channel", "ts", "text", "message"} <= set(updated.data)
    assert updated["message"]["text"] == "u"
    assert not api.messages_in("C2")


def _rsvps(names: list[str]) -> list[Rsvp]:
    return [
        Rsvp(
            session_id="s1",
            member_id=f"slack:T0DOJO:U{n}",
            member_name=name,
            status=RsvpStatus.GOING,
            position=n,
            created_at=NOW,
            updated_at=NOW,
        )
        for n, name in enumerate(names)
    ]


def _notices(s: TrainingSession, title: str) -> list[Notice]:
    summary = [f"{title}: watched 20 min"] * 1000
    return [
        messages.reminder(s, ReminderKind.BEFORE_1H, to_member=True),
        messages.dm_fallback(s, ReminderKind.BEFORE_1H, "slack:T0DOJO:U1"),
        messages.promoted(s),
        messages.canceled(s, title),
        messages.rescheduled(s, START - timedelta(days=2)),
        messages.started(s),
        messages.ended(s, summary, True),
        messages.not_held(s),
        messages.recording_ready(s, "https://r.example/" + "a" * 200),
    ]


def _outcomes(s: TrainingSession, title: str) -> list[Outcome]:
    many = [s.model_copy(update={"id": f"s{n}", "title": f"{n} {title}"}) for n in range(100)]
    event = Event(id="e1", title=title, created_at=NOW)
    attendees = [
        Attendance(
            session_id="s1",
            member_id=f"slack:T0DOJO:U{n}",
            member_name=f"{n} {title}",
            joined_at=START,
            left_at=START + timedelta(minutes=50),
            watch_time_seconds=3000,
        )
        for n in range(1000)
    ]
    names = [f"{n} {title}" for n in range(1000)]
    view = SessionView(session=s, going=_rsvps(names), waitlisted=_rsvps(names), event=event)
    return [
        SessionListOutcome(sessions=many),
        EventOutcome(action="shown", event=event, sessions=many),
        AttendanceOutcome(session=s, attendance=attendees, no_shows=names),
        SessionOutcome(action="shown", view=view),
        SessionOutcome(action="scheduled", view=view, notes=[title] * 60),
    ]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=HOSTILE, status=st.sampled_from(list(SessionStatus)))
def test_every_payload_passes_slacks_limits_with_extreme_inputs(
    title: str, status: SessionStatus
) -> None:
    s = session(title, status=status, cancel_reason=title)
    event = Event(id="e1", title=title, created_at=NOW)
    for now in (NOW, START):
        assert_sendable(*announcement(s, 1000, 1000, now, "https://d.example", event))
    for notice in _notices(s, title):
        assert_sendable(*notice_message(notice))
    for outcome in _outcomes(s, title):
        text, blocks = outcome_message(outcome, "Europe/Berlin", NOW, "https://d.example")
        assert_sendable(text, blocks)
    events = [Event(id=f"e{n}", title=f"{n} {title}", created_at=NOW) for n in range(150)]
    assert view_problems(schedule_modal("C1", NOW, events)) == []


def test_long_lists_are_packed_not_dropped() -> None:
    s = session("Kata")
    attendees = [
        Attendance(
            session_id="s1",
            member_id=f"slack:T0DOJO:U{n}",
            member_name=f"m{n}",
            joined_at=START,
            left_at=None,
            watch_time_seconds=60,
        )
        for n in range(1000)
    ]
    outcome = AttendanceOutcome(session=s, attendance=attendees, no_shows=[])
    text, blocks = outcome_message(outcome, "UTC", NOW, "https://d.example")
    assert_sendable(text, blocks)
    shown = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "m0:" in shown and "m999:" in shown


def test_the_top_level_text_is_cut_to_slacks_limit() -> None:
    s = session("Kata")
    text, _ = notice_message(messages.ended(s, ["x&y " * 50] * 1000, True))
    assert len(text) <= MESSAGE_TEXT_MAX and not text.endswith(("&", "&a", "&am"))
