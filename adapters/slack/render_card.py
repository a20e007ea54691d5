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
    seats,
    slack_date,
)
from adapters.slack.words import code, say, t
from core.i18n import ENGLISH, Translator
from core.model import Event, SessionStatus, TrainingSession

_STATUS_LINE = {
    SessionStatus.LIVE: (":large_green_circle:", t("*Live now*")),
    SessionStatus.ENDED: (":checkered_flag:", t("*Ended*")),
    SessionStatus.CANCELED: (":no_entry:", t("*Canceled*")),
    SessionStatus.NOT_HELD: (":heavy_minus_sign:", t("*Not held* (never started)")),
}
_STATE = {
    SessionStatus.LIVE: t("live"),
    SessionStatus.ENDED: t("ended"),
    SessionStatus.CANCELED: t("canceled"),
    SessionStatus.NOT_HELD: t("not_held"),
    SessionStatus.SCHEDULED: t("scheduled"),
}
"""A session's status word in lists and the card's fallback text (English: the enum value)."""


def state_word(status: SessionStatus, tr: Translator = ENGLISH) -> str:
    """The status as one word (phrase) in `tr`'s language."""
    word = _STATE.get(status)
    return say(word, tr) if word is not None else status.value


def join_is_open(session: TrainingSession, now: datetime) -> bool:
    """The Join button shows from 10 minutes before the start until the session is over."""
    if session.status is SessionStatus.LIVE:
        return True
    return session.status is SessionStatus.SCHEDULED and (
        session.join_opens_at <= now < session.end_time
    )


def cancel_confirm(session: TrainingSession, tr: Translator = ENGLISH) -> Block:
    """The confirm dialog in front of the Cancel button: plain_text, ≤ 300 characters."""
    sentence = t("“{title}” will be canceled and everyone who RSVP'd is told.", title="")
    rest = len(say(sentence, tr))
    title = cut(escape(session.title), CONFIRM_TEXT_MAX - rest)
    return {
        "title": plain(say(t("Cancel this session?"), tr), CONFIRM_TITLE_MAX),
        "text": {
            "type": "plain_text",
            "text": say(
                t("“{title}” will be canceled and everyone who RSVP'd is told.", title=title), tr
            ),
            "emoji": True,
        },
        "confirm": plain(say(t("Cancel session"), tr), CONFIRM_BUTTON_MAX),
        "deny": plain(say(t("Keep it"), tr), CONFIRM_BUTTON_MAX),
        "style": "danger",
    }


def announcement(
    session: TrainingSession,
    going: int,
    waitlisted: int,
    now: datetime,
    public_url: str,
    event: Event | None = None,
    tr: Translator = ENGLISH,
) -> tuple[str, list[Block]]:
    """Fallback text and blocks of the announcement card as of `now`, in `tr`'s language
    (the channel's)."""
    instructor = user_mention(session.instructor_id, escape(session.instructor_name))
    when = slack_date(session.start_time, tr=tr)
    counts = seats(session.capacity, going, waitlisted, tr, minimum=session.min_going)
    length = duration_text(session, tr)
    blocks: list[Block] = [
        {"type": "header", "text": plain(session.title, HEADER_TEXT_MAX)},
        mrkdwn(
            say(t("with {instructor}", instructor=instructor), tr)
            + f"\n:calendar: {when} · {length}"
        ),
        context(f"*{counts}* · {badges(session, tr)} · id `{session.id}`"),
    ]
    if session.status in _STATUS_LINE:
        icon, line = _STATUS_LINE[session.status]
        status = f"{icon} {say(line, tr)}"
        if session.status is SessionStatus.CANCELED and session.cancel_reason:
            status += f" — {escape(session.cancel_reason)}"
        blocks.insert(1, mrkdwn(status))
    if event is not None:
        part = t("Part of “{title}” ({id})", title=escape(event.title), id=code(event.id))
        blocks.append(context(say(part, tr)))
    if session.description:
        blocks.append(mrkdwn(escape(session.description)))
    if session.is_open:
        blocks.append(
            {
                "type": "actions",
                "block_id": "session_actions",
                "elements": _actions(session, now, public_url, tr),
            }
        )
    title, name = escape(session.title), escape(session.instructor_name)
    if session.status is SessionStatus.SCHEDULED:
        text = t("{title} with {name} — {seats}", title=title, name=name, seats=counts)
    else:
        state = state_word(session.status, tr)
        text = t(
            "{title} with {name} [{state}] — {seats}",
            title=title,
            name=name,
            state=state,
            seats=counts,
        )
    return cut(say(text, tr), MESSAGE_TEXT_MAX), blocks


def _actions(
    session: TrainingSession, now: datetime, public_url: str, tr: Translator = ENGLISH
) -> list[Block]:
    elements: list[Block] = []
    if join_is_open(session, now):
        elements.append(button(say(t("Join"), tr), ACTION_JOIN, session.id, style="primary"))
    if session.status is SessionStatus.SCHEDULED:
        going_style = None if elements else "primary"
        going = say(t("Going"), tr)
        elements.append(button(going, ACTION_GOING, session.id, style=going_style))
        elements.append(button(say(t("Leave"), tr), ACTION_LEAVE, session.id))
        if session.series_id is not None:
            every = say(t("Every week"), tr)
            elements.append(button(every, ACTION_EVERY_WEEK, session.series_id))
    elements.append(
        button(
            say(t("Add to calendar"), tr),
            ACTION_CALENDAR,
            session.id,
            url=f"{public_url}/sessions/{session.id}.ics",
        )
    )
    elements.append(
        button(
            say(t("Cancel"), tr),
            ACTION_CANCEL,
            session.id,
            style="danger",
            confirm=cancel_confirm(session, tr),
        )
    )
    return elements
