"""Plain-text rendering of sessions, lists and outcomes for the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from core.executor import (
    AttendanceOutcome,
    EventOutcome,
    HelpOutcome,
    JoinOutcome,
    Outcome,
    RsvpOutcome,
    SeriesListOutcome,
    SeriesOutcome,
    SeriesPlanOutcome,
    SessionListOutcome,
    SessionOutcome,
)
from core.i18n import ENGLISH, Translator, When, joined, localize
from core.member_outcomes import MemberOutcome, member_lines
from core.messages import moved_text
from core.model import Event, TrainingSession, Visibility
from core.notices import Notice, NoticeButton
from core.replies import attendance_lines, rsvp_reply
from core.reply_outcome import ReplyOutcome
from core.series_replies import detail_lines, list_lines, plan_lines
from core.timeparse import format_duration, format_when


def session_line(session: TrainingSession, tz: str, now: datetime) -> str:
    """One line per session for lists."""
    return (
        f"{session.id}  {format_when(session.start_time, tz, now)}  “{session.title}” "
        f"with {session.instructor_name} [{session.status.value}]"
    )


def notice_text(notice: Notice, tz: str, tr: Translator = ENGLISH) -> str:
    """The notice's text for a reader in `tz` who reads `tr`'s language: a move says from
    when to when in that zone."""
    if notice.moved_from is None or notice.moved_to is None:
        return localize(notice.text, tr)
    old, new = When(notice.moved_from, tz), When(notice.moved_to, tz)
    return localize(moved_text(notice.session.title, old, new), tr)


def badges(session: TrainingSession) -> str:
    rec = "recording on" if session.recording_enabled else "recording off"
    chat = "chat on" if session.chat_enabled else "chat off"
    who = "members only" if session.visibility is Visibility.MEMBERS_ONLY else "public"
    return f"{rec} · {chat} · {who}"


def session_card(
    s: TrainingSession, seats: str, tz: str, now: datetime, event: Event | None = None
) -> list[str]:
    """The announcement card: title, instructor, time, seats, badges, actions."""
    length = format_duration(timedelta(minutes=s.duration_minutes))
    lines = [
        f"“{s.title}” with {s.instructor_name} — {s.status.value.replace('_', ' ').upper()}",
        f"  {format_when(s.start_time, tz, now)} · {length}",
        f"  {seats} · {badges(s)}",
    ]
    if event:
        lines.append(f"  part of “{event.title}” ({event.id})")
    if s.description:
        lines.append(f"  {s.description}")
    if s.is_open:
        actions = [f"/rsvp {s.id}", f"/unrsvp {s.id}"]
        if s.series_id is not None:
            actions.append(f"/every-week {s.series_id}")
        if now >= s.join_opens_at:
            actions.append(f"/join {s.id}")
        lines.append("  [" + "]  [".join(actions) + "]")
    if s.cancel_reason:
        lines.append(f"  reason: {s.cancel_reason}")
    return lines


def outcome_lines(outcome: Outcome, tz: str, now: datetime) -> list[str]:
    """The reply to the member who typed the command."""
    match outcome:
        case SessionOutcome(action="shown"):
            view = outcome.view
            lines = session_card(view.session, view.seats_text, tz, now, view.event)
            if view.going:
                lines.append("  going: " + ", ".join(r.member_name for r in view.going))
            if view.waitlisted:
                lines.append("  waitlist: " + ", ".join(r.member_name for r in view.waitlisted))
            return lines
        case SessionOutcome():
            s = outcome.view.session
            head = f"{outcome.action.capitalize()} “{s.title}” (id {s.id})"
            if outcome.action in ("scheduled", "updated"):
                head += f" for {format_when(s.start_time, tz, now)}"
            if s.room.last_error and s.room.state.value == "failed":
                head += f". The video room will be retried before the start ({s.room.last_error})"
            return [head + ".", *(_indented(note) for note in outcome.notes)]
        case SessionListOutcome():
            if not outcome.sessions:
                return ["No sessions. Schedule one with /schedule-session."]
            return [session_line(s, tz, now) for s in outcome.sessions]
        case RsvpOutcome():
            return [
                rsvp_reply(outcome, f"“{outcome.view.session.title}”"),
                _indented(outcome.view.seats_text),
            ]
        case JoinOutcome():
            until = (
                f" (valid until {format_when(outcome.link.expires_at, tz)})"
                if outcome.link.expires_at
                else ""
            )
            return [
                f"Your personal link for “{outcome.session.title}”{until}:",
                f"  {outcome.link.url}",
            ]
        case AttendanceOutcome():
            return _attendance_lines(outcome, tz)
        case EventOutcome():
            e = outcome.event
            lines = [f"Event “{e.title}” (id {e.id}) {outcome.action}."]
            lines += [f"  {session_line(s, tz, now)}" for s in outcome.sessions]
            if outcome.action == "shown" and not outcome.sessions:
                lines.append(f'  No sessions yet: /schedule-session "Title" <time> event {e.id}')
            return lines
        case HelpOutcome():
            return [outcome.text]  # one text, rendered whole in the reader's language
        case SeriesPlanOutcome():
            return plan_lines(outcome, tz, now, _quoted)
        case SeriesOutcome():
            return detail_lines(outcome, tz, now, _quoted)
        case SeriesListOutcome():
            return list_lines(outcome, _quoted)
        case MemberOutcome():
            return member_lines(outcome, tz, now)
        case ReplyOutcome():
            return [*outcome.lines, *button_lines(outcome.buttons)]
    return [repr(outcome)]  # pragma: no cover


def button_lines(buttons: Sequence[NoticeButton], indent: str = "  ") -> list[str]:
    """Each button as the line to type: `[Claim] /claim s-42` (the label in the reader's
    language; typing the line is what pressing the button does on Slack or Discord)."""
    return [joined([indent, "[", b.label, "] ", b.command], "") for b in buttons]


def _quoted(title: str) -> str:
    return f"“{title}”"


def _attendance_lines(outcome: AttendanceOutcome, tz: str) -> list[str]:
    rows = attendance_lines(outcome, tz)
    return [f"Attendance for “{outcome.session.title}”:"] + [_indented(row) for row in rows]


def _indented(line: str) -> str:
    """`line` two spaces in (still a translatable text when it is one)."""
    return joined(["", line], "  ")
