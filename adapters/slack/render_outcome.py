"""Replies to the member who acted (ephemeral): what the command did, in Block Kit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from adapters.slack.command_buttons import actions_block, command_elements
from adapters.slack.commands import escape, slack_wording
from adapters.slack.limits import MESSAGE_BLOCKS_MAX, MESSAGE_TEXT_MAX, SECTION_TEXT_MAX
from adapters.slack.render_card import announcement, state_word
from adapters.slack.render_common import (
    ACTION_OPEN_LINK,
    Block,
    button,
    context,
    cut,
    mrkdwn,
    quoted,
    quoted_title,
    seats,
    slack_date,
)
from adapters.slack.words import code, say, t, tn
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
from core.failures import failure_text as core_failure_text
from core.i18n import ENGLISH, Message, Translator, localize
from core.member_outcomes import MemberOutcome, member_lines
from core.model import TrainingSession
from core.replies import attendance_lines, rsvp_reply
from core.reply_outcome import ReplyOutcome
from core.series_replies import detail_lines, list_lines, plan_lines

LINES_PER_SECTION = 10
LIST_BLOCKS_MAX = MESSAGE_BLOCKS_MAX - 2
"""Room left for a list: a message holds 50 blocks, and a heading may come first."""


def error_message(error: DojoError, tr: Translator = ENGLISH) -> tuple[str, list[Block]]:
    """A refusal, with what to type instead, in `tr`'s language (the member's)."""
    text = slack_wording(localize(error.message, tr))
    blocks = [mrkdwn(f":warning: {escape(text)}")]
    if error.hint:
        blocks.append(context(escape(slack_wording(localize(error.hint, tr)))))
    return escape(slack_wording(localize(error.user_text(), tr))), blocks


def failure_text(ref: str, tr: Translator = ENGLISH) -> str:
    """What the member reads about an unexpected error with reference `ref` (the core's
    `failure_text`, in `tr`'s language)."""
    return say(core_failure_text(ref), tr)


def failure_message(ref: str, tr: Translator = ENGLISH) -> tuple[str, list[Block]]:
    """Something broke on our side (logged with `ref`); the member may simply try again."""
    text = failure_text(ref, tr)
    return text, [mrkdwn(f":warning: {text}")]


def session_line(session: TrainingSession, tr: Translator = ENGLISH) -> str:
    line = t(
        "{id} {when} {title} with {name} [{state}]",
        id=code(session.id),
        when=slack_date(session.start_time, tr=tr),
        title=quoted_title(session, tr),
        name=escape(session.instructor_name),
        state=state_word(session.status, tr),
    )
    return say(line, tr)


def _code_chunks(text: str, most: int = SECTION_TEXT_MAX - 6) -> list[str]:
    """`text` in whole lines of at most `most` characters each (a translated /help is
    longer than one section holds; each chunk becomes its own code block)."""
    chunks: list[str] = []
    for line in text.splitlines():
        line = cut(line, most)
        if chunks and len(chunks[-1]) + 1 + len(line) <= most:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line)
    return chunks or [""]


def _sections(
    lines: list[str], budget: int = LIST_BLOCKS_MAX, tr: Translator = ENGLISH
) -> list[Block]:
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
        context(
            say(
                t(
                    "…and {hidden} more not shown here (Slack shows {most} blocks).",
                    hidden=hidden,
                    most=MESSAGE_BLOCKS_MAX,
                ),
                tr,
            )
        )
    ]


def outcome_message(
    outcome: Outcome, tz: str, now: datetime, public_url: str, tr: Translator = ENGLISH
) -> tuple[str, list[Block]]:
    """Fallback text and blocks of the reply in `tr`'s language (the member's); `tz` is the
    member's zone (echoed times). Never more than Slack's 50 blocks, nor more than its
    40,000 characters of text."""
    text, blocks = _outcome_message(outcome, tz, now, public_url, tr)
    if len(blocks) > MESSAGE_BLOCKS_MAX:
        hidden = len(blocks) - MESSAGE_BLOCKS_MAX + 1
        more = say(t("…and {hidden} more not shown.", hidden=hidden), tr)
        blocks = [*blocks[: MESSAGE_BLOCKS_MAX - 1], context(more)]
    return cut(text, MESSAGE_TEXT_MAX), blocks


