"""The member commands of the shared grammar: profile, linking, forgetting, reminders.

/profile                          what dojobot stores about you
/link                             a one-time code to enter on your other account
/link CODE  ·  /link remove       link this account into that profile · unlink it
/forget-me  ·  /forget-me confirm CODE
/forget MEMBER  ·  /forget confirm CODE          (admins, on the member's request)
/reminders                        your reminder choices
/reminders set 24h,1h,2h route dm quiet 22:00-07:00
/reminders class k3x9 1h route none  ·  /reminders class k3x9 default
"""

from __future__ import annotations

from core.members import QuietHours, ReminderRoute
from core.model import Model, ReminderKind


class ShowProfile(Model):
    pass


class IssueLinkCode(Model):
    pass


class LinkAccount(Model):
    code: str


class UnlinkAccount(Model):
    pass


class RequestForget(Model):
    """Step one of forgetting `member_id` (None: the one asking)."""

    member_id: str | None = None


class ConfirmForget(Model):
    """Step two: the confirmation code. `own` (typed as `/forget-me confirm`): only the
    asker's own profile may be forgotten with it, never a member an admin asked about."""

    code: str
    own: bool = False


class ShowReminders(Model):
    pass


class SetReminders(Model):
    """Change the fields given (the others stay); a field given as None goes back to the
    association's default. With `class_id`: the override of that weekly class (only kinds
    and route), `reset` removes it; without: `reset` clears every choice."""

    class_id: str | None = None
    kinds: list[ReminderKind] | None = None
    route: ReminderRoute | None = None
    quiet_hours: QuietHours | None = None
    reset: bool = False


MemberCommand = (
    ShowProfile
    | IssueLinkCode
    | LinkAccount
    | UnlinkAccount
    | RequestForget
    | ConfirmForget
    | ShowReminders
    | SetReminders
)
"""The member commands."""
