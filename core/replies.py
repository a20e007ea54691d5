"""Replies to a member's own command, shared by every front end (English `core.i18n` texts
that front ends render in the reader's language).

Front ends pass the title already formatted for their platform (quotes, bold) and escape
names as their markup requires.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from core.executor import AttendanceOutcome, RsvpOutcome
from core.i18n import Duration, Text, When, t
from core.model import RsvpStatus


def rsvp_reply(outcome: RsvpOutcome, title: str) -> str:
    """What an RSVP (or leaving) did for the member who asked."""
    rsvp = outcome.change.rsvp
    if rsvp is None:
        return t("You had no RSVP for {title}.", title=title)
    if rsvp.status is RsvpStatus.LEFT:
        return t("You left {title}.", title=title)
    if rsvp.status is RsvpStatus.OFFERED:
        return t(
            "A seat in {title} is held for you: type /claim {id} to take it.",
            title=title,
            id=rsvp.session_id,
        )
    if rsvp.status is RsvpStatus.WAITLISTED:
        place = [r.member_id for r in outcome.view.waitlisted].index(rsvp.member_id) + 1
        return t(
            "{title} is full: you're #{place} on the waitlist. I'll DM you if a seat frees.",
            title=title,
            place=place,
        )
    if not outcome.change.changed:
        return t(
            "You're already going to {title}. Reminders come by DM 24 h, 1 h and 10 min before.",
            title=title,
        )
    return t(
        "You're going to {title}. Reminders come by DM 24 h, 1 h and 10 min before.", title=title
    )


def attendance_lines(
    outcome: AttendanceOutcome, tz: str, name: Callable[[str], str] = str
) -> list[str]:
    """One line per attendee (joined, left, watch time), or "nobody joined", then the
    no-shows; times in `tz`, names passed through `name` (escaping)."""
    lines: list[str] = []
    for row in outcome.attendance:
        left: Text | When = When(row.left_at, tz) if row.left_at else t("still in")
        lines.append(
            t(
                "{name}: joined {joined}, left {left}, watched {watched}",
                name=name(row.member_name),
                joined=When(row.joined_at, tz),
                left=left,
                watched=Duration(timedelta(seconds=row.watch_time_seconds)),
            )
        )
    if not lines:
        lines.append(t("nobody joined"))
    if outcome.no_shows:
        names = ", ".join(name(n) for n in outcome.no_shows)
        lines.append(t("RSVP'd but absent: {names}", names=names))
    return lines