def _outcome_message(
    outcome: Outcome, tz: str, now: datetime, public_url: str, tr: Translator
) -> tuple[str, list[Block]]:
    match outcome:
        case SessionOutcome(action="shown"):
            view = outcome.view
            _, blocks = announcement(
                view.session,
                len(view.going),
                len(view.waitlisted),
                now,
                public_url,
                view.event,
                tr,
            )
            if view.going:
                names = ", ".join(escape(r.member_name) for r in view.going)
                blocks.append(context(say(t("Going: {names}", names=names), tr)))
            if view.waitlisted:
                names = ", ".join(escape(r.member_name) for r in view.waitlisted)
                blocks.append(context(say(t("Waitlist: {names}", names=names), tr)))
            counts = _seats(outcome.view.session, len(view.going), len(view.waitlisted), tr)
            return f"{escape(view.session.title)}: {counts}", blocks
        case SessionOutcome():
            return _changed(outcome, tz, tr)
        case SessionListOutcome():
            if not outcome.sessions:
                text = say(t("No sessions. Schedule one with /schedule-session."), tr)
                return text, [mrkdwn(text)]
            count = say(tn("{n} sessions", "{n} sessions", len(outcome.sessions)), tr)
            return count, _sections([session_line(s, tr) for s in outcome.sessions], tr=tr)
        case RsvpOutcome():
            view = outcome.view
            text = say(rsvp_reply(outcome, quoted_title(view.session, tr)), tr)
            counts = _seats(view.session, len(view.going), len(view.waitlisted), tr)
            return text, [mrkdwn(text), context(counts)]
        case JoinOutcome():
            return _join(outcome, tz, tr)
        case AttendanceOutcome():
            return _attendance(outcome, tz, tr)
        case EventOutcome():
            e = outcome.event
            head = (
                t(
                    "Event {title} (id {id}) created.",
                    title=quoted(escape(e.title), tr),
                    id=code(e.id),
                )
                if outcome.action == "created"
                else t(
                    "Event {title} (id {id}) shown.",
                    title=quoted(escape(e.title), tr),
                    id=code(e.id),
                )
            )
            lines = [say(head, tr)]
            lines += [session_line(s, tr) for s in outcome.sessions]
            if outcome.action == "shown" and not outcome.sessions:
                none_yet = t(
                    "No sessions yet: {example}",
                    example=escape(f'/schedule-session "Title" <time> event {e.id}'),
                )
                lines.append(say(none_yet, tr))
            return lines[0], _sections(lines, tr=tr)
        case HelpOutcome():
            text = escape(slack_wording(localize(outcome.text, tr)))
            return text, [mrkdwn(f"```{chunk}```") for chunk in _code_chunks(text)]
        case SeriesPlanOutcome():
            return _plain(plan_lines(outcome, tz, now, _quoted), tr)
        case SeriesOutcome():
            return _plain(detail_lines(outcome, tz, now, _quoted), tr)
        case SeriesListOutcome():
            return _plain(list_lines(outcome, _quoted), tr)
        case MemberOutcome():
            return _plain(member_lines(outcome, tz, now), tr)
        case ReplyOutcome():
            return _reply_lines(outcome, tr)
    raise AssertionError(f"unhandled outcome {outcome!r}")  # pragma: no cover


def _seats(session: TrainingSession, going: int, waitlisted: int, tr: Translator) -> str:
    return seats(session.capacity, going, waitlisted, tr)


def _quoted(title: str) -> str:
    """A title in quotation marks rendered later, in the reader's (`_plain` escapes it)."""
    return t("“{title}”", title=title)


def _plain(lines: list[str], tr: Translator = ENGLISH) -> tuple[str, list[Block]]:
    """Shared plain-text reply lines in `tr`'s language, escaped whole (nothing typed
    becomes a mention)."""
    safe = [escape(slack_wording(localize(line, tr))) for line in lines]
    return safe[0], _sections(safe, tr=tr)


def _reply_lines(outcome: ReplyOutcome, tr: Translator) -> tuple[str, list[Block]]:
    """The core's lines (escaped whole, like any shared reply) and the outcome's buttons,
    each running its command for whoever clicks it."""
    text, blocks = _plain(list(outcome.lines) or [outcome.action], tr)
    buttons = actions_block(command_elements(outcome.buttons, tr), "reply_actions")
    return text, blocks[: LIST_BLOCKS_MAX - len(buttons)] + buttons


