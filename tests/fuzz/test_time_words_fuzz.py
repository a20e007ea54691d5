"""Time input in every shipped language: whatever mix of words is typed, the readers answer
or raise InvalidInput with a message, never another exception."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.time_words import LANGUAGES, WORDS
from core.timeparse import (
    is_month,
    is_time_part,
    is_time_word,
    parse_day,
    parse_time_of_day,
    parse_weekdays,
    parse_when,
    split_when,
)
from tests.fuzz.inputs import FUZZ

NOW = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)  # just after midnight in Tokyo
ZONES = ["UTC", "Asia/Tokyo", "Europe/Berlin", "America/Adak"]

_TABLE_WORDS = sorted(
    {
        word
        for language in LANGUAGES
        for group in (
            *language.weekdays,
            *language.weekday_abbreviations,
            *language.months,
            *language.month_abbreviations,
            language.today,
            language.tomorrow,
            language.tonight,
            language.next,
            language.next_after,
            language.on,
            language.at,
            language.fillers,
            language.particles,
            language.and_words,
            language.oclock,
        )
        for word in group
    }
    | set(WORDS.meanings)
)
_PIECES = st.one_of(
    st.sampled_from(_TABLE_WORDS),
    st.sampled_from(["18:00", "7pm", "am", "18.30", "5.", "1er", "5日", "19時", "午後", "時半"]),
    st.sampled_from(["年", "月", "日", "時", "分", "(", ")", "（", "、", "・", "’", "'", ".", ","]),
    st.integers(min_value=-5, max_value=10**12).map(str),
    st.text(max_size=6),
)
_GLUE = st.sampled_from(["", " ", " ", "　", ", "])


@st.composite
def _mixed(draw: st.DrawFn) -> str:
    """Table words of any language, clocks, numbers and kana, glued with or without spaces."""
    pieces = draw(st.lists(_PIECES, max_size=7))
    return "".join(piece + draw(_GLUE) for piece in pieces)


def _refusal(call: Callable[[], object]) -> InvalidInput | None:
    try:
        call()
    except InvalidInput as error:
        return error
    return None


@FUZZ
@given(text=st.one_of(_mixed(), st.text(max_size=40)))
def test_any_time_in_any_language_parses_or_says_what_to_type(text: str) -> None:
    for zone in ZONES:
        error = _refusal(lambda: parse_when(text, NOW, zone))  # noqa: B023 - called now
        assert error is None or (error.message and error.hint)
    error = _refusal(lambda: split_when(text.split(), NOW, "Asia/Tokyo"))
    assert error is None or error.message
    for reader in (parse_weekdays, parse_time_of_day):
        error = _refusal(lambda: reader(text))  # noqa: B023 - called now
        assert error is None or error.message
    error = _refusal(lambda: parse_day(text, NOW.date()))
    assert error is None or error.message
    for word in text.split():
        is_time_word(word), is_time_part(word), is_month(word)
