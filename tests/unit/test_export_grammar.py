"""`/export-attendance` as typed (`core.export_grammar` through `parse_command`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.errors import InvalidInput
from core.export_commands import ExportAttendance
from core.grammar import parse_command

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def parse(line: str) -> object:
    return parse_command(line, NOW, "UTC")


def test_no_filter_and_every_filter_combined() -> None:
    assert parse("/export-attendance") == ExportAttendance()
    line = "/export-attendance class c-7 member slack:T1:U2 from 2026-01-01 to 2026-03-31"
    assert parse(line) == ExportAttendance(
        series_id="c-7",
        member_id="slack:T1:U2",
        first_day=date(2026, 1, 1),
        last_day=date(2026, 3, 31),
    )
    assert parse("/export-attendance SESSION s-42") == ExportAttendance(session_id="s-42")


@pytest.mark.parametrize(
    ("line", "says", "hint"),
    [
        ("/export-attendance s-42", 'Unexpected "s-42"', "session <id>"),
        ("/export-attendance session", "Missing the value after session", "Usage"),
        ("/export-attendance from 1/2/2026", "is not a date", "YYYY-MM-DD"),
        ("/export-attendance from 2026-03-01 to 2026-01-01", "ends before it starts", "from"),
        ("/export-attendance class a class b", "given twice", "Usage"),
        ("/export-attendance member <@U2>", "is not a member id", "slack:T01:U02"),
    ],
)
def test_bad_filters_say_what_to_type(line: str, says: str, hint: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse(line)
    assert says in str(refused.value)
    assert hint in str(refused.value.hint)
    assert "<@" not in str(refused.value)
