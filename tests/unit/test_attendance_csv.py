"""The attendance export's columns (`core.attendance_csv`): one documented header, one row
per ledger entry, dates in the association's zone, a UTF-8 byte order mark for Excel."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from core.attendance_csv import (
    COLUMNS,
    HEADER,
    attendance_csv,
    attendance_filename,
    attendance_row,
)
from core.training_ledger import LedgerEntry, LedgerQuery, Verdict

DOCS = Path(__file__).resolve().parents[2] / "docs" / "training-record.md"


def entry(**changes: object) -> LedgerEntry:
    base: dict[str, object] = {
        "session_id": "s-42",
        "member_id": "slack:T1:U2",
        "member_name": "Zoë",
        "title": "Kata",
        "series_id": "c-7",
        "instructor_id": "slack:T1:U9",
        "starts_at": datetime(2026, 3, 1, 23, 30, tzinfo=UTC),
        "session_seconds": 5400,
        "seconds_present": 4799,
        "attended": True,
        "recorded_at": datetime(2026, 3, 2, 1, 0, tzinfo=UTC),
    }
    return LedgerEntry.model_validate(base | changes)


def test_a_row_holds_every_column_in_order() -> None:
    row = attendance_row(entry(), ZoneInfo("Europe/Paris"))
    assert len(row) == len(HEADER)
    assert row == (
        "2026-03-02",  # 23:30 UTC is already the next day in Paris
        "s-42",
        "Kata",
        "c-7",
        "slack:T1:U9",
        "slack:T1:U2",
        "Zoë",
        79,
        90,
        "yes",
        None,
        None,
    )
    judged = entry(attended=False, verdict=Verdict.ABSENT, verdict_by="slack:T1:U9")
    assert attendance_row(judged, UTC)[9:] == ("no", "absent", "slack:T1:U9")


def test_the_file_starts_with_a_bom_then_the_header_and_reads_back() -> None:
    text = "".join(attendance_csv([entry(), entry(member_name="=cmd()")], UTC))
    assert text.startswith("\ufeffdate,session_id,")
    rows = list(csv.reader(io.StringIO(text.encode().decode("utf-8-sig"), newline="")))
    assert rows[0] == list(HEADER)
    assert rows[1][6] == "Zoë" and rows[2][6] == "'=cmd()"
    assert rows[1][0] == "2026-03-01"


def test_every_column_is_documented() -> None:
    docs = DOCS.read_text()
    for column in COLUMNS:
        assert f"`{column.name}`" in docs, column.name


def test_the_file_name_says_what_it_holds_and_is_safe() -> None:
    query = LedgerQuery(member_ids=["slack:T1:U2"], since=datetime(2026, 1, 1, tzinfo=UTC))
    name = attendance_filename(query, date(2026, 3, 31))
    assert name == "attendance-member-slack-T1-U2-from-2026-01-01-2026-03-31.csv"
    assert attendance_filename(LedgerQuery(session_id="../../x"), date(2026, 3, 1)) == (
        "attendance-session-x-2026-03-01.csv"
    )
