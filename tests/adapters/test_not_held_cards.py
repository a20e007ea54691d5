"""A session that was not held says so on every card (Slack, Discord, terminal, web page),
and offers no Join, Going or Leave any more."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from adapters.discord.render_card import session_embed, session_view
from adapters.discord.render_common import Links
from adapters.slack.render_card import announcement
from adapters.slack.render_common import ACTION_CANCEL, ACTION_GOING, ACTION_JOIN, ACTION_LEAVE
from adapters.terminal.render import session_card
from adapters.web.session_state import public_status
from core.model import Origin, RoomState, SessionStatus, TrainingSession
from core.views import SessionView

START = datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
AFTER = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)


def not_held() -> TrainingSession:
    session = TrainingSession(
        id="s42",
        title="Kata",
        instructor_id="x:sensei",
        instructor_name="Sensei",
        start_time=START,
        duration_minutes=15,
        status=SessionStatus.NOT_HELD,
        ended_at=AFTER,
        origin=Origin(platform="slack", workspace_id="T0", channel_id="C1"),
        created_at=START,
        updated_at=AFTER,
    )
    session.room.state = RoomState.DELETED
    return session


def test_slack_card_says_not_held_without_buttons_to_act() -> None:
    text, blocks = announcement(not_held(), 2, 0, AFTER, "https://dojo.example")
    shown = json.dumps(blocks)
    assert "Not held" in shown and "[not_held]" in text
    actions = [e.get("action_id") for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert not {ACTION_JOIN, ACTION_GOING, ACTION_LEAVE, ACTION_CANCEL} & set(actions), actions


def test_discord_card_says_not_held_without_buttons_to_act() -> None:
    links = Links("https://dojo.example")
    embed = session_embed(not_held(), 2, 0, links)
    assert embed.footer.text is not None and embed.footer.text.startswith("Not held")
    assert not session_view(not_held(), AFTER, links).children


def test_terminal_card_and_web_page_say_not_held() -> None:
    assert "NOT HELD" in session_card(not_held(), "2 going", "UTC", AFTER)[0]
    status = public_status(SessionView.build(not_held(), [], None), AFTER)
    assert status["status"] == "not_held" and status["status_label"].startswith("Not held")
    assert status["join_open"] is False
