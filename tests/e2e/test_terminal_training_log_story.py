"""The training ledger through the terminal front end, on SQLite + Jitsi, with the simulated
clock: a member who clicked their join link was present the whole class (counted attended),
one who never clicked was not; the summary offers Absent / Present (the no-show policy off);
the instructor marks the one who was there after all present, and `/training-log` shows each
member their record (staff: anyone's; a member only their own)."""

from __future__ import annotations

from tests.e2e.conftest import Terminal


async def test_join_clicks_verdicts_and_the_training_log(terminal: Terminal) -> None:
    printed = await terminal.type(
        "/as sensei instructor", '/schedule-session "Kata" 2026-12-01 18:00 60m cap 5'
    )
    kata = terminal.session_id(printed)
    await terminal.type("/as ana member", f"/rsvp {kata}", "/as ben member", f"/rsvp {kata}")
    await terminal.type("/advance 9h", "/as sensei instructor", f"/start-session {kata}")
    printed = await terminal.type("/as ana member", f"/join {kata}")
    assert (await terminal.open_join_link(printed)).status_code == 302  # her click: presence
    await terminal.type("/advance 50m", "/as sensei instructor", f"/end-session {kata}")
    assert terminal.lines_with(f"[Absent: ana] /mark-absent {kata} terminal:ana"), terminal.output
    assert terminal.lines_with(f"[Present: ben] /mark-present {kata} terminal:ben")

    # ben was there (his camera was on a friend's laptop): the instructor says so
    printed = await terminal.type("/as ana member", f"/mark-present {kata} terminal:ben")
    assert any("Only sensei" in line for line in printed), printed
    printed = await terminal.type("/as sensei instructor", f"/mark-present {kata} terminal:ben")
    assert any("marked present" in line and "(by you)" in line for line in printed), printed

    printed = await terminal.type("/as ana member", "/training-log")
    text = "\n".join(printed)
    assert "Training log of ana" in text, text
    assert "Classes attended: 1 this year, 1 in all · 50 min present in all." in text
    assert "Weekly streak: 1 week · best 1 week." in text
    assert "2026-12-01 · Kata · 50 min · ✓" in text
    printed = await terminal.type("/training-log terminal:ben")
    assert any("Only instructors and admins" in line for line in printed), printed
    assert any("/training-log" in line and "Type" in line for line in printed), printed

    printed = await terminal.type("/as sensei instructor", "/training-log terminal:ben")
    text = "\n".join(printed)
    assert "Training log of ben" in text, text
    assert "2026-12-01 · Kata · <1 min · ✓ (marked present by sensei)" in text
