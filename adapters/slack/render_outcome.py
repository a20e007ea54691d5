"""Replies to the member who acted (ephemeral): what the command did, in Block Kit."""

from __future__ import annotations

from datetime import datetime, timedelta

from adapters.slack.commands import escape, slack_wording
from adapters.slack.limits import MESSAGE_BLOCKS_MAX, MESSAGE_TEXT_MAX, SECTION_TEXT_MAX
from adapters.slack.render_card import announcement
from adapters.slack.render_common import (
    ACTION_OPEN_LINK,
    Block,
    button,
    context,
    cut,
    mrkdwn,
    quoted_title,
    slack_date,
)
from core.errors import DojoError
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
from core.failures import failure_text
from core.model import TrainingSession
from core.replies import attendance_lines, rsvp_reply
from core.series_replies import detail_lines, list_lines, plan_lines
from core.timeparse import format_duration, format_when

LINES_PER_SECTION = 10
LIST_BLOCKS_MAX = MESSAGE_BLOCKS_MAX - 2
"""Room left for a list: a message holds 50 blocks, and a heading may come first."""


def error_message(error: DojoError) -> tuple[str, list[Block]]:
    """A refusal, with what to type instead."""
    text = slack_wording(error.message)
    blocks = [mrkdwn(f":warning: {escape(text)}")]
    if error.hint:
        blocks.append(context(escape(slack_wording(error.hint))))
    return escape(slack_wording(error.user_text())), blocks


def failure_message(ref: str) -> tuple[str, list[Block]]:
    """Something broke on our side (logged with `ref`); the member may simply try again."""
    text = failure_text(ref)
    return text, [mrkdwn(f":warning: {text}")]


def session_line(session: TrainingSession) -> str:
    return (
        f"`{session.id}` {slack_date(session.start_time)} {quoted_title(session)} "
        f"with {escape(session.instructor_name)} [{session.status.value}]"
    )


