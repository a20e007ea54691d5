"""The attendance summary posted when a session ends: who came, for how long, who didn't."""

from __future__ import annotations

from core.i18n import Text, joined, t, tn
from core.model import Attendance, Rsvp


def absent_rsvps(attendance: list[Attendance], going: list[Rsvp]) -> list[Rsvp]:
    """Going members with no presence in the room (no stay at all: webhooks' joins, or a
    click through their personal join link), in RSVP order: the one no-show rule."""
    attended = {a.member_id for a in attendance}
    return [r for r in going if r.member_id not in attended]


def no_shows(attendance: list[Attendance], going: list[Rsvp]) -> list[str]:
    """Names of going members who never entered the room, in RSVP order."""
    return [r.member_name for r in absent_rsvps(attendance, going)]


def watch_time_text(seconds: int) -> Text:
    """`45 min`, `1 h 05 min`, `<1 min` (in each reader's language)."""
    minutes = seconds // 60
    if minutes < 1:
        return t("<1 min")
    if minutes < 60:
        return tn("{n} min", "{n} min", minutes)
    padded = f"{minutes % 60:02d}"
    return t("{hours} h {minutes} min", hours=minutes // 60, minutes=padded)


def attendance_lines(attendance: list[Attendance], absent: list[str]) -> list[str]:
    """`Attended (2): Ann 45 min, Bob 12 min` and `RSVP'd but absent (1): Carl`."""
    if attendance:
        who = joined(
            [
                joined([a.member_name, watch_time_text(a.watch_time_seconds)], " ")
                for a in attendance
            ],
            ", ",
        )
        lines: list[str] = [t("Attended ({count}): {who}", count=len(attendance), who=who)]
    else:
        lines = [t("Nobody attended.")]
    if absent:
        names = ", ".join(absent)
        lines.append(t("RSVP'd but absent ({count}): {names}", count=len(absent), names=names))
    return lines
