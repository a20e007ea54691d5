"""The training-record settings (`DOJOBOT_TRAINING__…`), turned into the core's
`TrainingRules`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator

from core.training_ledger import TrainingRules


class TrainingSettings(BaseModel):
    """How the verified training ledger counts attendance (`docs/training-record.md`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    attended_share: float = TrainingRules().attended_share
    """Present for at least this share of a session's held length counts as attended:
    more than 0, at most 1 (`0.75`: three quarters)."""

    @field_validator("attended_share")
    @classmethod
    def _share(cls, value: float) -> float:
        if not 0 < value <= 1:
            raise ValueError(
                f"must be more than 0 and at most 1 (e.g. 0.75 for three quarters), not {value}"
            )
        return value

    def rules(self) -> TrainingRules:
        """The core's training rules."""
        return TrainingRules(attended_share=self.attended_share)
