"""`DOJOBOT_AUDIT__KEPT_FOR`: two years by default, durations as people write them, a clear
refusal of a retention shorter than 30 days; and the composition root hands it to the core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from core.audit import AuditRules


def test_two_years_by_default() -> None:
    assert Settings(_env_file=None).audit.rules() == AuditRules(kept_for=timedelta(days=730))


@pytest.mark.parametrize(("written", "days"), [("365d", 365), ("P400D", 400), ("30d", 30)])
def test_kept_for_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, written: str, days: int
) -> None:
    monkeypatch.setenv("DOJOBOT_AUDIT__KEPT_FOR", written)
    assert Settings(_env_file=None).audit.rules().kept_for == timedelta(days=days)


@pytest.mark.parametrize(("written", "says"), [("7d", "at least 30d"), ("forever", "duration")])
def test_a_short_or_unreadable_retention_is_refused(
    monkeypatch: pytest.MonkeyPatch, written: str, says: str
) -> None:
    monkeypatch.setenv("DOJOBOT_AUDIT__KEPT_FOR", written)
    with pytest.raises(ValidationError, match=says):
        Settings(_env_file=None)
