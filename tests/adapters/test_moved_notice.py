"""The "moved" notice says from when to when, in each reader's own time, on every front end."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk.models.blocks import Block

from adapters.discord.render_notice import notice_embed
from adapters.slack.render_notice import notice_message
from adapters.terminal.chat import TerminalChat
from adapters.terminal.directory import TerminalDirectory
from core import messages
from core.model import Origin, Role, TrainingSession
from core.notices import Notice
from core.testing.clock import FakeClock

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WEDNESDAY = datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 12, 4, 18, 30, tzinfo=UTC)


def moved_notice(title: str = "Kata <basics> & more") -> Notice:
    session = TrainingSession(
        id="s42",
        title=title,
        instructor_id="slack:T0DOJO:U0SENSEI",
        instructor_name="Sensei",
        start_time=FRIDAY,
        duration_minutes=60,
        origin=Origin(platform="slack", workspace_id="T0DOJO", channel_id="C1"),
        created_at=NOW,
        updated_at=NOW,
    )
    return messages.rescheduled(session, WEDNESDAY)


def test_slack_says_both_starts_as_dates_each_reader_sees_in_their_zone() -> None:
    text, blocks = notice_message(moved_notice())
    wednesday = f"<!date^{int(WEDNESDAY.timestamp())}^{{date_short_pretty}} at {{time}}|"
    friday = f"<!date^{int(FRIDAY.timestamp())}^{{date_short_pretty}} at {{time}}|"
    body = blocks[0]["text"]["text"]
    for rendered in (text, body):
        assert "Kata &lt;basics&gt; &amp; more" in rendered  # the title stays inert
        assert rendered.index(wednesday) < rendered.index(friday)
        assert "Wed 2 Dec 2026 18:00 UTC>" in rendered and "Fri 4 Dec 2026 18:30 UTC>" in rendered
    for block in blocks:
        parsed = Block.parse(block)
        assert parsed is not None
        parsed.validate_json()


def test_discord_says_both_starts_as_native_timestamps() -> None:
    description = notice_embed(moved_notice()).description or ""
    old, new = int(WEDNESDAY.timestamp()), int(FRIDAY.timestamp())
    assert f"from <t:{old}:F> to <t:{new}:F>" in description
    assert "UTC" not in description


async def test_the_terminal_says_both_starts_in_the_readers_zone() -> None:
    lines: list[str] = []
    directory = TerminalDirectory()
    ana = directory.act_as("ana", Role.MEMBER, "Europe/Berlin")
    chat = TerminalChat(lines.append, directory, FakeClock(NOW))
    await chat.send_dm(ana.id, moved_notice("Kata"))
    assert (
        "“Kata” has moved from Wed 2 Dec 2026 19:00 CET (Europe/Berlin) "
        "to Fri 4 Dec 2026 19:30 CET (Europe/Berlin)." in lines[0]
    )
    await chat.post_to_channel(Origin(platform="terminal", channel_id="dojo"), moved_notice("Kata"))
    assert "moved from Wed 2 Dec 2026 18:00 UTC to Fri 4 Dec 2026 18:30 UTC." in lines[-1]
