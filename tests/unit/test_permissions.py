import pytest

from core.errors import PermissionDenied
from core.model import Member, Role
from core.permissions import PERMISSIONS, Action, allowed, require


def test_every_action_has_a_row() -> None:
    assert set(PERMISSIONS) == set(Action)


@pytest.mark.parametrize(
    ("role", "action", "expected"),
    [
        (Role.ADMIN, Action.CANCEL, True),
        (Role.INSTRUCTOR, Action.SCHEDULE, True),
        (Role.MEMBER, Action.SCHEDULE, False),
        (Role.GUEST, Action.CANCEL, False),
        (Role.MEMBER, Action.RSVP, True),
        (Role.MEMBER, Action.VIEW_ATTENDANCE, False),
        (Role.GUEST, Action.JOIN, True),
    ],
)
def test_table(role: Role, action: Action, expected: bool) -> None:
    assert allowed(role, action) is expected


def test_require_says_who_may() -> None:
    with pytest.raises(PermissionDenied, match="Only admin or instructor members can schedule"):
        require(Member(id="t:ana", display_name="ana", role=Role.MEMBER), Action.SCHEDULE)
