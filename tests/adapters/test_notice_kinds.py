"""Every NoticeKind renders on every front end: Slack, Discord and the terminal.

(Delivery of every kind over loopback to the fake Slack and Discord APIs is in
tests/adapters/slack/test_untrusted_text.py and tests/adapters/discord/test_untrusted_text.py.)
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.discord.render_notice import mention_content, notice_embed, notice_view
from adapters.slack.render_notice import notice_message
from adapters.terminal.chat import TerminalChat
from adapters.terminal.directory import TerminalDirectory
from core.model import Origin, TrainingSession
from core.notices import Notice, NoticeKind, for_every_kind
from core.testing.clock import FakeClock

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ORIGIN = Origin(platform="terminal", workspace_id="local", channel_id="dojo")


def every_kind(member_id: str) -> list[Notice]:
    """A notice of each kind, plain and as a channel mention, with and without Join."""
    session = TrainingSession(
        id="s1",
        title="Kata",
        instructor_id="slack:T1:U1",
        instructor_name="Sensei",
        start_time=datetime(2026, 12, 3, 17, tzinfo=UTC),
        duration_minutes=60,
        origin=ORIGIN,
        created_at=NOW,
        updated_at=NOW,
    )
    notices = [
        Notice(kind=kind, session=session, text=f"{kind.value} of “Kata”", show_join=join)
        for kind in NoticeKind
        for join in (False, True)
    ]
    return notices + [n.model_copy(update={"mention_member_id": member_id}) for n in notices]


def test_a_table_missing_a_kind_fails_when_it_is_built() -> None:
    partial: dict[NoticeKind, str] = {
        kind: "x" for kind in NoticeKind if kind is not NoticeKind.RECORDING_READY
    }
    with pytest.raises(TypeError, match="recording_ready"):
        for_every_kind(partial)
    assert for_every_kind(partial | {NoticeKind.RECORDING_READY: "y"})


def test_slack_renders_every_kind() -> None:
    for notice in every_kind("slack:T1:U2"):
        text, blocks = notice_message(notice)
        assert notice.text in text and blocks


async def test_discord_renders_every_kind() -> None:
    for notice in every_kind("discord:77"):
        embed = notice_embed(notice)
        assert embed.description == notice.text
        assert (notice_view(notice) is not None) is notice.show_join
        content, _ = mention_content(notice)
        assert (content == "<@77>") is (notice.mention_member_id is not None)


async def test_terminal_renders_every_kind() -> None:
    printed: list[str] = []
    chat = TerminalChat(printed.append, TerminalDirectory(), FakeClock(NOW))
    for notice in every_kind("terminal:ana"):
        mark = len(printed)
        await chat.send_dm("terminal:ana", notice)
        await chat.post_to_channel(ORIGIN, notice)
        assert sum(notice.text in line for line in printed[mark:]) == 2
