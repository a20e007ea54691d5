"""Why a member can't join, in words that say what happens next."""

from __future__ import annotations

from core.errors import DojoError, InvalidState, PermissionDenied, RoomUnavailable
from core.i18n import When, t
from core.model import Member, TrainingSession
from core.rules import JoinDecision, JoinRefusal


def refusal_text(session: TrainingSession, decision: JoinDecision, member: Member) -> str:
    """The reason a join was refused, with the opening time when it is too early."""
    title = session.title
    match decision.reason:
        case JoinRefusal.CANCELED:
            return t("“{title}” was canceled.", title=title)
        case JoinRefusal.ENDED:
            return t("“{title}” has ended.", title=title)
        case JoinRefusal.NOT_HELD:
            return t("“{title}” was not held: its instructor never started it.", title=title)
        case JoinRefusal.TOO_EARLY:
            assert decision.opens_at is not None
            return t(
                "Too early: “{title}” opens for joining at {opens}, 10 minutes before the start.",
                title=title,
                opens=When(decision.opens_at, member.timezone),
            )
        case JoinRefusal.FULL:
            return t(
                "“{title}” is full. RSVP with /rsvp {id} to join the waitlist.",
                title=title,
                id=session.id,
            )
        case JoinRefusal.MEMBERS_ONLY:
            return t("“{title}” is for members only.", title=title)
        case JoinRefusal.NO_ROOM:
            return t(
                "The video room for “{title}” isn't ready yet; try again in a minute.", title=title
            )
        case _:
            return t("You can join “{title}” now.", title=title)


def refusal_error(session: TrainingSession, decision: JoinDecision, member: Member) -> DojoError:
    """The refusal as the matching core error."""
    text = refusal_text(session, decision, member)
    if decision.reason is JoinRefusal.MEMBERS_ONLY:
        return PermissionDenied(text)
    if decision.reason is JoinRefusal.NO_ROOM:
        return RoomUnavailable(text)
    return InvalidState(text)
