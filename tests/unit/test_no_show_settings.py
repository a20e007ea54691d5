"""`DOJOBOT_NO_SHOWS__…`: off by default, durations as people write them, admins as a list,
a clear refusal of a zero duration."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from bot.no_show_settings import NoShowSettings
from bot.settings import Settings
from core.no_show_policy import NoShowRules


def test_off_by_default_and_the_same_rules_as_the_core_defaults() -> None:
    assert Settings(_env_file=None).no_shows.rules() == NoShowRules()


def test_durations_thresholds_and_admins_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {
        "ENABLED": "true",
        "LATE_CANCEL_WINDOW": "90m",
        "THRESHOLD": "2",
        "PERIOD": "30d",
        "RESTRICTION": "14d",
        "LATE_CANCELS_COUNT": "false",
        "WAIVE_WITHIN": "24h",
        "ADMINS": "slack:T1:U1, discord:42",
        "RETENTION": "365d",
    }.items():
        monkeypatch.setenv(f"DOJOBOT_NO_SHOWS__{name}", value)
    rules = Settings(_env_file=None).no_shows.rules()
    assert rules == NoShowRules(
        enabled=True,
        late_cancel_window=timedelta(minutes=90),
        threshold=2,
        period=timedelta(days=30),
        restriction=timedelta(days=14),
        late_cancels_count=False,
        waive_within=timedelta(hours=24),
        admins=("slack:T1:U1", "discord:42"),
        retention=timedelta(days=365),
    )


def test_a_zero_threshold_or_duration_is_refused() -> None:
    with pytest.raises(ValidationError, match="threshold"):
        NoShowSettings(threshold=0)
    with pytest.raises(ValidationError, match="longer than zero"):
        NoShowSettings.model_validate({"period": "PT0S"})
