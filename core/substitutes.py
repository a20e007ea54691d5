"""Substitute instructors (pure rules): who may substitute, and until when.

An instructor who can't teach a scheduled session asks for a substitute (`/need-sub`). The
request is one store record per session (`SubstituteRequest`). Eligible instructors are
those dojobot knows (who instructed a session in the last `KNOWN_FOR`, plus the configured
list) minus the requester, the session's instructor and anyone teaching an overlapping
session. Preferred substitutes are asked first; the others after a head start. The first
to accept (`/take-sub`) becomes the session's instructor; if nobody accepts by the answer
deadline, admins are told.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import field_validator

from core.model import Model, TrainingSession, ensure_utc

KNOWN_FOR = timedelta(days=365)
"""An instructor of a session that started this recently is known to dojobot."""
SUB_NOTICE_KEEP = timedelta(days=30)
"""How long the once-keys of the substitute DMs are kept (far past any request)."""


@dataclass(frozen=True)
class SubstituteRules:
    """The association's substitute settings (`DOJOBOT_SUBSTITUTES__…`)."""

    instructors: tuple[str, ...] = ()
    """Member ids of instructors who may substitute besides those who taught recently."""
    preferred: tuple[str, ...] = ()
    """Member ids asked first, in this order (those eligible)."""
    admins: tuple[str, ...] = ()
    """Member ids told when nobody accepted in time (none: the session's channel)."""
    head_start: timedelta = timedelta(minutes=30)
    """How long preferred substitutes have the request to themselves."""
    answer_by: timedelta = timedelta(hours=2)
    """The request's deadline is this long before the start (see `answer_deadline`)."""


class SubstituteStatus(StrEnum):
    """Where a substitute request is."""

    OPEN = "open"
    """Waiting for someone to accept."""
    TAKEN = "taken"
    """Someone accepted: they are the session's instructor now."""
    MISSED = "missed"
    """Nobody accepted before the deadline; admins were told."""
    CLOSED = "closed"
    """The session was canceled or started while the request was open."""


class SubstituteRequest(Model):
    """One session's substitute request (the latest; a new one may follow a closed one)."""

    session_id: str
    requested_by: str
    instructor_id: str
    """The session's instructor when the request was made (who is replaced)."""
    instructor_name: str
    status: SubstituteStatus = SubstituteStatus.OPEN
    created_at: datetime
    others_at: datetime
    """When the head start ends: the other eligible instructors are asked then."""
    answer_by: datetime
    """Nobody accepted by then: admins are told. Never after the start."""
    widened: bool = False
    """Whether the other (not preferred) instructors were asked."""
    due_at: datetime | None = None
    """When the clock next has work on it (`others_at`, then `answer_by`); None when not
    open. Stored (indexed) so the duty's next wake-up is one query."""
    substitute_id: str | None = None
    substitute_name: str | None = None
    updated_at: datetime

    @field_validator("created_at", "others_at", "answer_by", "due_at", "updated_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else ensure_utc(value)

    @property
    def key(self) -> str:
        """Names this request in once-keys (a later request of the session is another)."""
        return f"{self.session_id}:{self.created_at.isoformat()}"


def answer_deadline(now: datetime, start: datetime, rules: SubstituteRules) -> datetime:
    """Until when a request made at `now` can be answered: `rules.answer_by` before the
    start, or half the time left when that leaves less; never after the start."""
    half = now + (start - now) / 2
    return min(max(start - rules.answer_by, half), start)


def new_request(
    session: TrainingSession,
    requested_by: str,
    now: datetime,
    rules: SubstituteRules,
    has_preferred: bool,
) -> SubstituteRequest:
    """The open request made at `now`: the others are asked at once when no preferred
    substitute is eligible (no head start to give)."""
    answer_by = answer_deadline(now, session.start_time, rules)
    others_at = min(now + rules.head_start, answer_by) if has_preferred else now
    widened = not has_preferred
    return SubstituteRequest(
        session_id=session.id,
        requested_by=requested_by,
        instructor_id=session.instructor_id,
        instructor_name=session.instructor_name,
        created_at=now,
        others_at=others_at,
        answer_by=answer_by,
        widened=widened,
        due_at=answer_by if widened else others_at,
        updated_at=now,
    )


def widened(request: SubstituteRequest, now: datetime) -> SubstituteRequest:
    """The request once the others were asked: next due at its deadline."""
    update = {"widened": True, "due_at": request.answer_by, "updated_at": now}
    return request.model_copy(update=update)


def rescheduled(
    request: SubstituteRequest, start: datetime, now: datetime, rules: SubstituteRules
) -> SubstituteRequest:
    """The open request once its session moved to `start`: the deadline worked out again
    from when it was asked (a deadline already past is due at once)."""
    answer_by = answer_deadline(request.created_at, start, rules)
    others_at = min(request.others_at, answer_by)
    due_at = answer_by if request.widened else others_at
    update = {"answer_by": answer_by, "others_at": others_at, "due_at": due_at, "updated_at": now}
    return request.model_copy(update=update)


def finished(
    request: SubstituteRequest,
    status: SubstituteStatus,
    now: datetime,
    substitute: tuple[str, str] | None = None,
) -> SubstituteRequest:
    """The request closed with `status` (and who took it)."""
    sub_id, sub_name = substitute if substitute is not None else (None, None)
    return request.model_copy(
        update={
            "status": status,
            "due_at": None,
            "updated_at": now,
            "substitute_id": sub_id,
            "substitute_name": sub_name,
        }
    )


def overlaps(a: TrainingSession, b: TrainingSession) -> bool:
    """Whether two sessions' times overlap (touching ends do not)."""
    return a.start_time < b.end_time and b.start_time < a.end_time


def eligible(
    known: Iterable[str],
    rules: SubstituteRules,
    excluded: Iterable[str],
    busy: Iterable[str],
) -> list[str]:
    """Eligible substitutes among those known, configured or preferred: the preferred
    first (in their order), then the others sorted; none of `excluded` (requester, the
    session's instructor) or `busy` (teaching at an overlapping time)."""
    out = set(excluded) | set(busy)
    pool = (set(known) | set(rules.instructors) | set(rules.preferred)) - out
    first = [m for m in dict.fromkeys(rules.preferred) if m in pool]
    return first + sorted(pool - set(first))


def preferred_of(candidates: list[str], rules: SubstituteRules) -> list[str]:
    """Those of `candidates` who are preferred (in the preferred order)."""
    return [m for m in candidates if m in rules.preferred]


def moved_members(
    request: SubstituteRequest, ids: set[str], to: str, name: str | None
) -> dict[str, object]:
    """The field changes that move the request's members among `ids` to `to` (renamed
    `name` when given): linking accounts, forgetting a member. Empty: nothing to move."""
    update: dict[str, object] = {}
    if request.requested_by in ids:
        update["requested_by"] = to
    if request.instructor_id in ids:
        update["instructor_id"] = to
        if name is not None:
            update["instructor_name"] = name
    if request.substitute_id in ids:
        update["substitute_id"] = to
        if name is not None:
            update["substitute_name"] = name
    return update
