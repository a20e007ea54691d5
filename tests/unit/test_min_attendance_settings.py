"""`DOJOBOT_MIN_ATTENDANCE__…`: durations as people write them, the default's two values,
nonsense refused at start-up naming the setting; nothing set gives today's behaviour."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from core.min_attendance import MinAttendanceRules, MinDefault


def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(f"DOJOBOT_MIN_ATTENDANCE__{name}", value)
    return Settings(data_dir=tmp_path, _env_file=None)


def test_nothing_set_is_the_documented_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert settings(tmp_path, monkeypatch).min_attendance.rules() == MinAttendanceRules()


def test_durations_and_the_default_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = settings(
        tmp_path, monkeypatch, DECIDE_BEFORE="1h30m", ANSWER_WITHIN="45m", DEFAULT="cancel"
    ).min_attendance.rules()
    assert rules == MinAttendanceRules(
        decide_before=timedelta(minutes=90),
        answer_within=timedelta(minutes=45),
        default=MinDefault.CANCEL,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEFAULT", "maybe"),
        ("DECIDE_BEFORE", "10m"),
        ("ANSWER_WITHIN", "0m"),
        ("DECIDE_BEFORE", "x"),
    ],
)
def test_nonsense_is_refused_naming_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        settings(tmp_path, monkeypatch, **{name: value})
    assert "min_attendance" in str(refused.value)
