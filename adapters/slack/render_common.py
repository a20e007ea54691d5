"""Block Kit building blocks shared by every Slack message dojobot renders."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from adapters.slack.commands import escape
from adapters.slack.limits import BUTTON_TEXT_MAX, SECTION_TEXT_MAX
from adapters.slack.words import say, t
from core.i18n import ENGLISH, Translator
from core.model import TrainingSession, Visibility
from core.views import seats_text

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


def slack_date(instant: datetime, fallback_tz: str = "UTC", tr: Translator = ENGLISH) -> str:
    """`<!date^…^{date_short_pretty} at {time}|…>`: every reader sees it in their own zone;
    the words around Slack's tokens and the fallback are in `tr`'s language."""
    fallback = tr.when(instant, fallback_tz)
    pattern = say(t("{date} at {time}", date="{date_short_pretty}", time="{time}"), tr)
    return f"<!date^{int(instant.timestamp())}^{pattern}|{fallback}>"


def duration_text(session: TrainingSession, tr: Translator = ENGLISH) -> str:
    return tr.duration(timedelta(minutes=session.duration_minutes))


def seats(
    capacity: int | None,
    going: int,
    waitlisted: int,
    tr: Translator = ENGLISH,
    minimum: int | None = None,
) -> str:
    """E.g. `7/20 going` or `7 going` when unlimited, plus the minimum and the waitlist
    length (the core's `seats_text`, in `tr`'s language)."""
    return say(seats_text(capacity, going, waitlisted, minimum=minimum), tr)


def badges(session: TrainingSession, tr: Translator = ENGLISH) -> str:
    """Recording, chat and visibility, as short badges."""
    rec = (
        ":red_circle: " + say(t("recorded"), tr)
        if session.recording_enabled
        else say(t("not recorded"), tr)
    )
    chat = (
        ":speech_balloon: " + say(t("chat on"), tr)
        if session.chat_enabled
        else say(t("chat off"), tr)
    )
    who = (
        say(t("members only"), tr)
        if session.visibility is Visibility.MEMBERS_ONLY
        else ":globe_with_meridians: " + say(t("public"), tr)
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


def quoted_title(session: TrainingSession, tr: Translator = ENGLISH) -> str:
    """The session's title (escaped) in the reader's quotation marks."""
    return quoted(escape(session.title), tr)


def quoted(title: str, tr: Translator = ENGLISH) -> str:
    """An (escaped) title in the reader's quotation marks."""
    return say(t("“{title}”", title=title), tr)


def plain(text: str, limit: int) -> Block:
    """A plain_text object (`&`, `<`, `>` escaped, as in every Slack text) cut to `limit`."""
    return {"type": "plain_text", "text": cut(escape(text), limit), "emoji": True}


def cut(escaped: str, limit: int) -> str:
    """Escaped text cut to `limit` characters without leaving half an entity (`&am`)."""
    if len(escaped) <= limit:
        return escaped
    return _PARTIAL_ENTITY.sub("", escaped[:limit])
