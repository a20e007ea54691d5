"""DMs and channel posts: reminders, cancellations, promotions, start and end."""

from __future__ import annotations

from adapters.slack.command_buttons import actions_block, command_elements
from adapters.slack.commands import escape, slack_wording
from adapters.slack.ids import user_mention
from adapters.slack.limits import MESSAGE_TEXT_MAX
from adapters.slack.render_common import (
    ACTION_JOIN,
    Block,
    button,
    context,
    cut,
    mrkdwn,
    slack_date,
)
from adapters.slack.words import code, say, t
from core.i18n import ENGLISH, Translator, localize
from core.messages import moved_text
from core.notices import Notice, NoticeKind, for_every_kind

_ICONS = for_every_kind(
    {
        NoticeKind.REMINDER: ":alarm_clock:",
        NoticeKind.PROMOTED: ":tada:",
        NoticeKind.CANCELED: ":no_entry:",
        NoticeKind.RESCHEDULED: ":calendar:",
        NoticeKind.STARTED: ":large_green_circle:",
        NoticeKind.ENDED: ":checkered_flag:",
        NoticeKind.DM_FALLBACK: ":alarm_clock:",
        NoticeKind.RECORDING_READY: ":film_projector:",
        NoticeKind.SEAT_OFFERED: ":seat:",
        NoticeKind.SEAT_OPEN: ":seat:",
        NoticeKind.OFFER_LAPSED: ":hourglass:",
        NoticeKind.WAITLIST_MOVED: ":arrow_up:",
        NoticeKind.MIN_ATTENDANCE_ASK: ":question:",
        NoticeKind.MIN_ATTENDANCE_OUTCOME: ":information_source:",
        NoticeKind.NO_SHOW: ":clipboard:",
        NoticeKind.APPEAL: ":raising_hand:",
        NoticeKind.SUB_WANTED: ":sos:",
        NoticeKind.SUB_FOUND: ":handshake:",
        NoticeKind.SUB_MISSING: ":warning:",
        NoticeKind.RANK_PROMOTED: ":trophy:",
        NoticeKind.RANK_ELIGIBLE: ":medal:",
    }
)
"""Checked at import to name every NoticeKind: a new kind can't reach Slack without one."""


def notice_message(notice: Notice, tr: Translator = ENGLISH) -> tuple[str, list[Block]]:
    """Fallback text and blocks, worded by `tr` (the reader's language); `show_join` adds a
    Join button, and each of the notice's `buttons` a command button (`command_buttons`)."""
    mention = ""
    if notice.mention_member_id:
        mention = user_mention(notice.mention_member_id, "") + " "
    text = slack_wording(localize(notice.text, tr))
    body = escape(text)
    moved = moved_line(notice, tr)
    if moved is not None:
        body = moved
    blocks: list[Block] = [mrkdwn(f"{_ICONS[notice.kind]} {mention}{body}")]
    session = notice.session
    if notice.kind in (NoticeKind.REMINDER, NoticeKind.RESCHEDULED, NoticeKind.PROMOTED):
        starts = t("Starts {when} · id {id}", when=slack_date(session.start_time, tr=tr),
                   id=code(session.id))  # fmt: skip
        blocks.append(context(say(starts, tr)))
    elements: list[Block] = []
    if notice.show_join:
        elements.append(button(say(t("Join"), tr), ACTION_JOIN, session.id, style="primary"))
    elements += command_elements(notice.buttons, tr)
    blocks += actions_block(elements, "notice_actions")
    return cut(f"{mention}{body}", MESSAGE_TEXT_MAX), blocks  # mrkdwn too: escaped


def moved_line(notice: Notice, tr: Translator = ENGLISH) -> str | None:
    """A moved session's from → to, each start a `<!date>` in the reader's zone (escaped)."""
    if notice.moved_from is None or notice.moved_to is None:
        return None
    old, new = slack_date(notice.moved_from, tr=tr), slack_date(notice.moved_to, tr=tr)
    return localize(moved_text(escape(notice.session.title), old, new), tr)
