"""The substitute-instructor settings (`DOJOBOT_SUBSTITUTES__…`), turned into the core's
`SubstituteRules`."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, field_validator

from bot.duration_setting import duration_setting
from bot.member_ids_setting import MemberIds
from core.substitutes import SubstituteRules


class SubstituteSettings(BaseModel):
    """Who may substitute and how long requests run (`docs/fair-seats.md`). Member id
    lists are comma-separated (`slack:T01:U02,discord:111`) or a JSON list; durations are
    `30m`, `2h`, `1h30m` (or ISO 8601, `PT2H`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    instructors: MemberIds = ()
    """Member ids who may substitute besides those who instructed in the last 365 days."""
    preferred: MemberIds = ()
    """Member ids asked first, in this order; the others after `head_start`."""
    admins: MemberIds = ()
    """Member ids told when nobody accepted in time (none: the session's channel)."""
    head_start: timedelta = timedelta(minutes=30)
    """How long the preferred substitutes have a request to themselves."""
    answer_by: timedelta = timedelta(hours=2)
    """Requests are answered by this long before the start (or half the time left, if that
    is later; never after the start)."""

    @field_validator("head_start", "answer_by", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return duration_setting(value)

    @field_validator("head_start", "answer_by")
    @classmethod
    def _not_negative(cls, value: timedelta) -> timedelta:
        if value < timedelta(0):
            raise ValueError("must not be negative (e.g. 30m, 2h; 0 turns it off)")
        return value

    def rules(self) -> SubstituteRules:
        """The core's substitute rules."""
        return SubstituteRules(
            instructors=self.instructors,
            preferred=self.preferred,
            admins=self.admins,
            head_start=self.head_start,
            answer_by=self.answer_by,
        )
