"""Members through the terminal front end (issue 15), on SQLite: a profile filled from what
the terminal knows, two accounts linked with a one-time code (one RSVP, across a restart),
reminder choices, unlinking, and forget-me in two steps while the counts stay."""

from __future__ import annotations

import re

from tests.e2e.conftest import Terminal


def code_in(printed: list[str]) -> str:
    found = [
        m.group(1) for line in printed if (m := re.search(r"type /\S+ (?:confirm )?(\w+)", line))
    ]
    assert found, printed
    return found[0]


async def test_profile_link_reminders_unlink_and_forget_me(terminal: Terminal) -> None:
    printed = await terminal.type("/as ana member Europe/Berlin", "/profile")
    assert any("Your profile (id terminal:ana)" in line for line in printed), printed
    assert any("time zone: Europe/Berlin" in line for line in printed), printed
    printed = await terminal.type(
        "/as sensei instructor", '/schedule-session "Kata" 2026-12-03 18:00 60m cap 1'
    )
    sid = terminal.session_id(printed)

    # a link code made on one account, entered on the other: one member
    printed = await terminal.type("/as ana member", "/link")
    code = code_in(printed)
    printed = await terminal.type(f"/link {code}")
    assert any("already part of that profile" in line for line in printed), printed
    printed = await terminal.type("/as anna member", "/link WRONG123")
    assert any("unknown, used or expired" in line for line in printed), printed
    assert any("/link CODE here" in line for line in printed), printed
    printed = await terminal.type(f"/link {code.lower()}")
    assert any("terminal:ana, terminal:anna" in line for line in printed), printed
    printed = await terminal.type("/whoami")
    assert any("linked into profile terminal:ana" in line for line in printed), printed
    await terminal.type(f"/rsvp {sid}", "/as ana member", f"/rsvp {sid}")
    await terminal.restart()
    printed = await terminal.type("/as ben member", f"/rsvp {sid}", f"/session {sid}")
    assert any("going: ana" in line for line in printed), printed  # one seat, hers
    assert any("waitlist: ben" in line for line in printed), printed

    # reminder choices, read back
    printed = await terminal.type(
        "/as anna member", "/reminders set 24h,2h route dm quiet 22:00-07:00"
    )
    assert any("Saved. Your reminders:" in line for line in printed), printed
    assert any("24h before, 2h before" in line for line in printed), printed
    printed = await terminal.type("/reminders set 2h,3h")
    assert any("one custom lead time" in line.lower() for line in printed), printed
    printed = await terminal.type("/as ana member", "/reminders")
    assert any("quiet hours: 22:00-07:00" in line for line in printed), printed

    # unlink, then forget-me: the seat goes to ben, ana's name goes from the session
    printed = await terminal.type("/as anna member", "/link remove", "/whoami")
    assert any("terminal:anna is on its own now" in line for line in printed), printed
    assert not any("linked into profile" in line for line in printed), printed
    printed = await terminal.type("/as ana member", "/forget-me")
    code = code_in(printed)
    printed = await terminal.type("/as ben member", f"/forget-me confirm {code}")
    assert any("unknown, used or expired" in line for line in printed), printed
    printed = await terminal.type("/as ana member", f"/forget-me confirm {code}")
    assert any("Forgotten" in line for line in printed), printed
    printed = await terminal.type(f"/session {sid}")
    assert any("going: ben" in line for line in printed), printed
    assert not any("ana" in line for line in printed if "going" in line or "waitlist" in line)
    assert terminal.lines_with("[DM → ben]"), "ben was told he has a seat"

    # admins forget on request; others cannot
    printed = await terminal.type("/as cal member", "/forget terminal:ben")
    assert any("Only admins" in line for line in printed), printed
    assert any("/forget-me" in line for line in printed), printed
    printed = await terminal.type("/as boss admin", "/forget terminal:ben")
    assert any("deletes member terminal:ben" in line for line in printed), printed
    printed = await terminal.type(f"/forget confirm {code_in(printed)}")
    assert any("Forgotten" in line for line in printed), printed
    printed = await terminal.type(f"/session {sid}")
    assert any("0/1 going" in line for line in printed), printed  # his seat was given up
