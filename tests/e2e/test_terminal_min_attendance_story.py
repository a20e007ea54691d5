"""Minimum attendance through the terminal front end, on SQLite + Jitsi, with the simulated
clock: a session with `min 3` shows it on its card; at its decision time the instructor is
asked Keep / Cancel (once, also across a restart); Keep holds it; a second session is left
unanswered and the association's default (cancel) cancels it like a typed cancel, members
told with the reason; a late Keep says what happened."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.min_attendance_settings import MinAttendanceSettings
from core.min_attendance import MinDefault
from tests.e2e.conftest import Terminal, booted


@pytest.fixture
async def min_terminal(tmp_path: Path) -> AsyncIterator[Terminal]:
    rules = MinAttendanceSettings(default=MinDefault.CANCEL)
    async with booted(tmp_path, min_attendance=rules) as term:
        yield term


def asks(terminal: Terminal) -> list[str]:
    return [line for line in terminal.lines_with("[DM → sensei]") if "Keep it or cancel?" in line]


async def test_keep_holds_and_no_answer_cancels_by_default(min_terminal: Terminal) -> None:
    terminal = min_terminal
    printed = await terminal.type(
        "/as sensei instructor",
        '/schedule-session "Kata" 2026-12-01 18:00 60m cap 10 min 3',
    )
    kata = terminal.session_id(printed)
    assert any("0/10 going · min 3" in line for line in printed), printed
    printed = await terminal.type(
        '/schedule-session "Randori" 2026-12-01 20:00 60m min 2 decide 2h'
    )
    randori = terminal.session_id(printed)
    printed = await terminal.type('/schedule-session "Kihon" 2026-12-01 19:00 min 12 cap 10')
    assert any("can't be above the capacity (10)" in line for line in printed), printed
    await terminal.type(
        "/as ana member", f"/rsvp {kata}", f"/rsvp {randori}", "/as ben member", f"/rsvp {kata}"
    )

    # 15:00, three hours before Kata: two of three going → asked, once
    await terminal.type("/as sensei instructor", "/advance 5h59m")
    assert asks(terminal) == []
    await terminal.type("/advance 1m")
    (ask,) = asks(terminal)
    assert "Only 2 of the minimum 3 are going to “Kata”" in ask, ask
    assert terminal.lines_with(f"[Keep] /keep-session {kata}")
    assert terminal.lines_with(f"[Cancel] /cancel-session {kata} Fewer than 3 going")
    await terminal.restart()
    await terminal.type("/advance 10m")
    assert len(asks(terminal)) == 1  # not asked again after the restart

    printed = await terminal.type(f"/keep-session {kata}")
    assert any("Kept: “Kata”" in line for line in printed), printed
    printed = await terminal.type("/as ana member", f"/keep-session {kata}")
    assert any("Only sensei (the instructor) or an admin" in line for line in printed), printed

    # 20:00 − 2h = 18:00: Randori's decision (one of two going); nobody answers by 19:00
    await terminal.type("/as sensei instructor", "/advance 2h50m")
    assert len(asks(terminal)) == 2 and "“Randori”" in asks(terminal)[1]
    await terminal.type("/advance 1h")
    printed = await terminal.type(f"/session {randori}")
    assert any("canceled" in line.lower() for line in printed), printed
    told = [line for line in terminal.lines_with("[DM → ana]") if "Randori" in line]
    assert any("Reason: Fewer than 2 going" in line for line in told), terminal.output
    assert any(
        "Nobody answered by" in line and "“Randori” was canceled" in line
        for line in terminal.lines_with("[DM → sensei]")
    ), terminal.output
    printed = await terminal.type(f"/keep-session {randori}")
    assert any("Already canceled at" in line and "nobody answered" in line for line in printed)
    printed = await terminal.type(f"/session {kata}")
    assert any("scheduled" in line.lower() for line in printed), printed  # kept
