"""The audit log through the terminal front end, on SQLite with the simulated clock: what
instructors do is recorded from "terminal" (schedule, capacity change, start, end; the
clock's overdue end as "clock"); an admin's `/audit` lists it newest first with the "More"
line to type; a member is refused; `/audit csv` writes the file under the data directory;
bad filters say what to type."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from tests.e2e.conftest import Terminal

WROTE = re.compile(r"\[DM → (\w+)\] Audit log: (\d+) entr(?:y|ies): (\S+\.csv)")


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


async def test_the_log_from_the_terminal(terminal: Terminal) -> None:
    printed = await terminal.type(
        "/as sensei instructor", '/schedule-session "Kata" 2026-12-01 18:00 60m cap 5'
    )
    kata = terminal.session_id(printed)
    await terminal.type(f"/update-session {kata} cap 8", "/advance 9h", f"/start-session {kata}")
    await terminal.type("/advance 55m", f"/end-session {kata}")
    printed = await terminal.type(
        '/schedule-session "Kihon" 2026-12-01 20:00 30m', "/advance 3h", "/advance 1m"
    )
    printed = await terminal.type("/as boss admin", "/audit")
    text = "\n".join(printed)
    for expected in (
        f"sensei (terminal) · schedule {kata}",
        f"sensei (terminal) · capacity {kata}: capacity 5 → 8",
        f"sensei (terminal) · start {kata}",
        f"sensei (terminal) · end {kata}",
        "clock (clock) · end",  # Kihon, never started: closed by the clock
    ):
        assert expected in text, text
    assert text.index("clock (clock) · end") < text.index(f"· start {kata}")  # newest first

    printed = await terminal.type("/audit csv")
    [found] = [m for line in printed if (m := WROTE.search(line))]
    assert found.group(1) == "boss" and int(found.group(2)) >= 6
    rows = read_rows(Path(found.group(3)))
    assert rows[0][:3] == ["id", "at", "actor_id"]
    assert {r[5] for r in rows[-2:]} == {"schedule", "capacity"}  # oldest; one instant

    printed = await terminal.type("/as ana member", "/audit")
    assert any("Only admins can read the audit log" in line for line in printed), printed
    printed = await terminal.type("/as boss admin", "/audit action promote")
    assert any("Use one of:" in line for line in printed), printed
