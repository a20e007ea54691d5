"""Rank progress through the terminal front end, on SQLite + Jitsi, with the simulated
clock: a class attended (a join-link click) counts in `/progress`; the instructor promotes
(the member is congratulated once), an admin corrects and removes; members see only their
own progress; the Monday digest tells the instructor who became eligible, once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.rank_settings import RankSettings
from tests.e2e.conftest import Terminal, booted

LADDER = '[{"name": "White", "min_classes": 1}, {"name": "Orange", "min_classes": 2}]'


@pytest.fixture
async def rank_terminal(tmp_path: Path) -> AsyncIterator[Terminal]:
    ranks = RankSettings.model_validate({"ladder": LADDER})
    async with booted(tmp_path, ranks=ranks) as term:
        yield term


async def test_progress_promote_correct_and_the_weekly_digest(rank_terminal: Terminal) -> None:
    terminal = rank_terminal
    printed = await terminal.type(
        "/as sensei instructor", '/schedule-session "Kata" 2026-12-01 18:00 60m cap 5'
    )
    kata = terminal.session_id(printed)
    await terminal.type("/as ana member", f"/rsvp {kata}", "/advance 9h")  # 18:00 UTC
    await terminal.type("/as sensei instructor", f"/start-session {kata}")
    printed = await terminal.type("/as ana member", f"/join {kata}")
    assert (await terminal.open_join_link(printed)).status_code == 302  # her click: presence
    await terminal.type("/advance 55m", "/as sensei instructor", f"/end-session {kata}")

    printed = await terminal.type("/as ana member", "/progress")
    assert any("1/1 classes toward White" in line for line in printed), printed
    assert any("Ready for White" in line for line in printed), printed
    printed = await terminal.type("/progress terminal:sensei")
    assert any("Only instructors and admins" in line for line in printed), printed
    printed = await terminal.type("/promote terminal:ana White")
    assert any("Only instructors and admins can record" in line for line in printed), printed

    printed = await terminal.type("/as sensei instructor", "/promote terminal:ana Purple")
    assert any("The ranks: White · Orange" in line for line in printed), printed
    printed = await terminal.type("/promote terminal:ana white")
    assert any("promoted to White on 2026-12-01" in line for line in printed), printed
    told = [line for line in terminal.lines_with("[DM → ana]") if "Congratulations" in line]
    assert len(told) == 1, terminal.output
    printed = await terminal.type("/progress terminal:ana")  # the grading day's class counts
    progress = "1/2 classes toward Orange · 0 of 0 months at White"
    assert any(progress in line for line in printed), printed

    printed = await terminal.type("/as boss admin", "/promotion-fix terminal:ana Orange")
    assert any("latest promotion is now Orange" in line for line in printed), printed
    printed = await terminal.type("/progress terminal:ana")
    assert any("At Orange, the top rank" in line for line in printed), printed
    printed = await terminal.type("/promotion-remove terminal:ana")
    assert any("Removed" in line and "Orange" in line for line in printed), printed

    # Monday 08:00 UTC: sensei (who taught) hears that ana is ready for White, once
    await terminal.type("/advance 5d14h")  # 2026-12-07 08:05
    digests = [line for line in terminal.lines_with("[DM → sensei]") if "Newly eligible" in line]
    assert len(digests) == 1, terminal.output
    assert "ana → White" in digests[0]
    await terminal.type("/advance 7d")
    digests = [line for line in terminal.lines_with("[DM → sensei]") if "Newly eligible" in line]
    assert len(digests) == 1, terminal.output
