"""The role × action table: the single place that says who may do what."""

from __future__ import annotations

from enum import StrEnum

from core.errors import PermissionDenied
from core.model import Member, Role, TrainingSession, Visibility


class Action(StrEnum):
    SCHEDULE = "schedule"
    UPDATE = "update"
    CANCEL = "cancel"
    START = "start"
    END = "end"
    VIEW = "view"
    RSVP = "rsvp"
    JOIN = "join"
    VIEW_ATTENDANCE = "view_attendance"
    MANAGE_EVENTS = "manage_events"


_A, _I, _M, _G = Role.ADMIN, Role.INSTRUCTOR, Role.MEMBER, Role.GUEST

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.SCHEDULE: frozenset({_A, _I}),
    Action.UPDATE: frozenset({_A, _I}),
    Action.CANCEL: frozenset({_A, _I}),
    Action.START: frozenset({_I, _A}),
    Action.END: frozenset({_I, _A}),
    Action.VIEW: frozenset({_A, _I, _M, _G}),
    Action.RSVP: frozenset({_A, _I, _M, _G}),
    Action.JOIN: frozenset({_A, _I, _M, _G}),
    Action.VIEW_ATTENDANCE: frozenset({_A, _I}),
    Action.MANAGE_EVENTS: frozenset({_A, _I}),
}
"""Which roles may attempt each action. Ownership rules (only the session's own instructor
starts or ends it) are checked on top of this table by the service."""


def allowed(role: Role, action: Action) -> bool:
    """Whether `role` may attempt `action` at all."""
    return role in PERMISSIONS[action]


def require(member: Member, action: Action) -> None:
    """Raise PermissionDenied with a readable message unless the member's role allows `action`."""
    if not allowed(member.role, action):
        roles = " or ".join(sorted(r.value for r in PERMISSIONS[action]))
        what = action.value.replace("_", " ")
        raise PermissionDenied(f"Only {roles} members can {what}; you are {member.role.value}.")


def require_instructor(actor: Member, session: TrainingSession, verb: str) -> None:
    """Only the session's own instructor may `verb` it (start, end)."""
    if actor.id != session.instructor_id:
        raise PermissionDenied(
            f"Only {session.instructor_name}, the session's instructor, can {verb} it."
        )


def require_owner_or_admin(actor: Member, session: TrainingSession, verb: str) -> None:
    """The session's instructor or an admin may `verb` it (change, cancel, see attendance)."""
    if actor.id != session.instructor_id and actor.role is not Role.ADMIN:
        raise PermissionDenied(
            f"Only {session.instructor_name} (the instructor) or an admin can {verb} "
            f"“{session.title}”."
        )


def can_see(actor: Member, session: TrainingSession) -> bool:
    """Whether the member may see the session at all (guests don't see members-only ones)."""
    return session.visibility is not Visibility.MEMBERS_ONLY or actor.role is not Role.GUEST


def require_visibility(actor: Member, session: TrainingSession) -> None:
    """Guests are kept out of members-only sessions."""
    if not can_see(actor, session):
        raise PermissionDenied(f"“{session.title}” is for members only.")
