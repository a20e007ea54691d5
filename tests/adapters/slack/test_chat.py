"""SlackChat against the fake Web API: refused DMs, a deleted card, non-Slack members."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from adapters.slack.chat import SlackChat
from adapters.slack.pacing import ChannelPacer
from core import messages
from core.errors import DeliveryRefused
from core.model import Origin, ReminderKind, TrainingSession
from core.testing.clock import FakeClock
from core.views import AnnouncementView
from tests.adapters.slack.fake_client import fake_slack_client
from tests.fakes.slack_api import FakeSlackApi

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


@pytest.fixture
async def chat() -> AsyncIterator[tuple[SlackChat, FakeSlackApi]]:
    async with fake_slack_client("Ada") as (api, client):
        yield SlackChat(client, FakeClock(NOW), "https://d.example", ChannelPacer(0)), api


def session(ref: str | None = None) -> TrainingSession:
    return TrainingSession(
        id="s1",
        title="Kata",
        instructor_id="slack:T0DOJO:U1",
        instructor_name="Ada",
        start_time=datetime(2026, 12, 2, 17, tzinfo=UTC),
        duration_minutes=60,
        origin=Origin(platform="slack", workspace_id="T0DOJO", channel_id="C1", message_ref=ref),
        created_at=NOW,
        updated_at=NOW,
    )


async def test_dm_opens_the_channel_once_and_refusals_are_delivery_refused(
    chat: tuple[SlackChat, FakeSlackApi],
) -> None:
    slack, api = chat
    notice = messages.reminder(session(), ReminderKind.BEFORE_1H, to_member=True)
    await slack.send_dm("slack:T0DOJO:U1", notice)
    await slack.send_dm("slack:T0DOJO:U1", notice)
    assert len(api.calls_of("conversations.open")) == 1 and len(api.dms_to("U1")) == 2
    api.fail_next("chat.postMessage", "messages_tab_disabled")
    with pytest.raises(DeliveryRefused):
        await slack.send_dm("slack:T0DOJO:U1", notice)
    with pytest.raises(DeliveryRefused):
        await slack.send_dm("slack:T0DOJO:U404", notice)
    with pytest.raises(DeliveryRefused):
        await slack.send_dm("discord:1234", notice)
    api.fail_next("chat.postMessage", "internal_error")
    with pytest.raises(Exception, match="internal_error"):
        await slack.send_dm("slack:T0DOJO:U1", notice)


def card(session: TrainingSession, going: int) -> AnnouncementView:
    """The announcement of `session` with `going` members and no waitlist."""
    return AnnouncementView(session=session, going=going, waitlisted=0)


async def test_card_is_edited_in_place_and_reposted_when_deleted(
    chat: tuple[SlackChat, FakeSlackApi],
) -> None:
    slack, api = chat
    ts = await slack.publish_announcement(card(session(), 0))
    assert ts is not None
    assert await slack.publish_announcement(card(session(ts), 1)) == ts
    assert api.message("C1", ts).edits == 1 and "1 going" in api.message("C1", ts).text
    api.fail_next("chat.update", "message_not_found")
    new_ts = await slack.publish_announcement(card(session(ts), 2))
    assert new_ts not in (None, ts) and len(api.channel_posts("C1")) == 2
    assert (
        await slack.publish_announcement(card(session().model_copy(update={"origin": None}), 0))
        is None
    )
