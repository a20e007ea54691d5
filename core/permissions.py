"""The role × action table: the single place that says who may do what."""

from __future__ import annotations

from enum import StrEnum

from core.errors import PermissionDenied
from core.i18n import Text, joined, t
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
    MANAGE_MEMBERS = "manage_members"
    """Look at or forget another member's profile (on their request)."""


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
    Action.MANAGE_MEMBERS: frozenset({_A}),
}
"""Which roles may attempt each action. Ownership rules (only the session's own instructor
starts or ends it) are checked on top of this table by the service."""


_ROLES: dict[Role, Text] = {
    Role.ADMIN: t("admin"),
    Role.INSTRUCTOR: t("instructor"),
    Role.MEMBER: t("member"),
    Role.GUEST: t("guest"),
}
_ACTIONS: dict[Action, Text] = {
    Action.SCHEDULE: t("schedule"),
    Action.UPDATE: t("update"),
    Action.CANCEL: t("cancel"),
    Action.START: t("start"),
    Action.END: t("end"),
    Action.VIEW: t("view"),
    Action.RSVP: t("rsvp"),
    Action.JOIN: t("join"),
    Action.VIEW_ATTENDANCE: t("view attendance"),
    Action.MANAGE_EVENTS: t("manage events"),
    Action.MANAGE_MEMBERS: t("manage members"),
}
"""Each role and action in words (the English is the enum's value, `_` read as a space)."""

_VERBS: dict[str, Text] = {
    text: text
    for text in (
        t("change"),
        t("cancel"),
        t("start"),
        t("end"),
        t("record"),
        t("see the attendance of"),
        t("skip a class of"),
    )
}
"""The verbs the use cases pass to the `require_*` checks, as catalogue messages."""


def verb_text(verb: str) -> str:
    """`verb` as a catalogue message when it is one of the known verbs (else as given)."""
    return verb if isinstance(verb, Text) else _VERBS.get(verb, verb)


def allowed(role: Role, action: Action) -> bool:
    """Whether `role` may attempt `action` at all."""
    return role in PERMISSIONS[action]


def require(member: Member, action: Action) -> None:
    """Raise PermissionDenied with a readable message unless the member's role allows `action`."""
    if not allowed(member.role, action):
        roles = joined([_ROLES[r] for r in sorted(PERMISSIONS[action])], t(" or "))
        raise PermissionDenied(
            t(
                "Only {roles} members can {action}; you are {role}.",
                roles=roles,
                action=_ACTIONS.get(action, action.value.replace("_", " ")),
                role=_ROLES[member.role],
            )
        )


def require_instructor(actor: Member, session: TrainingSession, verb: str) -> None:
    """Only the session's own instructor may `verb` it (start, end)."""
    if actor.id != session.instructor_id:
        raise PermissionDenied(
            t(
                "Only {instructor}, the session's instructor, can {verb} it.",
                instructor=session.instructor_name,
                verb=verb_text(verb),
            )
        )


def require_owner_or_admin(actor: Member, session: TrainingSession, verb: str) -> None:
    """The session's instructor or an admin may `verb` it (change, cancel, see attendance)."""
    if actor.id != session.instructor_id and actor.role is not Role.ADMIN:
        raise PermissionDenied(
            t(
                "Only {instructor} (the instructor) or an admin can {verb} “{title}”.",
                instructor=session.instructor_name,
                verb=verb_text(verb),
                title=session.title,
            )
        )


def require_self_or_admin(actor: Member, member_id: str, verb: str, hint: str) -> None:
    """A member may `verb` their own profile; another member's needs MANAGE_MEMBERS (admins).
    `hint` says what the member can type instead (their own version of the command)."""
    if member_id not in (actor.id, actor.acting_id) and not allowed(
        actor.role, Action.MANAGE_MEMBERS
    ):
        raise PermissionDenied(
            t("Only admins can {verb} another member.", verb=verb_text(verb)), hint
        )


def can_see(actor: Member, session: TrainingSession) -> bool:
    """Whether the member may see the session at all (guests don't see members-only ones)."""
    return session.visibility is not Visibility.MEMBERS_ONLY or actor.role is not Role.GUEST


def require_visibility(actor: Member, session: TrainingSession) -> None:
    """Guests are kept out of members-only sessions."""
    if not can_see(actor, session):
        raise PermissionDenied(t("“{title}” is for members only.", title=session.title))
