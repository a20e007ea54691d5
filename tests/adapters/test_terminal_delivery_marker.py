"""The terminal's ChatDelivery answers `already_delivered` from the DMs it printed."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.terminal.chat import TerminalChat
from adapters.terminal.directory import TerminalDirectory
from core import messages
from core.model import ReminderKind, TrainingSession
from core.testing.clock import FakeClock

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


async def test_a_printed_reminder_dm_is_known_by_its_marker() -> None:
    session = TrainingSession(
        id="s1",
        title="Kata",
        instructor_id="terminal:sensei",
        instructor_name="sensei",
        start_time=datetime(2026, 12, 2, 18, tzinfo=UTC),
        duration_minutes=60,
        created_at=NOW,
        updated_at=NOW,
    )
    printed: list[str] = []
    chat = TerminalChat(printed.append, TerminalDirectory(), FakeClock(NOW))
    notice = messages.reminder(session, ReminderKind.BEFORE_1H, to_member=True)
    assert not await chat.already_delivered("terminal:ana", "m1")
    await chat.send_dm("terminal:ana", notice.model_copy(update={"delivery_marker": "m1"}))
    await chat.send_dm("terminal:ben", notice)  # no marker: nothing to find later
    assert await chat.already_delivered("terminal:ana", "m1")
    assert not await chat.already_delivered("terminal:ben", "m1")
    assert printed
