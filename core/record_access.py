"""Who may read whose training record (ledger, progress, training page): a member their
own, instructors and admins anyone's. One rule for every read; each caller says it in its
own words."""

from __future__ import annotations

from collections.abc import Iterable

from core.errors import PermissionDenied
from core.i18n import Text
from core.model import Member, Role

STAFF = frozenset({Role.INSTRUCTOR, Role.ADMIN})
"""The roles that read anyone's training record."""


def is_own(actor: Member, member_id: str) -> bool:
    """`member_id` names the actor: their profile, or the identity they act as."""
    return member_id in (actor.id, actor.acting_id)


def is_staff(actor: Member) -> bool:
    """Whether the actor reads anyone's record: an instructor or an admin, by role."""
    return actor.role in STAFF


def require_reader(
    actor: Member, member_ids: Iterable[str] | None, denied: Text, hint: Text
) -> bool:
    """Whether `member_ids` (None: every member) are all the actor's own; when they are not
    and the actor is neither instructor nor admin, PermissionDenied(denied, hint)."""
    own = member_ids is not None and all(is_own(actor, m) for m in member_ids)
    if not own and not is_staff(actor):
        raise PermissionDenied(denied, hint)
    return own
