"""`DOJOBOT_OFFERS__…`: off by default, durations as people write them, mistakes refused
with the variable's name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from core.offers import OfferRules


def test_offers_are_off_by_default() -> None:
    assert Settings(_env_file=None).offers.rules() == OfferRules()
    assert OfferRules().enabled is False


def test_offer_settings_read_durations_like_2h_and_15m(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJOBOT_OFFERS__ENABLED", "true")
    monkeypatch.setenv("DOJOBOT_OFFERS__CLAIM_WINDOW", "1h30m")
    monkeypatch.setenv("DOJOBOT_OFFERS__LATE_CLAIM_WINDOW", "10m")
    monkeypatch.setenv("DOJOBOT_OFFERS__OPEN_FROM", "0")
    rules = Settings(_env_file=None).offers.rules()
    assert rules == OfferRules(
        enabled=True,
        claim_window=timedelta(hours=1, minutes=30),
        late_claim_window=timedelta(minutes=10),
        open_from=timedelta(0),
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DOJOBOT_OFFERS__CLAIM_WINDOW", "soon"), ("DOJOBOT_OFFERS__LATE_CLAIM_WINDOW", "0")],
)
def test_a_wrong_offer_setting_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError, match="offers"):
        Settings(_env_file=None)
