"""Queries, bodies and answers of the REST API's training record: the ledger
(`/api/members/{member_id}/training`), rank progress and promotions, verdicts and the
personal calendar feed."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field

from adapters.web.api.schemas import TEXT_PATTERN, Day, Request, Response, Utf8
from core.errors import InvalidInput
from core.ranks import Promotion, RankProgress
from core.training_ledger import LedgerEntry, Verdict

MAX_PAGE = 100
CURSOR_PATTERN = r"^\d{8}T\d{12}Z\.[A-Za-z0-9_-]{1,64}$"
"""`next`: the last entry's start (UTC, to the microsecond) and session id."""
_CURSOR_TIME = "%Y%m%dT%H%M%S%fZ"
_CURSOR = re.compile(CURSOR_PATTERN)


class BadCursor(InvalidInput):
    """An `after=` of the right shape that is no page's `next` (422, with what to send)."""


def cursor_of(entry: LedgerEntry) -> str:
    """The `next` that continues after `entry`."""
    return f"{entry.starts_at.astimezone(UTC):{_CURSOR_TIME}}.{entry.session_id}"


def read_cursor(value: str, hint: str) -> tuple[datetime, str]:
    """The (start, session id) an `after=` continues from; BadCursor when it is none."""
    stamp, _, session = value.partition(".")
    try:
        if not _CURSOR.fullmatch(value):
            raise ValueError(value)
        return datetime.strptime(stamp, _CURSOR_TIME).replace(tzinfo=UTC), session
    except ValueError:
        raise BadCursor("after= is not the `next` of a page.", hint) from None


def _day_text(value: object) -> object:
    """A JSON body's day is a "YYYY-MM-DD" string, never a number."""
    if not isinstance(value, str):
        raise ValueError("write the day as YYYY-MM-DD")
    return value


BodyDay = Annotated[Day, BeforeValidator(_day_text)]
Rank = Annotated[str, Field(min_length=1, max_length=100, pattern=TEXT_PATTERN), Utf8]


class TrainingQuery(Request):
    """A page of a member's ledger, oldest first."""

    from_: Day | None = Field(
        None, alias="from", description="From this day on (YYYY-MM-DD, the association's zone)."
    )
    to: Day | None = Field(None, description="Up to and including this day (YYYY-MM-DD).")
    limit: int = Field(50, ge=1, le=MAX_PAGE, description="Entries per page (1–100).")
    after: str | None = Field(
        None, pattern=CURSOR_PATTERN, description="Continue after this: the previous page's `next`."
    )


class TrainingEntryOut(Response):
    """One ended session in the member's record."""

    model_config = ConfigDict(serialize_by_alias=True, populate_by_name=True)

    session_id: str
    title: str
    class_: str | None = Field(alias="class")
    """The weekly class's id (null: a one-off session)."""
    starts_at: datetime
    minutes_present: int
    """Whole minutes the member was in the room (stays merged)."""
    session_minutes: int
    """The session's held length in minutes."""
    attended: bool
    """Whether it counts as attended (a verdict wins over the minutes)."""
    verdict: Verdict | None
    """The instructor's or an admin's confirmation (null: none yet)."""
    verdict_by: str | None
    """Who set the verdict (member id)."""

    @classmethod
    def of(cls, entry: LedgerEntry) -> TrainingEntryOut:
        return cls(
            session_id=entry.session_id,
            title=entry.title,
            class_=entry.series_id,
            starts_at=entry.starts_at,
            minutes_present=entry.minutes_present,
            session_minutes=entry.session_seconds // 60,
            attended=entry.attended,
            verdict=entry.verdict,
            verdict_by=entry.verdict_by,
        )


class TrainingPageOut(Response):
    """Entries oldest first; `next` (null: the last page) continues with `after=`."""

    entries: list[TrainingEntryOut]
    next: str | None


class ProgressOut(Response):
    """How far the member is toward the next rank (counted since the current one)."""

    member_id: str
    current_rank: str | None
    """null: no promotion recorded yet."""
    since: date | None
    """The day of the current rank's promotion."""
    next_rank: str | None
    """null: the top of the ladder, or no ladder."""
    classes_done: int
    classes_needed: int
    months_done: int
    months_needed: int
    eligible: bool
    """Whether every requirement of the next rank is met."""

    @classmethod
    def of(cls, progress: RankProgress) -> ProgressOut:
        return cls(
            member_id=progress.member_id,
            current_rank=progress.current_rank,
            since=progress.current_since,
            next_rank=progress.next_rank,
            classes_done=progress.classes_done,
            classes_needed=progress.classes_needed,
            months_done=progress.months_done,
            months_needed=progress.months_needed,
            eligible=progress.eligible,
        )


class PromotionBody(Request):
    """POST /api/members/{member_id}/promotions."""

    rank: Rank
    """A rank of the ladder (any case), e.g. "Yellow"."""
    date: BodyDay | None = None
    """The grading's day, YYYY-MM-DD, not in the future (left out: today)."""


class PromotionOut(Response):
    """A recorded promotion."""

    id: str
    member_id: str
    rank: str
    promoted_on: date
    recorded_by: str
    recorded_at: datetime

    @classmethod
    def of(cls, promotion: Promotion) -> PromotionOut:
        return cls.model_validate(promotion.model_dump(include=set(cls.model_fields)))


class AttendanceBody(Request):
    """PUT /api/training/sessions/{session_id}/attendance/{member_id}."""

    verdict: Verdict
    """`present` or `absent`: decides whether the session counts as attended."""


class AttendanceOut(Response):
    """The verdict now recorded."""

    session_id: str
    member_id: str
    verdict: Verdict
    changed: bool
    """false: the member already had this verdict (nothing written)."""
    message: str


class FeedOut(Response):
    """A new personal calendar feed (the previous URL stopped working)."""

    url: str
    """Subscribe to it by URL in a calendar app. A secret: anyone with it sees the
    member's sessions."""
