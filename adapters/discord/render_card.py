"""The session's announcement card: an embed with native timestamps, and its buttons."""

from __future__ import annotations

from datetime import datetime, timedelta

import discord

from adapters.discord import limits
from adapters.discord.buttons import EVERY_WEEK, GOING, JOIN, LEAVE, session_button
from adapters.discord.escape import inert
from adapters.discord.limits import fit
from adapters.discord.render_common import (
    COLORS,
    STATUS_LABELS,
    Links,
    badges,
    fit_embed,
    when_text,
)
from core.model import SessionStatus, TrainingSession
from core.timeparse import format_duration
from core.views import seats_text


def session_embed(
    session: TrainingSession, going: int, waitlisted: int, links: Links
) -> discord.Embed:
    """The session card: time, length, instructor, seats, badges, status (typed text inert)."""
    canceled = session.status is SessionStatus.CANCELED
    room = limits.Limit(limits.EMBED_TITLE.max - len("~~~~"), limits.EMBED_TITLE.doc)
    title = fit(inert(session.title), room)  # room for the strike-through when canceled
    embed = discord.Embed(
        title=("~~" + title + "~~") if canceled else title,
        url=links.page(session.id),
        description=fit(inert(session.description), limits.EMBED_DESCRIPTION) or None,
        colour=COLORS[session.status],
    )
    embed.add_field(name="When", value=when_text(session.start_time), inline=False)
    length = format_duration(timedelta(minutes=session.duration_minutes))
    embed.add_field(name="Length", value=length)
    embed.add_field(
        name="Instructor", value=fit(inert(session.instructor_name), limits.FIELD_VALUE)
    )
    embed.add_field(name="Seats", value=seats_text(session.capacity, going, waitlisted))
    embed.add_field(name="Details", value=badges(session), inline=False)
    if session.cancel_reason:
        embed.add_field(
            name="Reason",
            value=fit(inert(session.cancel_reason), limits.FIELD_VALUE),
            inline=False,
        )
    embed.set_footer(text=f"{STATUS_LABELS[session.status]} · id {session.id}")
    return fit_embed(embed)


def session_view(session: TrainingSession, now: datetime, links: Links) -> discord.ui.View:
    """Going / Leave (/ Every week for a weekly class's) / Add to calendar, and Join once
    the window is open; none when over."""
    view = discord.ui.View(timeout=None)
    if not session.is_open:
        return view
    if session.status is SessionStatus.SCHEDULED:
        view.add_item(session_button(GOING, session.id))
        view.add_item(session_button(LEAVE, session.id))
        if session.series_id is not None:  # a class of a weekly class: go every week
            view.add_item(session_button(EVERY_WEEK, session.series_id))
    view.add_item(
        discord.ui.Button(label="Add to calendar", url=links.calendar(session.id), emoji="📅")
    )
    if now >= session.join_opens_at:
        view.add_item(session_button(JOIN, session.id))
    return view
