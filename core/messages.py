"""The notices the core sends, worded once for every front end."""

from __future__ import annotations

from datetime import datetime

from core.model import ReminderKind, TrainingSession
from core.notices import Notice, NoticeKind
from core.reminders import lead_text
from core.timeparse import format_when


def reminder(session: TrainingSession, kind: ReminderKind, *, to_member: bool) -> Notice:
    """A reminder; the 10-minute one sent to a member carries a Join button."""
    join = kind is ReminderKind.BEFORE_10M
    text = f"Reminder: “{session.title}” with {session.instructor_name} starts {lead_text(kind)}."
    if join and to_member:
        text += " The room opens now — use Join to get your personal link."
    elif join:
        text += " Going members can join now."
    return Notice(
        kind=NoticeKind.REMINDER,
        session=session,
        text=text,
        reminder_kind=kind,
        show_join=join and to_member,
    )


def dm_fallback(session: TrainingSession, kind: ReminderKind, member_id: str) -> Notice:
    """Posted in the channel once when a member's DMs are closed."""
    return Notice(
        kind=NoticeKind.DM_FALLBACK,
        session=session,
        text=f"“{session.title}” starts {lead_text(kind)} — I couldn't DM you, so here it is.",
        reminder_kind=kind,
        mention_member_id=member_id,
    )


def promoted(session: TrainingSession) -> Notice:
    return Notice(
        kind=NoticeKind.PROMOTED,
        session=session,
        text=f"A seat freed up: you're now going to “{session.title}”.",
    )


def canceled(session: TrainingSession, by_name: str) -> Notice:
    reason = f" Reason: {session.cancel_reason}" if session.cancel_reason else ""
    return Notice(
        kind=NoticeKind.CANCELED,
        session=session,
        text=f"“{session.title}” was canceled by {by_name}.{reason}",
    )


def classes_canceled(
    first: TrainingSession, count: int, by_name: str, reason: str | None
) -> Notice:
    """Several classes of one weekly class canceled at once (it ended, or lost a day): one
    notice per member, about the first of their classes (`count` of them in all)."""
    why = f" Reason: {reason}" if reason else ""
    more = f", and your {count - 1} classes of it after this one" if count > 1 else ""
    return Notice(
        kind=NoticeKind.CANCELED,
        session=first,
        text=f"“{first.title}” was canceled by {by_name}{more}.{why}",
    )


def rescheduled(session: TrainingSession, previous_start: datetime) -> Notice:
    """The session moved from `previous_start` to its current start (UTC in `text`)."""
    old, new = format_when(previous_start, "UTC"), format_when(session.start_time, "UTC")
    return Notice(
        kind=NoticeKind.RESCHEDULED,
        session=session,
        text=moved_text(session.title, old, new),
        moved_from=previous_start,
        moved_to=session.start_time,
    )


def moved_text(title: str, old: str, new: str) -> str:
    """The moved notice's sentence; each front end writes `old` and `new` for its reader."""
    return f"“{title}” has moved from {old} to {new}."


def started(session: TrainingSession) -> Notice:
    return Notice(
        kind=NoticeKind.STARTED,
        session=session,
        text=f"“{session.title}” is live now. Going members: use Join for your personal link.",
        show_join=True,
    )


def ended(session: TrainingSession, summary: list[str], automatically: bool) -> Notice:
    """The end of a session with its attendance summary (`core.attendance_report`)."""
    how = "ended automatically (30 minutes past its scheduled end)" if automatically else "ended"
    return Notice(
        kind=NoticeKind.ENDED,
        session=session,
        text="\n".join([f"“{session.title}” {how}.", *summary]),
    )


def not_held(session: TrainingSession) -> Notice:
    """Nobody started the session by 30 minutes past its scheduled end."""
    return Notice(
        kind=NoticeKind.ENDED,
        session=session,
        text=f"“{session.title}” was not held: it was never started, and its time is over.",
    )


def recording_ready(session: TrainingSession, url: str) -> Notice:
    """The recording can be downloaded (the link expires: Cloudflare keeps it 7 days)."""
    return Notice(
        kind=NoticeKind.RECORDING_READY,
        session=session,
        text=f"The recording of “{session.title}” is ready: {url}",
    )
