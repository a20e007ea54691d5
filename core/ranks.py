"""Rank progress: the association's ladder and the promotions instructors record.

The ladder is configuration (`DOJOBOT_RANKS__…`): ranks in order, each with the attended
classes and the time at the previous rank it takes to reach it, optionally counting only
classes of some types (session tags). Progress is computed from the verified ledger
(`core.training_ledger`), never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from pydantic import Field, field_validator

from core.model import Model, ensure_utc


@dataclass(frozen=True)
class RankStep:
    """One rank of the ladder and what reaching it takes (counted since the previous rank)."""

    name: str
    min_classes: int = 0
    """Attended classes at the previous rank."""
    min_months: int = 0
    """Whole months since the promotion to the previous rank."""
    class_types: tuple[str, ...] = ()
    """Only classes carrying one of these tags count (empty: every class counts)."""


@dataclass(frozen=True)
class RankLadder:
    """The ranks in order, lowest first (empty: rank progress is off)."""

    steps: tuple[RankStep, ...] = field(default_factory=tuple)


class Promotion(Model):
    """A member reached `rank` on `promoted_on` (the grading's date, in the association's
    calendar); `recorded_by` is who recorded it. A correction (by an admin) replaces the
    row and sets `corrected_by`/`corrected_at`."""

    id: str
    member_id: str
    rank: str = Field(min_length=1)
    promoted_on: date
    recorded_by: str
    recorded_at: datetime
    corrected_by: str | None = None
    corrected_at: datetime | None = None

    @field_validator("recorded_at", "corrected_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else ensure_utc(value)


class RankProgress(Model):
    """How far a member is toward the next rank (`next_rank` None: top of the ladder, or
    no ladder). Counts run from the promotion to `current_rank` (or from the first class)."""

    member_id: str
    current_rank: str | None = None
    current_since: date | None = None
    next_rank: str | None = None
    classes_done: int = 0
    classes_needed: int = 0
    months_done: int = 0
    months_needed: int = 0

    @property
    def eligible(self) -> bool:
        """Whether every requirement of the next rank is met."""
        return (
            self.next_rank is not None
            and self.classes_done >= self.classes_needed
            and self.months_done >= self.months_needed
        )
