"""Discord rendering of sessions and notices: embeds with native timestamps, and buttons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import discord

from adapters.discord.buttons import GoingButton, JoinButton, LeaveButton
from adapters.discord.escape import inert
from adapters.discord.ids import user_id_of
from core.messages import moved_text
from core.model import SessionStatus, TrainingSession, Visibility
from core.notices import Notice
from core.timeparse import format_duration
from core.views import seats_text

COLORS = {
    SessionStatus.SCHEDULED: discord.Colour.blurple(),
    SessionStatus.LIVE: discord.Colour.green(),
    SessionStatus.ENDED: discord.Colour.light_grey(),
    SessionStatus.CANCELED: discord.Colour.red(),
    SessionStatus.NOT_HELD: discord.Colour.dark_grey(),
}
STATUS_LABELS = {
    SessionStatus.SCHEDULED: "Scheduled",
    SessionStatus.LIVE: "🔴 Live now",
    SessionStatus.ENDED: "Ended",
    SessionStatus.CANCELED: "Canceled",
    SessionStatus.NOT_HELD: "Not held (never started)",
}


@dataclass(frozen=True)
class Links:
    """Our public pages for a session (served by the web front end)."""

    public_url: str

    def page(self, session_id: str) -> str:
        return f"{self.public_url}/sessions/{session_id}"

    def calendar(self, session_id: str) -> str:
        return f"{self.public_url}/sessions/{session_id}.ics"


def when_text(start: datetime) -> str:
    """`<t:…:F>` (`<t:…:R>`): each viewer sees their own zone, and a live countdown."""
    return f"{discord.utils.format_dt(start, 'F')} ({discord.utils.format_dt(start, 'R')})"


def badges(session: TrainingSession) -> str:
    recording = "⏺️ recorded" if session.recording_enabled else "not recorded"
    chat = "💬 chat on" if session.chat_enabled else "chat off"
    who = "members only" if session.visibility is Visibility.MEMBERS_ONLY else "public"
    return f"{recording} · {chat} · {who}"


def session_embed(
    session: TrainingSession, going: int, waitlisted: int, links: Links
) -> discord.Embed:
    """The session card: time, length, instructor, seats, badges, status (typed text inert)."""
    canceled = session.status is SessionStatus.CANCELED
    title = inert(session.title)[:250]
    embed = discord.Embed(
        title=("~~" + title + "~~") if canceled else title,
        url=links.page(session.id),
        description=inert(session.description)[:4000] or None,
        colour=COLORS[session.status],
    )
    embed.add_field(name="When", value=when_text(session.start_time), inline=False)
    length = format_duration(timedelta(minutes=session.duration_minutes))
    embed.add_field(name="Length", value=length)
    embed.add_field(name="Instructor", value=inert(session.instructor_name)[:1024])
    embed.add_field(name="Seats", value=seats_text(session.capacity, going, waitlisted))
    embed.add_field(name="Details", value=badges(session), inline=False)
    if session.cancel_reason:
        embed.add_field(name="Reason", value=inert(session.cancel_reason)[:1000], inline=False)
    embed.set_footer(text=f"{STATUS_LABELS[session.status]} · id {session.id}")
    return embed


def session_view(session: TrainingSession, now: datetime, links: Links) -> discord.ui.View:
    """Going / Leave / Add to calendar, and Join once the window is open; none when over."""
    view = discord.ui.View(timeout=None)
    if not session.is_open:
        return view
    if session.status is SessionStatus.SCHEDULED:
        view.add_item(GoingButton(session.id))
        view.add_item(LeaveButton(session.id))
    view.add_item(
        discord.ui.Button(label="Add to calendar", url=links.calendar(session.id), emoji="📅")
    )
    if now >= session.join_opens_at:
        view.add_item(JoinButton(session.id))
    return view


def notice_embed(notice: Notice) -> discord.Embed:
    """A notice (reminder, cancellation, promotion…) with the session's time; a move is
    told from `<t:…:F>` to `<t:…:F>`, in each reader's own zone."""
    session = notice.session
    text = inert(notice.text)
    if notice.moved_from is not None and notice.moved_to is not None:
        old = discord.utils.format_dt(notice.moved_from, "F")
        new = discord.utils.format_dt(notice.moved_to, "F")
        text = moved_text(inert(session.title), old, new)
    embed = discord.Embed(description=text[:4096], colour=COLORS[session.status])
    embed.add_field(name=inert(session.title)[:256], value=when_text(session.start_time))
    return embed


def notice_view(notice: Notice) -> discord.ui.View | None:
    """The Join button a notice asks for (each press gets that member's own link)."""
    if not notice.show_join:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(JoinButton(notice.session.id))
    return view


def mention_content(notice: Notice) -> tuple[str | None, discord.AllowedMentions]:
    """`<@user>` for a channel notice addressed to one member; pings only that member."""
    if notice.mention_member_id is None:
        return None, discord.AllowedMentions.none()
    user_id = user_id_of(notice.mention_member_id)
    return f"<@{user_id}>", discord.AllowedMentions(
        everyone=False, roles=False, users=[discord.Object(user_id)]
    )


def message_fields(**fields: Any) -> dict[str, Any]:
    """Drop unset fields so `send_message(**fields)` keeps discord.py defaults."""
    return {key: value for key, value in fields.items() if value is not None}
