"""Why a member can't join, in words that say what happens next."""

from __future__ import annotations

from core.errors import DojoError, InvalidState, PermissionDenied, RoomUnavailable
from core.model import Member, TrainingSession
from core.rules import JoinDecision, JoinRefusal
from core.timeparse import format_when


def refusal_text(session: TrainingSession, decision: JoinDecision, member: Member) -> str:
    """The reason a join was refused, with the opening time when it is too early."""
    title = f"“{session.title}”"
    match decision.reason:
        case JoinRefusal.CANCELED:
            return f"{title} was canceled."
        case JoinRefusal.ENDED:
            return f"{title} has ended."
        case JoinRefusal.NOT_HELD:
            return f"{title} was not held: its instructor never started it."
        case JoinRefusal.TOO_EARLY:
            assert decision.opens_at is not None
            opens = format_when(decision.opens_at, member.timezone)
            return f"Too early: {title} opens for joining at {opens}, 10 minutes before the start."
        case JoinRefusal.FULL:
            return f"{title} is full. RSVP with /rsvp {session.id} to join the waitlist."
        case JoinRefusal.MEMBERS_ONLY:
            return f"{title} is for members only."
        case JoinRefusal.NO_ROOM:
            return f"The video room for {title} isn't ready yet; try again in a minute."
        case _:
            return f"You can join {title} now."


def refusal_error(session: TrainingSession, decision: JoinDecision, member: Member) -> DojoError:
    """The refusal as the matching core error."""
    text = refusal_text(session, decision, member)
    if decision.reason is JoinRefusal.MEMBERS_ONLY:
        return PermissionDenied(text)
    if decision.reason is JoinRefusal.NO_ROOM:
        return RoomUnavailable(text)
    return InvalidState(text)
