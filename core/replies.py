"""Plain-English replies to a member's own command, shared by every front end.

Front ends pass the title already formatted for their platform (quotes, bold) and escape
names as their markup requires.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from core.executor import AttendanceOutcome, RsvpOutcome
from core.model import RsvpStatus
from core.timeparse import format_duration, format_when


def rsvp_reply(outcome: RsvpOutcome, title: str) -> str:
    """What an RSVP (or leaving) did for the member who asked."""
    rsvp = outcome.change.rsvp
    if rsvp is None:
        return f"You had no RSVP for {title}."
    if rsvp.status is RsvpStatus.LEFT:
        return f"You left {title}."
    if rsvp.status is RsvpStatus.WAITLISTED:
        place = [r.member_id for r in outcome.view.waitlisted].index(rsvp.member_id) + 1
        return f"{title} is full: you're #{place} on the waitlist. I'll DM you if a seat frees."
    already = "" if outcome.change.changed else " already"
    return f"You're{already} going to {title}. Reminders come by DM 24 h, 1 h and 10 min before."


def attendance_lines(
    outcome: AttendanceOutcome, tz: str, name: Callable[[str], str] = str
) -> list[str]:
    """One line per attendee (joined, left, watch time), or "nobody joined", then the
    no-shows; times in `tz`, names passed through `name` (escaping)."""
    lines: list[str] = []
    for row in outcome.attendance:
        left = format_when(row.left_at, tz) if row.left_at else "still in"
        watched = format_duration(timedelta(seconds=row.watch_time_seconds))
        lines.append(
            f"{name(row.member_name)}: joined {format_when(row.joined_at, tz)}, left {left}, "
            f"watched {watched}"
        )
    if not lines:
        lines.append("nobody joined")
    if outcome.no_shows:
        lines.append("RSVP'd but absent: " + ", ".join(name(n) for n in outcome.no_shows))
    return lines