def _sections(lines: list[str], budget: int = LIST_BLOCKS_MAX) -> list[Block]:
    """`lines` packed into sections of ≥ `LINES_PER_SECTION` lines and ≤ 3,000 characters,
    never more than `budget` blocks: what does not fit is counted in a last context line."""
    per_section = max(LINES_PER_SECTION, -(-len(lines) // budget))
    chunks: list[list[str]] = []
    size = 0
    for line in lines:
        line = cut(line, SECTION_TEXT_MAX)
        if (
            not chunks
            or len(chunks[-1]) >= per_section
            or size + len(line) + 1 > (SECTION_TEXT_MAX)
        ):
            chunks.append([])
            size = 0
        chunks[-1].append(line)
        size += len(line) + 1
    if len(chunks) <= budget:
        return [mrkdwn("\n".join(chunk)) for chunk in chunks]
    shown = chunks[: budget - 1]
    hidden = len(lines) - sum(len(chunk) for chunk in shown)
    return [mrkdwn("\n".join(chunk)) for chunk in shown] + [
        context(f"…and {hidden} more not shown here (Slack shows {MESSAGE_BLOCKS_MAX} blocks).")
    ]


def outcome_message(
    outcome: Outcome, tz: str, now: datetime, public_url: str
) -> tuple[str, list[Block]]:
    """Fallback text and blocks of the reply; `tz` is the member's zone (echoed times).
    Never more than Slack's 50 blocks, nor more than its 40,000 characters of text."""
    text, blocks = _outcome_message(outcome, tz, now, public_url)
    if len(blocks) > MESSAGE_BLOCKS_MAX:
        hidden = len(blocks) - MESSAGE_BLOCKS_MAX + 1
        blocks = [*blocks[: MESSAGE_BLOCKS_MAX - 1], context(f"…and {hidden} more not shown.")]
    return cut(text, MESSAGE_TEXT_MAX), blocks


def _outcome_message(
    outcome: Outcome, tz: str, now: datetime, public_url: str
) -> tuple[str, list[Block]]:
    match outcome:
        case SessionOutcome(action="shown"):
            view = outcome.view
            _, blocks = announcement(
                view.session, len(view.going), len(view.waitlisted), now, public_url, view.event
            )
            if view.going:
                blocks.append(
                    context("Going: " + ", ".join(escape(r.member_name) for r in view.going))
                )
            if view.waitlisted:
                names = ", ".join(escape(r.member_name) for r in view.waitlisted)
                blocks.append(context("Waitlist: " + names))
            return f"{escape(view.session.title)}: {view.seats_text}", blocks
        case SessionOutcome():
            return _changed(outcome, tz)
        case SessionListOutcome():
            if not outcome.sessions:
                text = "No sessions. Schedule one with /schedule-session."
                return text, [mrkdwn(text)]
            return f"{len(outcome.sessions)} sessions", _sections(
                [session_line(s) for s in outcome.sessions]
            )
        case RsvpOutcome():
            text = rsvp_reply(outcome, quoted_title(outcome.view.session))
            return text, [mrkdwn(text), context(outcome.view.seats_text)]
        case JoinOutcome():
            return _join(outcome, tz)
        case AttendanceOutcome():
            return _attendance(outcome, tz)
        case EventOutcome():
            e = outcome.event
            lines = [f"Event “{escape(e.title)}” (id `{e.id}`) {outcome.action}."]
            lines += [session_line(s) for s in outcome.sessions]
            if outcome.action == "shown" and not outcome.sessions:
                lines.append(
                    escape(f'No sessions yet: /schedule-session "Title" <time> event {e.id}')
                )
            return lines[0], _sections(lines)
        case HelpOutcome():
            text = escape(slack_wording(outcome.text))
            return text, [mrkdwn(f"```{text}```")]
        case SeriesPlanOutcome():
            return _plain(plan_lines(outcome, tz, now, _quoted))
        case SeriesOutcome():
            return _plain(detail_lines(outcome, tz, now, _quoted))
        case SeriesListOutcome():
            return _plain(list_lines(outcome, _quoted))
    raise AssertionError(f"unhandled outcome {outcome!r}")  # pragma: no cover


def _quoted(title: str) -> str:
    return f"“{title}”"


def _plain(lines: list[str]) -> tuple[str, list[Block]]:
    """Shared plain-text reply lines, escaped whole (nothing typed becomes a mention)."""
    safe = [escape(slack_wording(line)) for line in lines]
    return safe[0], _sections(safe)


def _changed(outcome: SessionOutcome, tz: str) -> tuple[str, list[Block]]:
    s = outcome.view.session
    head = f"{outcome.action.capitalize()} {quoted_title(s)} (id `{s.id}`)"
    plain_head = f"{outcome.action.capitalize()} {quoted_title(s)} (id {s.id})"
    blocks: list[Block] = []
    if outcome.action in ("scheduled", "updated"):
        length = format_duration(timedelta(minutes=s.duration_minutes))
        head += f" for {slack_date(s.start_time, tz)}, {length}"
        plain_head += f" for {format_when(s.start_time, tz)}"
        blocks.append(mrkdwn(f":white_check_mark: {head}."))
        blocks.append(context(f"Read in your time zone, {tz}: {format_when(s.start_time, tz)}"))
        if s.origin is not None and s.origin.channel_id and s.origin.message_ref is None:
            blocks.append(
                context(
                    ":warning: I couldn't post the announcement in this channel. "
                    "Invite me with `/invite @dojobot`, or schedule from a channel I'm in."
                )
            )
    else:
        blocks.append(mrkdwn(f":white_check_mark: {head}."))
    blocks += [context(f":information_source: {escape(note)}") for note in outcome.notes]
    if s.room.last_error and s.room.state.value == "failed":
        blocks.append(
            context(
                f"The video room will be retried before the start ({escape(s.room.last_error)})."
            )
        )
    return plain_head + ".", blocks


def _join(outcome: JoinOutcome, tz: str) -> tuple[str, list[Block]]:
    link = outcome.link
    until = f" (valid until {format_when(link.expires_at, tz)})" if link.expires_at else ""
    text = f"Your personal link for {quoted_title(outcome.session)}{until}. Don't share it."
    blocks: list[Block] = [
        mrkdwn(text),
        {
            "type": "actions",
            "block_id": "join_link",
            "elements": [
                button(
                    "Open the room",
                    ACTION_OPEN_LINK,
                    outcome.session.id,
                    style="primary",
                    url=link.url,
                )
            ],
        },
        context(f"<{link.url}|{escape(link.url)}>"),
    ]
    text = f"Your personal link for {quoted_title(outcome.session)}: {escape(link.url)}"
    return text, blocks


def _attendance(outcome: AttendanceOutcome, tz: str) -> tuple[str, list[Block]]:
    rows = attendance_lines(outcome, tz, name=escape)
    lines = [f"Attendance for {quoted_title(outcome.session)}:"] + [f"• {row}" for row in rows]
    return lines[0], _sections(lines)
