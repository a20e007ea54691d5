"""The session's announcement card: posted once, then edited in place on every change."""

from __future__ import annotations

from datetime import datetime

from adapters.slack.commands import escape
from adapters.slack.ids import user_mention
from adapters.slack.limits import (
    CONFIRM_BUTTON_MAX,
    CONFIRM_TEXT_MAX,
    CONFIRM_TITLE_MAX,
    HEADER_TEXT_MAX,
    MESSAGE_TEXT_MAX,
)
from adapters.slack.render_common import (
    ACTION_CALENDAR,
    ACTION_CANCEL,
    ACTION_EVERY_WEEK,
    ACTION_GOING,
    ACTION_JOIN,
    ACTION_LEAVE,
    Block,
    badges,
    button,
    context,
    cut,
    duration_text,
    mrkdwn,
    plain,
    slack_date,
)
from core.model import Event, SessionStatus, TrainingSession
from core.views import seats_text

_STATUS_LINE = {
    SessionStatus.LIVE: ":large_green_circle: *Live now*",
    SessionStatus.ENDED: ":checkered_flag: *Ended*",
    SessionStatus.CANCELED: ":no_entry: *Canceled*",
    SessionStatus.NOT_HELD: ":heavy_minus_sign: *Not held* (never started)",
}


def join_is_open(session: TrainingSession, now: datetime) -> bool:
    """The Join button shows from 10 minutes before the start until the session is over."""
    if session.status is SessionStatus.LIVE:
        return True
    return session.status is SessionStatus.SCHEDULED and (
        session.join_opens_at <= now < session.end_time
    )


def cancel_confirm(session: TrainingSession) -> Block:
    """The confirm dialog in front of the Cancel button: plain_text, ≤ 300 characters."""
    rest = " will be canceled and everyone who RSVP'd is told."
    title = cut(escape(session.title), CONFIRM_TEXT_MAX - len(rest) - 2)
    return {
        "title": plain("Cancel this session?", CONFIRM_TITLE_MAX),
        "text": {"type": "plain_text", "text": f"“{title}”{rest}", "emoji": True},
        "confirm": plain("Cancel session", CONFIRM_BUTTON_MAX),
        "deny": plain("Keep it", CONFIRM_BUTTON_MAX),
        "style": "danger",
    }


def announcement(
    session: TrainingSession,
    going: int,
    waitlisted: int,
    now: datetime,
    public_url: str,
    event: Event | None = None,
) -> tuple[str, list[Block]]:
    """Fallback text and blocks of the announcement card as of `now`."""
    instructor = user_mention(session.instructor_id, escape(session.instructor_name))
    when = slack_date(session.start_time)
    seats = seats_text(session.capacity, going, waitlisted)
    blocks: list[Block] = [
        {"type": "header", "text": plain(session.title, HEADER_TEXT_MAX)},
        mrkdwn(f"with {instructor}\n:calendar: {when} · {duration_text(session)}"),
        context(f"*{seats}* · {badges(session)} · id `{session.id}`"),
    ]
    if session.status in _STATUS_LINE:
        status = _STATUS_LINE[session.status]
        if session.status is SessionStatus.CANCELED and session.cancel_reason:
            status += f" — {escape(session.cancel_reason)}"
        blocks.insert(1, mrkdwn(status))
    if event is not None:
        blocks.append(context(f"Part of “{escape(event.title)}” (`{event.id}`)"))
    if session.description:
        blocks.append(mrkdwn(escape(session.description)))
    if session.is_open:
        blocks.append(
            {
                "type": "actions",
                "block_id": "session_actions",
                "elements": _actions(session, now, public_url),
            }
        )
    state = "" if session.status is SessionStatus.SCHEDULED else f" [{session.status.value}]"
    text = f"{escape(session.title)} with {escape(session.instructor_name)}{state} — {seats}"
    return cut(text, MESSAGE_TEXT_MAX), blocks


def _actions(session: TrainingSession, now: datetime, public_url: str) -> list[Block]:
    elements: list[Block] = []
    if join_is_open(session, now):
        elements.append(button("Join", ACTION_JOIN, session.id, style="primary"))
    if session.status is SessionStatus.SCHEDULED:
        going_style = None if elements else "primary"
        elements.append(button("Going", ACTION_GOING, session.id, style=going_style))
        elements.append(button("Leave", ACTION_LEAVE, session.id))
        if session.series_id is not None:
            elements.append(button("Every week", ACTION_EVERY_WEEK, session.series_id))
    elements.append(
        button(
            "Add to calendar",
            ACTION_CALENDAR,
            session.id,
            url=f"{public_url}/sessions/{session.id}.ics",
        )
    )
    elements.append(
        button("Cancel", ACTION_CANCEL, session.id, style="danger", confirm=cancel_confirm(session))
    )
    return elements
