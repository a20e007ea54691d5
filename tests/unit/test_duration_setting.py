"""Durations in the fair-seats settings: words, ISO 8601, and a refusal saying what to write."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from bot.min_attendance_settings import MinAttendanceSettings
from bot.no_show_settings import NoShowSettings
from bot.offer_settings import OfferSettings
from bot.substitute_settings import SubstituteSettings


def test_words_iso_and_zero_are_durations() -> None:
    assert OfferSettings(claim_window="1h30m").claim_window == timedelta(minutes=90)
    assert OfferSettings(claim_window="PT2H").claim_window == timedelta(hours=2)
    assert SubstituteSettings(head_start="0").head_start == timedelta(0)


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        (OfferSettings, "claim_window"),
        (MinAttendanceSettings, "answer_within"),
        (NoShowSettings, "period"),
        (SubstituteSettings, "answer_by"),
    ],
)
def test_a_bad_duration_says_what_to_write(settings: type, field: str) -> None:
    for bad in ("soon", "-1h"):
        with pytest.raises(ValidationError, match=r"e\.g\. 2h, 15m or 1h30m"):
            settings(**{field: bad})
