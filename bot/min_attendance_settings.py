"""The minimum-attendance settings (`DOJOBOT_MIN_ATTENDANCE__…`), turned into the core's
`MinAttendanceRules`."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from bot.duration_setting import duration_setting
from core.min_attendance import DECIDE_RANGE, MinAttendanceRules, MinDefault


class MinAttendanceSettings(BaseModel):
    """How sessions with `min N` are decided (`docs/fair-seats.md`); sessions without a
    minimum are not affected. Durations: `3h`, `45m`, `1h30m` (or ISO 8601, `PT3H`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decide_before: timedelta = timedelta(hours=3)
    """Decision lead of sessions that name none (`decide 3h` on the session overrides)."""
    answer_within: timedelta = timedelta(hours=1)
    """How long the instructor has to answer Keep / Cancel (never past 15 min before start)."""
    default: MinDefault = MinDefault.KEEP
    """`keep` or `cancel`: what happens when the instructor does not answer in time."""

    @field_validator("decide_before", "answer_within", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return duration_setting(value)

    @model_validator(mode="after")
    def _sane(self) -> MinAttendanceSettings:
        low, high = DECIDE_RANGE
        if not low <= self.decide_before <= high:
            raise ValueError("decide_before must be between 30m and 14 days (e.g. 3h)")
        if self.answer_within <= timedelta(0):
            raise ValueError("answer_within must be longer than zero (e.g. 1h)")
        return self

    def rules(self) -> MinAttendanceRules:
        """The core's minimum-attendance rules."""
        return MinAttendanceRules(
            decide_before=self.decide_before,
            answer_within=self.answer_within,
            default=self.default,
        )
