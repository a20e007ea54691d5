"""Block Kit building blocks shared by every Slack message dojobot renders."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from adapters.slack.commands import escape
from adapters.slack.limits import BUTTON_TEXT_MAX, SECTION_TEXT_MAX
from core.model import TrainingSession, Visibility
from core.timeparse import format_duration, format_when

Block = dict[str, Any]

ACTION_GOING = "dojo_rsvp_going"
ACTION_LEAVE = "dojo_rsvp_leave"
ACTION_EVERY_WEEK = "dojo_every_week"
"""On an occurrence of a weekly class: go to every class (its value is the class id)."""
ACTION_JOIN = "dojo_join"
ACTION_CALENDAR = "dojo_calendar"
ACTION_CANCEL = "dojo_cancel"
ACTION_OPEN_LINK = "dojo_open_link"

_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")


def slack_date(instant: datetime, fallback_tz: str = "UTC") -> str:
    """`<!date^…^{date_short_pretty} at {time}|…>`: every reader sees it in their own zone."""
    fallback = format_when(instant, fallback_tz)
    return f"<!date^{int(instant.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def duration_text(session: TrainingSession) -> str:
    return format_duration(timedelta(minutes=session.duration_minutes))


def badges(session: TrainingSession) -> str:
    """Recording, chat and visibility, as short badges."""
    rec = ":red_circle: recorded" if session.recording_enabled else "not recorded"
    chat = ":speech_balloon: chat on" if session.chat_enabled else "chat off"
    who = (
        "members only"
        if session.visibility is Visibility.MEMBERS_ONLY
        else ":globe_with_meridians: public"
    )
    return f"{rec} · {chat} · {who}"


def mrkdwn(text: str) -> Block:
    """A section of mrkdwn `text`: already escaped where members typed it (`escape`)."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": cut(text, SECTION_TEXT_MAX)}}


def context(text: str) -> Block:
    """A context line of mrkdwn `text` (escaped like `mrkdwn`)."""
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": cut(text, SECTION_TEXT_MAX)}],
    }


def button(
    text: str,
    action_id: str,
    value: str | None = None,
    *,
    style: str | None = None,
    url: str | None = None,
    confirm: Block | None = None,
) -> Block:
    """A Block Kit button (text ≤ 75 chars)."""
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text[:BUTTON_TEXT_MAX], "emoji": True},
        "action_id": action_id,
    }
    if value is not None:
        element["value"] = value
    if style is not None:
        element["style"] = style
    if url is not None:
        element["url"] = url
    if confirm is not None:
        element["confirm"] = confirm
    return element


def quoted_title(session: TrainingSession) -> str:
    return f"“{escape(session.title)}”"


def plain(text: str, limit: int) -> Block:
    """A plain_text object (`&`, `<`, `>` escaped, as in every Slack text) cut to `limit`."""
    return {"type": "plain_text", "text": cut(escape(text), limit), "emoji": True}


def cut(escaped: str, limit: int) -> str:
    """Escaped text cut to `limit` characters without leaving half an entity (`&am`)."""
    if len(escaped) <= limit:
        return escaped
    return _PARTIAL_ENTITY.sub("", escaped[:limit])
