"""The terminal's buttons (issue 16, docs/fair-seats.md "Buttons and commands"): a notice's
buttons and a ReplyOutcome's are printed as the lines to type, `[Claim] /claim s-42`, the
labels in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.i18n import BabelLanguages
from adapters.slack.words import t as slack_t
from adapters.terminal.chat import TerminalChat
from adapters.terminal.directory import TerminalDirectory
from adapters.terminal.render import outcome_lines
from core.i18n import localize, t
from core.model import Origin, TrainingSession
from core.notices import ButtonStyle, Notice, NoticeButton, NoticeKind
from core.reply_outcome import ReplyOutcome
from core.testing.clock import FakeClock

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
SESSION = TrainingSession(
    id="s-42",
    title="Kata",
    instructor_id="terminal:sensei",
    instructor_name="sensei",
    start_time=datetime(2026, 12, 2, 18, tzinfo=UTC),
    duration_minutes=60,
    created_at=NOW,
    updated_at=NOW,
)
CLAIM = NoticeButton(label=t("Claim"), command="/claim s-42", style=ButtonStyle.PRIMARY)
PASS = NoticeButton(label=t("Pass"), command="/pass s-42")


async def test_a_notices_buttons_are_printed_as_lines_to_type() -> None:
    printed: list[str] = []
    chat = TerminalChat(printed.append, TerminalDirectory(), FakeClock(NOW))
    notice = Notice(
        kind=NoticeKind.SEAT_OFFERED,
        session=SESSION,
        text=t("A seat is free."),
        buttons=(CLAIM, PASS),
    )
    await chat.send_dm("terminal:ana", notice)
    assert printed[-2:] == ["    [Claim] /claim s-42", "    [Pass] /pass s-42"]
    origin = Origin(platform="terminal", workspace_id="local", channel_id="dojo")
    await chat.post_to_channel(origin, notice)
    assert "[#dojo · everyone]" in printed[-3] and printed[-1] == "    [Pass] /pass s-42"


async def test_a_notice_without_buttons_prints_no_button_line() -> None:
    printed: list[str] = []
    chat = TerminalChat(printed.append, TerminalDirectory(), FakeClock(NOW))
    notice = Notice(kind=NoticeKind.SEAT_OFFERED, session=SESSION, text=t("A seat is free."))
    await chat.send_dm("terminal:ana", notice)
    assert not any("[" in line and "] /" in line for line in printed)


def test_a_reply_outcome_prints_its_lines_then_its_buttons_in_the_readers_language() -> None:
    outcome = ReplyOutcome(
        action="offered",
        lines=[t("Nothing to do: the command is empty.")],
        buttons=[NoticeButton(label=slack_t("Join"), command="/claim s-42")],
    )
    lines = outcome_lines(outcome, "UTC", NOW)
    english = [localize(line, BabelLanguages().translator("en")) for line in lines]
    assert english == ["Nothing to do: the command is empty.", "  [Join] /claim s-42"]
    japanese = [localize(line, BabelLanguages().translator("ja")) for line in lines]
    assert japanese[1].endswith("] /claim s-42") and "Join" not in japanese[1]
    assert "Nothing to do" not in japanese[0]
