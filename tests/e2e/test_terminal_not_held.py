"""Through the terminal on SQLite + Jitsi (no room events): the instructor's own join link
starts the session; a session nobody starts closes as "not held", and says so everywhere."""

from __future__ import annotations

from tests.e2e.conftest import Terminal


async def test_instructor_link_starts_it_and_an_unstarted_one_is_not_held(
    terminal: Terminal,
) -> None:
    printed = await terminal.type(
        "/as sensei instructor",
        '/schedule-session "Kata" 2026-12-01 10:00 30m',
        '/schedule-session "Randori" 2026-12-01 12:00 15m',
    )
    kata, randori = [
        terminal.session_id([line]) for line in printed if "Scheduled" in line and "(id " in line
    ]
    await terminal.type("/as ana member", f"/rsvp {randori}", "/advance 55m")  # 09:55 UTC

    # Jitsi tells us nothing about the room: the instructor opening their link starts it
    printed = await terminal.type("/as ana member", f"/join {kata}")
    assert (await terminal.open_join_link(printed)).status_code == 302
    assert not terminal.lines_with("is live now")  # a member's click starts nothing
    printed = await terminal.type("/as sensei instructor", f"/join {kata}")
    mark = len(terminal.output)
    assert (await terminal.open_join_link(printed)).status_code == 302
    assert any("is live now" in line for line in terminal.output[mark:]), terminal.output[mark:]
    printed = await terminal.type(f"/session {kata}")
    assert any("LIVE" in line for line in printed), printed

    # Randori: 12:00-12:15, never started; at 12:45 it closes as not held, once
    printed = await terminal.type("/advance 2h49m")  # 12:44
    assert not [line for line in printed if "not held" in line]
    printed = await terminal.type("/advance 1m")  # 12:45
    told = [line for line in printed if "was not held" in line and "[#dojo" in line]
    assert len(told) == 1, printed
    assert any("“Randori”" in line and "NOT HELD" in line for line in printed), printed
    printed = await terminal.type("/advance 1h")
    assert not [line for line in printed if "not held" in line]

    printed = await terminal.type("/as ana member", "/sessions not-held")
    assert any(randori in line and "[not_held]" in line for line in printed), printed
    printed = await terminal.type("/sessions")
    assert not any(randori in line for line in printed), printed
    printed = await terminal.type(f"/join {randori}")
    assert any("was not held" in line and "error" in line for line in printed), printed
