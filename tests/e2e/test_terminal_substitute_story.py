"""Substitute instructors through the terminal front end, on SQLite + Jitsi, with the
simulated clock: the preferred substitute is asked first, the others after the head start
(an instructor teaching at the same time is never asked), the first to accept teaches (the
card, the members and the old instructor follow; a second accept is told who took it), and a
request nobody accepts reaches the admins at its deadline."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.substitute_settings import SubstituteSettings
from tests.e2e.conftest import Terminal, booted


@pytest.fixture
async def subs_terminal(tmp_path: Path) -> AsyncIterator[Terminal]:
    substitutes = SubstituteSettings(
        instructors=("terminal:pref", "terminal:other"),
        preferred=("terminal:pref",),
        admins=("terminal:boss",),
    )
    async with booted(tmp_path, substitutes=substitutes) as term:
        yield term


async def test_need_sub_preferred_first_one_accept_wins_and_a_missed_one_reaches_admins(
    subs_terminal: Terminal,
) -> None:
    terminal = subs_terminal
    printed = await terminal.type(
        "/as sensei instructor", '/schedule-session "Kata" 2026-12-02 18:00 60m cap 1'
    )
    kata = terminal.session_id(printed)
    printed = await terminal.type(
        "/as kyo instructor", '/schedule-session "Judo" 2026-12-02 18:30 60m'
    )
    await terminal.type("/as ana member", f"/rsvp {kata}", "/as ben member", f"/rsvp {kata}")

    printed = await terminal.type("/as ana member", f"/need-sub {kata}")
    assert any("Only sensei" in line for line in printed), printed
    printed = await terminal.type("/as sensei instructor", f"/need-sub {kata}")
    assert any("Substitute request sent to 1 instructor" in line for line in printed), printed
    assert any("others are asked from" in line for line in printed), printed
    asked = terminal.lines_with("[DM → pref]")
    assert asked and "needs a substitute" in asked[0], terminal.output
    assert terminal.lines_with(f"[Accept] /take-sub {kata}")
    assert not terminal.lines_with("[DM → other]") and not terminal.lines_with("[DM → kyo]")
    printed = await terminal.type(f"/need-sub {kata}")
    assert any("already open" in line for line in printed), printed

    printed = await terminal.type("/as other instructor", f"/take-sub {kata}")
    assert any("Preferred substitutes have until" in line for line in printed), printed
    await terminal.type("/advance 30m")
    assert len(terminal.lines_with("[DM → other]")) == 1, terminal.output
    assert not terminal.lines_with("[DM → kyo]")  # teaches Judo at the same time
    printed = await terminal.type("/as kyo instructor", f"/take-sub {kata}")
    assert any("can't substitute" in line for line in printed), printed

    printed = await terminal.type("/as other instructor", f"/take-sub {kata}")
    assert any("You teach “Kata” now" in line for line in printed), printed
    printed = await terminal.type("/as pref instructor", f"/take-sub {kata}")
    assert any("already taken by other" in line for line in printed), printed
    printed = await terminal.type(f"/session {kata}")
    assert any("other" in line and "sensei" not in line for line in printed if "with" in line)
    for who in ("ana", "ben"):
        told = [line for line in terminal.lines_with(f"[DM → {who}]") if "instead of" in line]
        assert len(told) == 1, terminal.output
    assert any("accepted to teach" in line for line in terminal.lines_with("[DM → sensei]"))
    await terminal.restart()
    printed = await terminal.type("/as other instructor", f"/start-session {kata}")
    assert any("too early" in line for line in printed), printed  # it is theirs to start

    # nobody accepts the next one: at its deadline the admin and the instructor are told
    printed = await terminal.type(
        "/as sensei instructor",
        '/schedule-session "Randori" 2026-12-03 10:00 60m',
    )
    randori = terminal.session_id(printed)
    await terminal.type(f"/need-sub {randori}", "/advance 46h29m")  # 2026-12-03 07:59
    assert not terminal.lines_with("[DM → boss]")
    printed = await terminal.type("/advance 1m")  # 08:00, two hours before
    missing = [line for line in printed if "Nobody accepted" in line]
    assert any("[DM → boss]" in line for line in missing), printed
    assert any("[DM → sensei]" in line for line in missing), printed
    printed = await terminal.type("/advance 1h", "/as pref instructor", f"/take-sub {randori}")
    assert any("is closed" in line for line in printed), printed
    assert len([line for line in terminal.output if "Nobody accepted" in line]) == 2
