"""Minimum attendance (pure rules): when a session with `min N` is decided, and how.

A session may carry a minimum (`TrainingSession.min_going`) and a decision lead
(`min_decide_minutes`; None: the association's `decide_before`). At the decision time
(start − lead), if fewer than the minimum are going, the instructor is asked Keep / Cancel
until an answer deadline (`answer_within` after the ask, never later than
`LAST_ANSWER_BEFORE_START` before the start); unanswered, the association's default
applies. Enough going at the decision time: nothing is asked. The decision is one store
record per session (`MinDecision`), planned for the session's current start: a session
moved (or its minimum changed) is planned anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import Field, field_validator

from core.errors import InvalidInput
from core.i18n import t
from core.model import Model, TrainingSession, ensure_utc

LAST_ANSWER_BEFORE_START = timedelta(minutes=15)
"""The instructor's answer is due at the latest this long before the start."""
DECIDE_RANGE = (timedelta(minutes=30), timedelta(days=14))
"""The decision lead a session may ask for (`decide 3h`)."""
MIN_NOTICE_KEEP = timedelta(days=30)
"""How long the once-keys of the minimum-attendance DMs are kept (far past any start)."""


class MinDefault(StrEnum):
    """What happens when the instructor does not answer by the deadline."""

    KEEP = "keep"
    CANCEL = "cancel"


@dataclass(frozen=True)
class MinAttendanceRules:
    """The association's minimum-attendance settings (`DOJOBOT_MIN_ATTENDANCE__…`)."""

    decide_before: timedelta = timedelta(hours=3)
    """Decision lead of sessions that name none."""
    answer_within: timedelta = timedelta(hours=1)
    """How long the instructor has to answer (see `answer_deadline`)."""
    default: MinDefault = MinDefault.KEEP
    """Applied when the instructor does not answer in time."""


class MinState(StrEnum):
    """Where a session's minimum-attendance decision is."""

    PLANNED = "planned"
    """Waiting for the decision time (`due_at`)."""
    ASKED = "asked"
    """Too few going: the instructor was asked; the default applies at `due_at`."""
    ENOUGH = "enough"
    """Enough going at the decision time (or too late to ask): nothing was asked."""
    KEPT = "kept"
    """The session goes ahead although too few are going."""
    CANCELED = "canceled"
    """Canceled for too few going (or canceled otherwise while asked)."""
    DROPPED = "dropped"
    """No longer applies: the minimum was removed, or the session ended another way."""


OPEN_STATES = frozenset({MinState.PLANNED, MinState.ASKED})
"""States in which the clock still has work (`due_at` is set)."""


class MinDecision(Model):
    """A session's minimum-attendance decision for one start (`start_time`)."""

    session_id: str
    start_time: datetime
    """The start the decision is for; a move plans a new one."""
    minimum: int = Field(ge=1)
    state: MinState = MinState.PLANNED
    due_at: datetime | None = None
    """When the clock next has work on it (the decision time, then the answer deadline);
    None once decided. Stored (indexed) so the duty's next wake-up is one query."""
    asked_at: datetime | None = None
    answer_by: datetime | None = None
    going: int | None = None
    """How many were going at the decision time."""
    decided_by: str | None = None
    """Who kept or canceled it (a member id); None when nobody answered (the default)."""
    decided_at: datetime | None = None
    updated_at: datetime
    """The writer's clock at the last write (stores that lease judge the lease by it)."""

    @field_validator("start_time", "due_at", "asked_at", "answer_by", "decided_at", "updated_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else ensure_utc(value)

    @property
    def by_default(self) -> bool:
        """Whether the default was applied (kept or canceled with nobody answering)."""
        return self.state in (MinState.KEPT, MinState.CANCELED) and self.decided_by is None


def decision_lead(session: TrainingSession, rules: MinAttendanceRules) -> timedelta:
    """How long before the start the session is decided."""
    minutes = session.min_decide_minutes
    return rules.decide_before if minutes is None else timedelta(minutes=minutes)


def plan(session: TrainingSession, rules: MinAttendanceRules, now: datetime) -> MinDecision | None:
    """The decision to keep for the session's current start (None: it has no minimum)."""
    if session.min_going is None:
        return None
    return MinDecision(
        session_id=session.id,
        start_time=session.start_time,
        minimum=session.min_going,
        due_at=session.start_time - decision_lead(session, rules),
        updated_at=now,
    )


def needs_replan(
    before: TrainingSession, after: TrainingSession, decision: MinDecision | None
) -> bool:
    """Whether a change of the session plans its decision anew (moved, minimum or lead
    changed, or a minimum with no decision stored yet)."""
    if after.min_going is None:
        return decision is not None and decision.state in OPEN_STATES
    return (
        decision is None
        or before.start_time != after.start_time
        or before.min_going != after.min_going
        or before.min_decide_minutes != after.min_decide_minutes
    )


def answer_deadline(now: datetime, start: datetime, rules: MinAttendanceRules) -> datetime | None:
    """Until when an instructor asked now may answer; None when it is too late to ask."""
    deadline = min(now + rules.answer_within, start - LAST_ANSWER_BEFORE_START)
    return deadline if deadline > now else None


def check_minimum(minimum: int | None, capacity: int | None, session_id: str = "") -> int | None:
    """The minimum, or InvalidInput when below 1 or above the capacity."""
    if minimum is None:
        return None
    if minimum < 1:
        raise InvalidInput(
            t("The minimum must be at least 1; got {minimum}.", minimum=minimum),
            t("Write min 5, or nomin for no minimum."),
        )
    if capacity is not None and minimum > capacity:
        raise InvalidInput(
            t(
                "The minimum ({minimum}) can't be above the capacity ({capacity}).",
                minimum=minimum,
                capacity=capacity,
            ),
            t(
                "Write min {capacity} or less, or raise the capacity "
                "(e.g. /update-session {id} cap {minimum}).",
                capacity=capacity,
                minimum=minimum,
                id=session_id,
            )
            if session_id
            else t(
                "Write min {capacity} or less, or a larger capacity (cap {minimum}).",
                capacity=capacity,
                minimum=minimum,
            ),
        )
    return minimum


def check_decide(minutes: int | None) -> int | None:
    """The decision lead in minutes, or InvalidInput outside 30 minutes – 14 days."""
    if minutes is None:
        return None
    low, high = DECIDE_RANGE
    if not low <= timedelta(minutes=minutes) <= high:
        raise InvalidInput(
            t("The decision time must be between 30 minutes and 14 days before the start."),
            t("Write decide 3h (decided 3 hours before the start), or leave it out."),
        )
    return minutes
