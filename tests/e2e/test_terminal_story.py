"""A session's whole life through the terminal front end, on SQLite + Jitsi + APScheduler."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.e2e.conftest import START, Terminal


async def test_schedule_rsvp_waitlist_reminders_restart_join_attendance_autoend_cleanup(
    terminal: Terminal,
) -> None:
    printed = await terminal.type(
        "/as sensei instructor Europe/Berlin",
        '/schedule-session "Kata basics" 2026-12-03 18:00 60m cap 2',
    )
    sid = terminal.session_id(printed)
    assert any("Thu 3 Dec 2026 18:00 CET" in line for line in printed), printed
    assert any("announcement" in line and "(new)" in line for line in printed)
    start = START.replace(day=3, hour=17)  # 18:00 CET

    # RSVPs: two seats, the third member is waitlisted, then promoted when a seat frees
    await terminal.type("/as ana member", f"/rsvp {sid}", "/as ben member", f"/rsvp {sid}")
    printed = await terminal.type("/as cal member", f"/rsvp {sid}")
    assert any("#1 on the waitlist" in line for line in printed), printed
    printed = await terminal.type("/as ana member", f"/unrsvp {sid}")
    assert any("[DM → cal]" in line and "seat freed" in line for line in printed), printed
    assert any("(edited)" in line for line in printed)

    # 24 h reminder exactly at its due time, to going members (the channel gets only the
    # 10-minute one by default: DOJOBOT_CHANNEL_REMINDERS)
    await terminal.type("/advance 1d7h50m")  # 2026-12-02 16:50 UTC, just before
    assert not [line for line in terminal.lines_with("Reminder") if "[only you]" not in line]
    printed = await terminal.type("/advance 10m")
    assert terminal.clock.now() == start - timedelta(hours=24)
    reminders = [line for line in printed if "Reminder" in line]
    assert len(reminders) == 2, printed  # ben, cal
    assert {"[DM → ben]", "[DM → cal]"} == {
        tag
        for line in reminders
        for tag in ("[DM → ben]", "[DM → cal]", "[#dojo · everyone]")
        if tag in line
    }

    # restart in the middle: nothing is sent twice, the next reminder still comes on time
    mark = len(terminal.output)
    await terminal.restart()
    assert not [line for line in terminal.output[mark:] if "Reminder" in line]
    printed = await terminal.type("/as ben member", f"/join {sid}")
    assert any("Too early" in line for line in printed), printed
    printed = await terminal.type("/advance 23h50m")  # to 16:50 UTC, ten minutes before start
    kinds = [line for line in printed if "Reminder" in line]
    assert len(kinds) == 5, printed  # 1 h and 10 min to ben and cal, 10 min in the channel
    assert len([line for line in kinds if "[#dojo · everyone]" in line]) == 1, printed
    assert any("[DM → ben]" in line and "10 minutes" in line for line in printed)
    assert any("[Join]" in line for line in printed)
    assert len(terminal.lines_with("[DM → ben] Reminder")) == 3

    # join: refused too early above, allowed now; capacity checked; each gets their own link
    await terminal.type("/as dan member")
    printed = await terminal.type(f"/join {sid}")
    assert any("full" in line for line in printed), printed
    printed = await terminal.type("/as ben member", f"/join {sid}")
    assert any("Your personal link" in line and "valid until" in line for line in printed)
    assert any(re.search(r"http://localhost:\d+/join/\S+$", line) for line in printed), printed
    assert not any("meet.jit.si" in line for line in printed)  # the room URL stays off chat
    opened = await terminal.open_join_link(printed)  # checked again at click time
    assert opened.status_code == 302, opened.text
    assert opened.headers["location"].startswith("https://meet.jit.si/")

    # start, attendance, auto-end 30 min after the scheduled end, cleanup
    await terminal.type("/as sensei instructor", f"/start-session {sid}")
    await terminal.type("/advance 20m", "/as ben member", f"/leave {sid}")
    printed = await terminal.type("/advance 1h40m")
    assert any("ended automatically" in line for line in printed), printed
    printed = await terminal.type("/as sensei instructor", f"/attendance {sid}")
    assert any("ben: joined" in line and "watched 20 min" in line for line in printed), printed
    assert any("RSVP'd but absent: cal" in line for line in printed), printed
    app = terminal.app
    assert app is not None
    await app.alarm.advance(timedelta(days=1))
    session = await app.store.get_session(sid)
    assert session is not None and session.room.state.value == "deleted"
    await app.alarm.advance(timedelta(days=8))
    session = await app.store.get_session(sid)
    assert session is not None and session.archived_at is not None


async def test_too_early_join_says_when_it_opens(terminal: Terminal) -> None:
    printed = await terminal.type(
        "/as sensei instructor", '/schedule-session "Randori" 2026-12-01 18:00 UTC 60m'
    )
    sid = terminal.session_id(printed)
    printed = await terminal.type("/as ana member Europe/Berlin", f"/rsvp {sid}", f"/join {sid}")
    assert any("Too early" in line and "Tue 1 Dec 2026 18:50 CET" in line for line in printed), (
        printed
    )


async def test_errors_say_what_to_type_and_lose_nothing(terminal: Terminal) -> None:
    printed = await terminal.type("/as ana member", '/schedule-session "Kata" tomorrow 18:00')
    assert any("error" in line and "instructor" in line for line in printed), printed
    printed = await terminal.type("/as sensei instructor", '/schedule-session "Kata" whenever')
    assert any("error" in line for line in printed)
    assert any("tomorrow 18:00" in line for line in printed), printed
    printed = await terminal.type("/sessions")
    assert any("No sessions" in line for line in printed)
    printed = await terminal.type("/as nobody wizard")
    assert any("Unknown role" in line for line in printed)


async def test_each_session_is_announced_as_its_own_new_card(terminal: Terminal) -> None:
    first = await terminal.type(
        "/as sensei instructor", '/schedule-session "Kata" 2026-12-03 18:00 60m'
    )
    second = await terminal.type('/schedule-session "Randori" 2026-12-04 18:00 60m')
    a, b = terminal.session_id(first), terminal.session_id(second)
    assert a != b
    assert any(f"announcement-{a} (new)" in line for line in first), first
    assert any(f"announcement-{b} (new)" in line for line in second), second
    assert not any(f"announcement-{a}" in line for line in second), second


async def test_jitsi_sessions_say_recording_needs_realtimekit_and_show_no_badge(
    terminal: Terminal,
) -> None:
    printed = await terminal.type(
        "/as sensei instructor", '/schedule-session "Kata" 2026-12-03 18:00 60m rec'
    )
    sid = terminal.session_id(printed)
    assert any("Recording needs RealtimeKit" in line for line in printed), printed
    assert any("recording off" in line for line in printed), printed
    assert not any("recording on" in line for line in printed), printed
    printed = await terminal.type(f"/session {sid}")
    assert not any("recording on" in line for line in printed), printed
