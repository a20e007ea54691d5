"""The no-show policy through the terminal front end, on SQLite + Jitsi, with the simulated
clock: a member who clicked their join link is present, one who never came is a no-show
(DMed with Appeal); an appeal reaches the admin with Waive; the instructor marks someone
present from the summary's button; a late cancel; two counting marks restrict RSVPs to the
waitlist, which `/my-record` shows with its end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.no_show_settings import NoShowSettings
from tests.e2e.conftest import Terminal, booted


@pytest.fixture
async def policy_terminal(tmp_path: Path) -> AsyncIterator[Terminal]:
    no_shows = NoShowSettings(enabled=True, threshold=2, admins=("terminal:boss",))
    async with booted(tmp_path, no_shows=no_shows) as term:
        yield term


async def test_no_shows_from_real_presence_appeal_waive_present_late_cancel_and_restriction(
    policy_terminal: Terminal,
) -> None:
    terminal = policy_terminal
    printed = await terminal.type(
        "/as sensei instructor", '/schedule-session "Kata" 2026-12-01 18:00 60m cap 5'
    )
    kata = terminal.session_id(printed)
    await terminal.type("/as ana member", f"/rsvp {kata}", "/as ben member", f"/rsvp {kata}")
    await terminal.type("/advance 9h")  # 18:00 UTC
    await terminal.type("/as sensei instructor", f"/start-session {kata}")
    printed = await terminal.type("/as ana member", f"/join {kata}")
    assert (await terminal.open_join_link(printed)).status_code == 302  # her click: presence
    printed = await terminal.type("/advance 50m", "/as sensei instructor", f"/end-session {kata}")
    assert terminal.lines_with("RSVP'd but absent (1): ben"), terminal.output
    assert terminal.lines_with(f"[Present: ben] /mark-present {kata} terminal:ben")
    assert not terminal.lines_with("[Present: ana]")
    told = [line for line in terminal.lines_with("[DM → ben]") if "no-show" in line]
    assert len(told) == 1, terminal.output
    assert terminal.lines_with(f"[Appeal] /appeal {kata}")
    assert not [line for line in terminal.lines_with("[DM → ana]") if "no-show" in line]

    # ben appeals: the admin is told once, with Waive; a member can't waive
    printed = await terminal.type("/as ben member", f"/appeal {kata}", f"/appeal {kata}")
    assert any("appeal is recorded" in line for line in printed), printed
    assert any("appealed already" in line for line in printed), printed
    assert len(terminal.lines_with("[DM → boss]")) == 1, terminal.output
    assert terminal.lines_with(f"[Waive] /waive {kata} terminal:ben")
    printed = await terminal.type(f"/waive {kata} terminal:ben")
    assert any("Only admins can waive" in line for line in printed), printed
    printed = await terminal.type("/as boss admin", f"/waive {kata} terminal:ben")
    assert any("Waived: ben's no-show" in line for line in printed), printed
    assert [line for line in terminal.lines_with("[DM → ben]") if "waived your mark" in line]

    # a second class: ben is absent again, the instructor clicks Present for him
    printed = await terminal.type(
        "/as sensei instructor", '/schedule-session "Kata" 2026-12-02 18:00 60m cap 5'
    )
    second = terminal.session_id(printed)
    await terminal.type("/as ben member", f"/rsvp {second}", "/advance 1d")
    await terminal.type("/as sensei instructor", f"/start-session {second}")
    await terminal.type(f"/end-session {second}")
    printed = await terminal.type("/as ana member", f"/mark-present {second} terminal:ben")
    assert any("Only sensei" in line for line in printed), printed
    printed = await terminal.type("/as sensei instructor", f"/mark-present {second} terminal:ben")
    assert any("marked present" in line and "(by you)" in line for line in printed), printed

    # a third: ben leaves 1 hour before the start (late cancel); a fourth: a no-show
    printed = await terminal.type(
        "/as sensei instructor",
        '/schedule-session "Kata" 2026-12-04 18:00 60m cap 5',
        '/schedule-session "Kata" 2026-12-05 18:00 60m cap 5',
    )
    third, fourth = (terminal.session_id([line]) for line in printed if "(id " in line)
    await terminal.type("/as ben member", f"/rsvp {third}", f"/rsvp {fourth}")
    await terminal.type("/advance 1d23h", f"/unrsvp {third}")  # 2026-12-04 17:00
    assert [line for line in terminal.lines_with("[DM → ben]") if "late cancel" in line]
    await terminal.type("/advance 1d1h", "/as sensei instructor", f"/start-session {fourth}")
    await terminal.type(f"/end-session {fourth}")
    began = [line for line in terminal.lines_with("[DM → ben]") if "waitlist only" in line]
    assert len(began) == 1, terminal.output

    # restricted: a free seat, yet the waitlist, saying until when
    printed = await terminal.type(
        "/as sensei instructor", '/schedule-session "Kata" 2026-12-08 18:00 60m cap 5'
    )
    fifth = terminal.session_id(printed)
    printed = await terminal.type("/as ben member", f"/rsvp {fifth}")
    assert any("You are waitlisted" in line and "until" in line for line in printed), printed
    printed = await terminal.type("/as ana member", f"/rsvp {fifth}", f"/session {fifth}")
    assert any("going: ana" in line for line in printed), printed
    assert any("waitlist: ben" in line for line in printed), printed

    # the record, for ben and (staff) about ben; ana may not look
    printed = await terminal.type("/as ben member", "/my-record")
    text = "\n".join(printed)
    assert "no-show" in text and "waived" in text and "late cancel" in text, printed
    assert "marked present" in text and "2 count towards the limit of 2" in text, printed
    assert "waitlist only until" in text, printed
    printed = await terminal.type("/as ana member", "/my-record terminal:ben")
    assert any("Only instructors and admins" in line for line in printed), printed
    printed = await terminal.type("/as sensei instructor", "/my-record terminal:ben")
    assert any("late cancel" in line for line in printed), printed
