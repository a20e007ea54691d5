"""The notices the core sends, worded once for every front end."""

from __future__ import annotations

from datetime import datetime

from core.i18n import Text, When, joined, t, tn
from core.model import ReminderKind, TrainingSession
from core.notices import Notice, NoticeKind
from core.reminders import lead_text


def reminder(session: TrainingSession, kind: ReminderKind, *, to_member: bool) -> Notice:
    """A reminder; the 10-minute one sent to a member carries a Join button."""
    join = kind is ReminderKind.BEFORE_10M
    text: Text = t(
        "Reminder: “{title}” with {instructor} starts {lead}.",
        title=session.title,
        instructor=session.instructor_name,
        lead=lead_text(kind),
    )
    if join and to_member:
        text = joined([text, t("The room opens now — use Join to get your personal link.")], " ")
    elif join:
        text = joined([text, t("Going members can join now.")], " ")
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
        text=t(
            "“{title}” starts {lead} — I couldn't DM you, so here it is.",
            title=session.title,
            lead=lead_text(kind),
        ),
        reminder_kind=kind,
        mention_member_id=member_id,
    )


def promoted(session: TrainingSession) -> Notice:
    return Notice(
        kind=NoticeKind.PROMOTED,
        session=session,
        text=t("A seat freed up: you're now going to “{title}”.", title=session.title),
    )


def canceled(session: TrainingSession, by_name: str) -> Notice:
    text: Text = t("“{title}” was canceled by {name}.", title=session.title, name=by_name)
    if session.cancel_reason:
        text = joined([text, t("Reason: {reason}", reason=session.cancel_reason)], " ")
    return Notice(kind=NoticeKind.CANCELED, session=session, text=text)


def classes_canceled(
    first: TrainingSession, count: int, by_name: str, reason: str | None
) -> Notice:
    """Several classes of one weekly class canceled at once (it ended, or lost a day): one
    notice per member, about the first of their classes (`count` of them in all)."""
    text: Text = t("“{title}” was canceled by {name}.", title=first.title, name=by_name)
    if count > 1:
        text = tn(
            "“{title}” was canceled by {name}, and your {n} class of it after this one.",
            "“{title}” was canceled by {name}, and your {n} classes of it after this one.",
            count - 1,
            title=first.title,
            name=by_name,
        )
    if reason:
        text = joined([text, t("Reason: {reason}", reason=reason)], " ")
    return Notice(kind=NoticeKind.CANCELED, session=first, text=text)


def rescheduled(session: TrainingSession, previous_start: datetime) -> Notice:
    """The session moved from `previous_start` to its current start (UTC in `text`)."""
    old, new = When(previous_start, "UTC"), When(session.start_time, "UTC")
    return Notice(
        kind=NoticeKind.RESCHEDULED,
        session=session,
        text=moved_text(session.title, old, new),
        moved_from=previous_start,
        moved_to=session.start_time,
    )


def moved_text(title: str, old: str | When, new: str | When) -> Text:
    """The moved notice's sentence; each front end writes `old` and `new` for its reader."""
    return t("“{title}” has moved from {old} to {new}.", title=title, old=old, new=new)


def started(session: TrainingSession) -> Notice:
    return Notice(
        kind=NoticeKind.STARTED,
        session=session,
        text=t(
            "“{title}” is live now. Going members: use Join for your personal link.",
            title=session.title,
        ),
        show_join=True,
    )


def ended(session: TrainingSession, summary: list[str], automatically: bool) -> Notice:
    """The end of a session with its attendance summary (`core.attendance_report`)."""
    head = (
        t("“{title}” ended automatically (30 minutes past its scheduled end).", title=session.title)
        if automatically
        else t("“{title}” ended.", title=session.title)
    )
    return Notice(kind=NoticeKind.ENDED, session=session, text=joined([head, *summary]))


def not_held(session: TrainingSession) -> Notice:
    """Nobody started the session by 30 minutes past its scheduled end."""
    return Notice(
        kind=NoticeKind.ENDED,
        session=session,
        text=t(
            "“{title}” was not held: it was never started, and its time is over.",
            title=session.title,
        ),
    )


def recording_ready(session: TrainingSession, url: str) -> Notice:
    """The recording can be downloaded (the link expires: Cloudflare keeps it 7 days)."""
    return Notice(
        kind=NoticeKind.RECORDING_READY,
        session=session,
        text=t("The recording of “{title}” is ready: {url}", title=session.title, url=url),
    )
