"""DMs and channel posts: reminders, cancellations, promotions, start and end."""

from __future__ import annotations

from adapters.slack.commands import escape, slack_wording
from adapters.slack.ids import user_mention
from adapters.slack.render_common import ACTION_JOIN, Block, button, context, mrkdwn, slack_date
from core.notices import Notice, NoticeKind

_ICONS = {
    NoticeKind.REMINDER: ":alarm_clock:",
    NoticeKind.PROMOTED: ":tada:",
    NoticeKind.CANCELED: ":no_entry:",
    NoticeKind.RESCHEDULED: ":calendar:",
    NoticeKind.STARTED: ":large_green_circle:",
    NoticeKind.ENDED: ":checkered_flag:",
    NoticeKind.DM_FALLBACK: ":alarm_clock:",
}


def notice_message(notice: Notice) -> tuple[str, list[Block]]:
    """Fallback text and blocks; `show_join` adds a Join button (DMs only)."""
    mention = ""
    if notice.mention_member_id:
        mention = user_mention(notice.mention_member_id, "") + " "
    text = slack_wording(notice.text)
    blocks: list[Block] = [mrkdwn(f"{_ICONS[notice.kind]} {mention}{escape(text)}")]
    session = notice.session
    if notice.kind in (NoticeKind.REMINDER, NoticeKind.RESCHEDULED, NoticeKind.PROMOTED):
        blocks.append(context(f"Starts {slack_date(session.start_time)} · id `{session.id}`"))
    if notice.show_join:
        blocks.append(
            {
                "type": "actions",
                "block_id": "notice_actions",
                "elements": [button("Join", ACTION_JOIN, session.id, style="primary")],
            }
        )
    return f"{mention}{text}", blocks
