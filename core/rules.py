"""The rules of a training session, as pure functions of their inputs and `now`."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from core.errors import InvalidInput, InvalidState, Step
from core.i18n import t
from core.model import JOIN_WINDOW, Member, Model, Role, SessionStatus, TrainingSession, Visibility
from core.status_words import status_text

TITLE_MAX = 200
DESCRIPTION_MAX = 4000
TAG_MAX = 50
TAGS_MAX = 20
DURATION_RANGE = (15, 480)
CAPACITY_RANGE = (1, 1000)
AUTO_END_GRACE = timedelta(minutes=30)


def check_title(title: str) -> str:
    """The stripped title, or InvalidInput when empty or longer than 200 characters."""
    title = title.strip()
    if not title:
        raise InvalidInput(
            t("A session needs a title."),
            t('Put it first, in quotes: "Kata basics".'),
            step=Step.FIX_TITLE,
        )
    if len(title) > TITLE_MAX:
        raise InvalidInput(
            t(
                "The title is {length} characters; the limit is {limit}.",
                length=len(title),
                limit=TITLE_MAX,
            ),
            t('Shorten it and put the details in the description (desc "…").'),
            step=Step.FIX_TITLE,
        )
    return title


def check_description(description: str) -> str:
    """The stripped description, or InvalidInput when longer than 4,000 characters."""
    description = description.strip()
    if len(description) > DESCRIPTION_MAX:
        raise InvalidInput(
            t(
                "The description is {length} characters; the limit is {limit}.",
                length=len(description),
                limit=DESCRIPTION_MAX,
            ),
            t("Shorten it, or put a link to a page with the details."),
        )
    return description


def check_tags(tags: list[str]) -> list[str]:
    """The non-empty stripped tags, or InvalidInput for more than 20 or one over 50
    characters."""
    kept = [tag.strip() for tag in tags if tag.strip()]
    if len(kept) > TAGS_MAX:
        raise InvalidInput(
            t("{count} tags given; the limit is {limit}.", count=len(kept), limit=TAGS_MAX),
            t("Keep the tags that matter."),
        )
    if long := next((tag for tag in kept if len(tag) > TAG_MAX), None):
        raise InvalidInput(
            t(
                "The tag “{tag}…” is {length} characters; the limit is {limit}.",
                tag=long[:TAG_MAX],
                length=len(long),
                limit=TAG_MAX,
            ),
            t("Use short tags such as kata or beginners."),
        )
    return kept


def check_duration(minutes: int) -> int:
    low, high = DURATION_RANGE
    if not low <= minutes <= high:
        raise InvalidInput(
            t(
                "Duration must be between {low} and {high} minutes; got {minutes}.",
                low=low,
                high=high,
                minutes=minutes,
            ),
            t("Write it like 60m, 1h30m or 90."),
            step=Step.FIX_DURATION,
        )
    return minutes


def check_capacity(capacity: int | None) -> int | None:
    low, high = CAPACITY_RANGE
    if capacity is not None and not low <= capacity <= high:
        raise InvalidInput(
            t(
                "Capacity must be between {low} and {high}; got {capacity}.",
                low=low,
                high=high,
                capacity=capacity,
            ),
            t("Write cap 20, or unlimited."),
            step=Step.FIX_CAPACITY,
        )
    return capacity


MAX_SCHEDULE_AHEAD = timedelta(days=2 * 366)
"""How far ahead a session may be scheduled (also keeps every derived time representable)."""


def check_start(start_time: datetime, now: datetime) -> datetime:
    if start_time <= now:
        raise InvalidInput(
            t("The start time is in the past."),
            t("Pick a future time, e.g. tomorrow 18:00 or in 2 hours."),
            step=Step.FIX_START_TIME,
        )
    if start_time > now + MAX_SCHEDULE_AHEAD:
        raise InvalidInput(
            t("The start time is more than two years ahead."),
            t("Pick a date within the next two years, e.g. 2027-03-01 18:00."),
            step=Step.FIX_START_TIME,
        )
    return start_time


FINISHED = (SessionStatus.ENDED, SessionStatus.CANCELED, SessionStatus.NOT_HELD)
"""The terminal statuses: nothing about such a session changes any more."""


def check_updatable(session: TrainingSession) -> None:
    if session.status in FINISHED:
        raise InvalidState(
            t(
                "“{title}” is {status}; it can't be changed.",
                title=session.title,
                status=status_text(session.status),
            ),
            t("Schedule a new session with /schedule-session."),
            step=Step.SCHEDULE_SESSION,
        )


def overdue_at(end_time: datetime) -> datetime:
    """When a session scheduled to end at `end_time` is overdue (30 minutes later): ended
    if live (`is_overdue`), closed as not held if never started (`is_not_held`)."""
    return end_time + AUTO_END_GRACE


def is_overdue(session: TrainingSession, now: datetime) -> bool:
    """A live session 30 minutes past its scheduled end ends itself."""
    return session.status is SessionStatus.LIVE and now >= overdue_at(session.end_time)


def is_not_held(session: TrainingSession, now: datetime) -> bool:
    """A session never started by 30 minutes past its scheduled end was not held."""
    return session.status is SessionStatus.SCHEDULED and now >= overdue_at(session.end_time)


class JoinRefusal(StrEnum):
    CANCELED = "canceled"
    ENDED = "ended"
    NOT_HELD = "not_held"
    TOO_EARLY = "too_early"
    FULL = "full"
    MEMBERS_ONLY = "members_only"
    NO_ROOM = "no_room"


class JoinDecision(Model):
    """Whether a member may join now, and if not, why (and when it opens)."""

    allowed: bool
    reason: JoinRefusal | None = None
    opens_at: datetime | None = None

    @classmethod
    def yes(cls) -> JoinDecision:
        return cls(allowed=True)

    @classmethod
    def no(cls, reason: JoinRefusal, opens_at: datetime | None = None) -> JoinDecision:
        return cls(allowed=False, reason=reason, opens_at=opens_at)


def decide_join(
    session: TrainingSession,
    member: Member,
    *,
    is_going: bool,
    going_count: int,
    room_ready: bool,
    now: datetime,
) -> JoinDecision:
    """Apply the join rules in order: canceled, ended, too early, members-only, full, room."""
    if session.status is SessionStatus.CANCELED:
        return JoinDecision.no(JoinRefusal.CANCELED)
    if session.status is SessionStatus.ENDED:
        return JoinDecision.no(JoinRefusal.ENDED)
    if session.status is SessionStatus.NOT_HELD or (
        session.status is SessionStatus.SCHEDULED and now >= session.end_time
    ):
        return JoinDecision.no(JoinRefusal.NOT_HELD)
    if session.status is SessionStatus.SCHEDULED and now < session.start_time - JOIN_WINDOW:
        return JoinDecision.no(JoinRefusal.TOO_EARLY, opens_at=session.start_time - JOIN_WINDOW)
    is_host = member.id == session.instructor_id or member.role is Role.ADMIN
    if not is_host:
        if session.visibility is Visibility.MEMBERS_ONLY and member.role is Role.GUEST:
            return JoinDecision.no(JoinRefusal.MEMBERS_ONLY)
        full = session.capacity is not None and going_count >= session.capacity
        if full and not is_going:
            return JoinDecision.no(JoinRefusal.FULL)
    if not room_ready:
        return JoinDecision.no(JoinRefusal.NO_ROOM)
    return JoinDecision.yes()


RECORDING_NEEDS_REALTIMEKIT = t(
    "Recording needs RealtimeKit rooms (see “Use Cloudflare RealtimeKit” in the README), "
    "so this session is not recorded; in Jitsi a moderator can record from the room's menu."
)
"""Said when a session asks for recording on rooms dojobot cannot record."""


def recording_granted(requested: bool, can_record: bool) -> bool:
    """A session is marked as recorded only where dojobot can record its rooms, so no card
    promises a recording that nothing makes."""
    return requested and can_record
