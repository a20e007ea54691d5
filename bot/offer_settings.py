"""The waitlist-offer settings (`DOJOBOT_OFFERS__…`), turned into the core's `OfferRules`."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from bot.duration_setting import duration_setting
from core.offers import OfferRules


class OfferSettings(BaseModel):
    """A freed seat is offered to one waitlisted member at a time with a deadline
    (`docs/fair-seats.md`); off by default (the first waitlisted member gets it at once).
    Durations: `2h`, `15m`, `1h30m` (or ISO 8601, `PT2H`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    claim_window: timedelta = timedelta(hours=2)
    """How long the member offered a seat has to claim it."""
    late_from: timedelta = timedelta(hours=2)
    """Inside this long before the start, the window is `late_claim_window`."""
    late_claim_window: timedelta = timedelta(minutes=15)
    open_from: timedelta = timedelta(minutes=30)
    """Inside this long before the start, a free seat goes to whoever claims it first."""

    @field_validator("claim_window", "late_from", "late_claim_window", "open_from", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return duration_setting(value)

    @model_validator(mode="after")
    def _sane(self) -> OfferSettings:
        if self.claim_window <= timedelta(0) or self.late_claim_window <= timedelta(0):
            raise ValueError("claim windows must be longer than zero (e.g. 2h, 15m)")
        if self.late_from < timedelta(0) or self.open_from < timedelta(0):
            raise ValueError("late_from and open_from must not be negative (0 turns them off)")
        return self

    def rules(self) -> OfferRules:
        """The core's offer rules."""
        return OfferRules(
            enabled=self.enabled,
            claim_window=self.claim_window,
            late_from=self.late_from,
            late_claim_window=self.late_claim_window,
            open_from=self.open_from,
        )