_HEADS: dict[str, Callable[[str, str], Message]] = {
    "scheduled": lambda title, id_: t("Scheduled {title} (id {id})", title=title, id=id_),
    "updated": lambda title, id_: t("Updated {title} (id {id})", title=title, id=id_),
    "canceled": lambda title, id_: t("Canceled {title} (id {id})", title=title, id=id_),
    "started": lambda title, id_: t("Started {title} (id {id})", title=title, id=id_),
    "ended": lambda title, id_: t("Ended {title} (id {id})", title=title, id=id_),
    "recording started for": lambda title, id_: t(
        "Recording started for {title} (id {id})", title=title, id=id_
    ),
    "recording stopped for": lambda title, id_: t(
        "Recording stopped for {title} (id {id})", title=title, id=id_
    ),
}
"""What a session command did, by the executor's action word."""


def _head(action: str, title: str, id_: str, tr: Translator) -> str:
    make = _HEADS.get(action)
    if make is None:  # an action without words of its own: the core's English
        return f"{action.capitalize()} {title} (id {id_})"
    return say(make(title, id_), tr)


def _changed(outcome: SessionOutcome, tz: str, tr: Translator) -> tuple[str, list[Block]]:
    s = outcome.view.session
    title = quoted_title(s, tr)
    head = _head(outcome.action, title, f"`{s.id}`", tr)
    plain_head = _head(outcome.action, title, s.id, tr)
    blocks: list[Block] = []
    if outcome.action in ("scheduled", "updated"):
        length = tr.duration(timedelta(minutes=s.duration_minutes))
        when = slack_date(s.start_time, tz, tr)
        head = say(t("{done} for {when}, {length}", done=head, when=when, length=length), tr)
        local = tr.when(s.start_time, tz)
        plain_head = say(t("{done} for {when}", done=plain_head, when=local), tr)
        blocks.append(mrkdwn(f":white_check_mark: {say(t('{done}.', done=head), tr)}"))
        read = t("Read in your time zone, {tz}: {when}", tz=tz, when=local)
        blocks.append(context(say(read, tr)))
        if s.origin is not None and s.origin.channel_id and s.origin.message_ref is None:
            not_posted = t(
                "I couldn't post the announcement in this channel. "
                "Invite me with `/invite @dojobot`, or schedule from a channel I'm in."
            )
            blocks.append(context(f":warning: {say(not_posted, tr)}"))
    else:
        blocks.append(mrkdwn(f":white_check_mark: {say(t('{done}.', done=head), tr)}"))
    blocks += [
        context(f":information_source: {escape(localize(note, tr))}") for note in outcome.notes
    ]
    if s.room.last_error and s.room.state.value == "failed":
        retried = t(
            "The video room will be retried before the start ({problem}).",
            problem=escape(s.room.last_error),
        )
        blocks.append(context(say(retried, tr)))
    return say(t("{done}.", done=plain_head), tr), blocks


def _join(outcome: JoinOutcome, tz: str, tr: Translator) -> tuple[str, list[Block]]:
    link = outcome.link
    title = quoted_title(outcome.session, tr)
    if link.expires_at:
        until = tr.when(link.expires_at, tz)
        text = t(
            "Your personal link for {title} (valid until {until}). Don't share it.",
            title=title,
            until=until,
        )
    else:
        text = t("Your personal link for {title}. Don't share it.", title=title)
    blocks: list[Block] = [
        mrkdwn(say(text, tr)),
        {
            "type": "actions",
            "block_id": "join_link",
            "elements": [
                button(
                    say(t("Open the room"), tr),
                    ACTION_OPEN_LINK,
                    outcome.session.id,
                    style="primary",
                    url=link.url,
                )
            ],
        },
        context(f"<{link.url}|{escape(link.url)}>"),
    ]
    fallback = t("Your personal link for {title}: {url}", title=title, url=escape(link.url))
    return say(fallback, tr), blocks


def _attendance(outcome: AttendanceOutcome, tz: str, tr: Translator) -> tuple[str, list[Block]]:
    rows = attendance_lines(outcome, tz, name=escape)
    head = t("Attendance for {title}:", title=quoted_title(outcome.session, tr))
    lines = [say(head, tr)] + [f"• {localize(row, tr)}" for row in rows]
    return lines[0], _sections(lines, tr=tr)
