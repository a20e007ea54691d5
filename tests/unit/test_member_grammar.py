"""Text → member commands: /profile, /link, /forget-me, /forget, /reminders; bad input says
what to type instead."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from core.errors import InvalidInput
from core.grammar import help_text, parse_command
from core.member_commands import (
    ConfirmForget,
    IssueLinkCode,
    LinkAccount,
    RequestForget,
    SetReminders,
    ShowProfile,
    ShowReminders,
    UnlinkAccount,
)
from core.members import QuietHours, ReminderRoute
from core.model import ReminderKind

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def parse(text: str) -> object:
    return parse_command(text, NOW, "UTC")


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("/profile", ShowProfile()),
        ("/link", IssueLinkCode()),
        ("/link k7mx 2qpa", LinkAccount(code="k7mx2qpa")),
        ("/link remove", UnlinkAccount()),
        ("/forget-me", RequestForget()),
        ("/forget-me confirm AB12CD34", ConfirmForget(code="AB12CD34", own=True)),
        ("/forget slack:T1:U2", RequestForget(member_id="slack:T1:U2")),
        ("/forget confirm AB12CD34", ConfirmForget(code="AB12CD34")),
        ("/reminders", ShowReminders()),
        ("/reminders set default", SetReminders(reset=True)),
        ("/reminders class k3x9 default", SetReminders(class_id="k3x9", reset=True)),
    ],
)
def test_member_commands_parse(text: str, command: object) -> None:
    assert parse(text) == command


def test_reminders_set_names_only_what_changes() -> None:
    command = parse("/reminders set 24h, 2h route dm quiet 22:00-7:00")
    assert isinstance(command, SetReminders)
    assert command.kinds == [ReminderKind.BEFORE_24H, ReminderKind.BEFORE_2H]
    assert command.route is ReminderRoute.DM
    assert command.quiet_hours == QuietHours(start=time(22), end=time(7))
    back = parse("/reminders set kinds default quiet off")
    assert isinstance(back, SetReminders)
    assert {"kinds", "quiet_hours"} <= back.model_fields_set
    assert "route" not in back.model_fields_set
    assert (back.kinds, back.quiet_hours) == (None, None)
    per_class = parse("/reminders class k3x9 1h route none")
    assert per_class == SetReminders(
        class_id="k3x9", kinds=[ReminderKind.BEFORE_1H], route=ReminderRoute.NONE
    )


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("/reminders set 5h", '"5h" is not a reminder', "24h, 1h, 10m and one of"),
        ("/reminders set quiet 22", "is not a span of hours", "quiet 22:00-07:00"),
        ("/reminders set quiet 25:00-07:00", "is not a time of day", "quiet 22:00-07:00"),
        ("/reminders set route sms", '"sms" is not a route', "route dm"),
        ("/reminders set route", '"route" needs a value', "route dm"),
        ("/reminders set route dm route none", "given twice", "route dm"),
        ("/reminders set", "Nothing to change", "/reminders set 24h,1h,2h"),
        ("/reminders class k3 quiet 1:00-2:00", "not a class's", "/reminders set quiet"),
        ("/reminders class", "Missing the class id", "/classes"),
        ("/reminders sett 1h", 'I do not understand "sett"', "Usage: /reminders"),
        ("/link not-a-code!", "is not a link code", "Usage: /link"),
        ("/forget-me now", 'Unexpected "now"', "confirm CODE"),
        ("/forget-me confirm", "Missing the confirmation code", "Usage: /forget-me"),
        ("/forget", "Missing the member's id", "Usage: /forget"),
        ("/profile ana", 'Unexpected "ana"', "Usage: /profile"),
    ],
)
def test_bad_member_input_says_what_to_type(text: str, message: str, hint: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse(text)
    assert message in refused.value.message
    assert hint in (refused.value.hint or "")


def test_help_lists_the_member_commands_once() -> None:
    text = help_text()
    for name in ("/profile", "/reminders", "/link", "/forget-me", "/forget "):
        assert text.count(f"\n{name}") == 1, name
