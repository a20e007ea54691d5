"""The shared grammar and time parser: whatever is typed, the answer is a clear InvalidInput
(or a command), never another exception, and out-of-range numbers say what to type."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import given

from core.errors import InvalidInput
from core.grammar import parse_command
from core.timeparse import parse_duration, parse_when
from tests.fuzz.inputs import FUZZ, lines, times

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
ZONES = ["UTC", "Europe/Berlin", "Pacific/Kiritimati", "America/Adak"]


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ('/schedule-session "Kata" tomorrow 18:00 99999999999999999999 minutes', "too long"),
        ('/schedule-session "Kata" in 99999999999 days', "too long"),
        ('/schedule-session "Kata" in 9999999999w', "too long"),
        ('/schedule-session "Kata" tomorrow 18:00 ' + "9" * 5000, "too long"),
        ("/update-session s-1 duration 99999999999999h", "too long"),
        ('/schedule-session "Kata" 9999-12-31 23:59 America/New_York', "too far"),
        ('/schedule-session "Kata" 0001-01-01 00:01 Asia/Tokyo', "too far"),
    ],
)
def test_numbers_beyond_any_calendar_are_refused_with_a_message(line: str, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_command(line, NOW, "UTC")
    assert says in caught.value.message and caught.value.hint
    assert len(caught.value.message) < 200  # a 5000-digit number is not echoed whole


def refusal(call: Callable[[], object]) -> InvalidInput | None:
    """The InvalidInput `call` raised, or None; any other exception escapes (a failure)."""
    try:
        call()
    except InvalidInput as error:
        return error
    return None


@FUZZ
@given(line=lines)
def test_any_command_line_parses_or_says_what_to_type(line: str) -> None:
    for zone in ZONES[:2]:
        error = refusal(lambda: parse_command(line, NOW, zone))  # noqa: B023 - called now
        assert error is None or error.message


@FUZZ
@given(text=times)
def test_any_time_or_duration_parses_or_says_what_to_type(text: str) -> None:
    for zone in ZONES:
        error = refusal(lambda: parse_when(text, NOW, zone))  # noqa: B023 - called now
        assert error is None or error.message
    error = refusal(lambda: parse_duration(text))
    assert error is None or error.message
