"""`DOJOBOT_TRAINING__ATTENDED_SHARE`: the core's default, a share from the environment, and
a clear refusal of a share outside (0, 1]."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from core.training_ledger import TrainingRules


def test_the_default_is_the_cores() -> None:
    assert Settings(_env_file=None).training.rules() == TrainingRules()


def test_a_share_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJOBOT_TRAINING__ATTENDED_SHARE", "0.5")
    assert Settings(_env_file=None).training.rules() == TrainingRules(attended_share=0.5)
    monkeypatch.setenv("DOJOBOT_TRAINING__ATTENDED_SHARE", "1")
    assert Settings(_env_file=None).training.rules().attended_share == 1


@pytest.mark.parametrize("share", ["0", "-0.2", "1.5", "75%"])
def test_a_share_outside_zero_to_one_is_refused_saying_what_to_write(
    monkeypatch: pytest.MonkeyPatch, share: str
) -> None:
    monkeypatch.setenv("DOJOBOT_TRAINING__ATTENDED_SHARE", share)
    with pytest.raises(ValidationError, match="attended_share") as refused:
        Settings(_env_file=None)
    if share != "75%":
        assert "more than 0 and at most 1 (e.g. 0.75" in str(refused.value)
