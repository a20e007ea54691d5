"""Attendance exports through the terminal front end, on SQLite with the simulated clock: a
held session's ledger exported as CSV files written under the data directory (never over an
earlier one), their paths printed; members get only their own record; bad filters say what
to type."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from tests.e2e.conftest import Terminal

WROTE = re.compile(r"\[DM → (\w+)\] Attendance export: (\d+) rows?: (\S+\.csv) \((\d+) bytes\)")


def written(terminal: Terminal, printed: list[str]) -> tuple[str, Path]:
    """Who got the file and where it is, from the DM line just printed."""
    [found] = [m for line in printed if (m := WROTE.search(line))]
    path = Path(found.group(3))
    assert path.stat().st_size == int(found.group(4))
    return found.group(1), path


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


async def test_exports_are_files_under_the_data_dir(terminal: Terminal, tmp_path: Path) -> None:
    printed = await terminal.type(
        "/as sensei instructor", '/schedule-session "Kata" 2026-12-01 18:00 60m cap 5'
    )
    kata = terminal.session_id(printed)
    await terminal.type("/as ana member", f"/rsvp {kata}", "/as ben member", f"/rsvp {kata}")
    await terminal.type("/advance 9h", "/as sensei instructor", f"/start-session {kata}")
    printed = await terminal.type("/as ana member", f"/join {kata}")
    assert (await terminal.open_join_link(printed)).status_code == 302
    await terminal.type("/advance 55m", "/as sensei instructor", f"/end-session {kata}")

    printed = await terminal.type("/as ana member", "/export-attendance")
    who, mine = written(terminal, printed)
    assert who == "ana" and mine.parent == (tmp_path / "data" / "exports").resolve()
    assert any("sent to you privately as" in line for line in printed), printed
    assert [(r[1], r[5], r[9]) for r in rows(mine)[1:]] == [(kata, "terminal:ana", "yes")]

    printed = await terminal.type("/as sensei instructor", f"/export-attendance session {kata}")
    _, first = written(terminal, printed)
    printed = await terminal.type(f"/export-attendance session {kata}")
    _, second = written(terminal, printed)
    assert first != second and second.name.endswith("-2.csv")
    assert rows(first) == rows(second)
    assert sorted(r[5] for r in rows(first)[1:]) == ["terminal:ana", "terminal:ben"]

    printed = await terminal.type("/as ana member", "/export-attendance member terminal:ben")
    assert any("only your own training record" in line for line in printed), printed
    printed = await terminal.type("/export-attendance from 2026-13-01")
    assert any("YYYY-MM-DD" in line for line in printed), printed
