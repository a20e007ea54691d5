import pytest

from core.errors import PermissionDenied
from core.model import Member, Role
from core.permissions import PERMISSIONS, Action, allowed, require, require_self_or_admin


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
        (Role.ADMIN, Action.MANAGE_MEMBERS, True),
        (Role.INSTRUCTOR, Action.MANAGE_MEMBERS, False),
    ],
)
def test_table(role: Role, action: Action, expected: bool) -> None:
    assert allowed(role, action) is expected


def test_require_says_who_may() -> None:
    with pytest.raises(PermissionDenied, match="Only admin or instructor members can schedule"):
        require(Member(id="t:ana", display_name="ana", role=Role.MEMBER), Action.SCHEDULE)


def test_a_member_manages_their_own_profile_and_admins_anyones() -> None:
    ana = Member(id="slack:T1:U1", display_name="ana", platform_id="discord:5")
    require_self_or_admin(ana, "slack:T1:U1", "forget", "Type /forget-me.")
    require_self_or_admin(ana, "discord:5", "forget", "Type /forget-me.")  # her linked account
    with pytest.raises(PermissionDenied, match="Only admins can forget another member") as no:
        require_self_or_admin(ana, "slack:T1:U2", "forget", "Type /forget-me.")
    assert no.value.hint == "Type /forget-me."
    boss = Member(id="t:boss", display_name="boss", role=Role.ADMIN)
    require_self_or_admin(boss, "slack:T1:U2", "forget", "Type /forget-me.")
