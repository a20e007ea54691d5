"""The no-show policy settings (`DOJOBOT_NO_SHOWS__…`), turned into the core's `NoShowRules`."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.duration_setting import duration_setting
from bot.member_ids_setting import MemberIds
from core.no_show_policy import NoShowRules

_DURATIONS = (
    "late_cancel_window",
    "period",
    "restriction",
    "waive_within",
    "retention",
)


class NoShowSettings(BaseModel):
    """Consequences of no-shows and late cancels (`docs/fair-seats.md`); off by default:
    marks are recorded and shown in `/my-record`, nobody is DMed or restricted. Durations:
    `2h`, `30d`, `1h30m` (or ISO 8601, `P30D`); member ids comma-separated or a JSON list."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    late_cancel_window: timedelta = timedelta(hours=2)
    """Leaving a session this close to its start is a late cancel."""
    threshold: int = Field(default=3, ge=1, le=100)
    """This many counting marks within `period` restrict the member."""
    period: timedelta = timedelta(days=30)
    restriction: timedelta = timedelta(days=14)
    """How long a restricted member's RSVPs go to the waitlist only."""
    late_cancels_count: bool = True
    """Whether late cancels count towards `threshold` like no-shows."""
    waive_within: timedelta = timedelta(hours=24)
    """How long after a mark an admin may waive it."""
    admins: MemberIds = ()
    """Member ids told of appeals (with a Waive button) and allowed to waive; none: the
    session's channel is told and the platform's admins waive."""
    retention: timedelta | None = None
    """How long marks are kept; never less than `period` + `restriction` (the default)."""

    @field_validator(*_DURATIONS, mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return duration_setting(value)

    @model_validator(mode="after")
    def _sane(self) -> NoShowSettings:
        spans = [getattr(self, name) for name in _DURATIONS]
        if any(span is not None and span <= timedelta(0) for span in spans):
            raise ValueError("no-show durations must be longer than zero (e.g. 2h, 30d)")
        return self

    def rules(self) -> NoShowRules:
        """The core's no-show rules."""
        return NoShowRules(
            enabled=self.enabled,
            late_cancel_window=self.late_cancel_window,
            threshold=self.threshold,
            period=self.period,
            restriction=self.restriction,
            late_cancels_count=self.late_cancels_count,
            waive_within=self.waive_within,
            admins=self.admins,
            retention=self.retention,
        )
