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
    seats_text,
    when_text,
)
from adapters.discord.words import t
from core.i18n import ENGLISH, Duration, Translator, localize, value
from core.model import SessionStatus, TrainingSession


def session_embed(
    session: TrainingSession,
    going: int,
    waitlisted: int,
    links: Links,
    tr: Translator = ENGLISH,
) -> discord.Embed:
    """The session card: time, length, instructor, seats, badges, status (typed text inert),
    worded by `tr` (the channel's language on a post, the member's in a reply)."""
    canceled = session.status is SessionStatus.CANCELED
    room = limits.Limit(limits.EMBED_TITLE.max - len("~~~~"), limits.EMBED_TITLE.doc)
    title = fit(inert(session.title), room)  # room for the strike-through when canceled
    embed = discord.Embed(
        title=("~~" + title + "~~") if canceled else title,
        url=links.page(session.id),
        description=fit(inert(session.description), limits.EMBED_DESCRIPTION) or None,
        colour=COLORS[session.status],
    )
    embed.add_field(name=localize(t("When"), tr), value=when_text(session.start_time), inline=False)
    length = value(Duration(timedelta(minutes=session.duration_minutes)))
    embed.add_field(name=localize(t("Length"), tr), value=localize(length, tr))
    embed.add_field(
        name=localize(t("Instructor"), tr),
        value=fit(inert(session.instructor_name), limits.FIELD_VALUE),
    )
    seats = seats_text(session.capacity, going, waitlisted, minimum=session.min_going)
    embed.add_field(name=localize(t("Seats"), tr), value=localize(seats, tr))
    embed.add_field(
        name=localize(t("Details"), tr), value=localize(badges(session), tr), inline=False
    )
    if session.cancel_reason:
        embed.add_field(
            name=localize(t("Reason"), tr),
            value=fit(inert(session.cancel_reason), limits.FIELD_VALUE),
            inline=False,
        )
    status = STATUS_LABELS[session.status]
    footer = t("{status} · id {id}", status=status, id=session.id)
    embed.set_footer(text=fit(localize(footer, tr), limits.FOOTER_TEXT))
    return fit_embed(embed)


def session_view(
    session: TrainingSession, now: datetime, links: Links, tr: Translator = ENGLISH
) -> discord.ui.View:
    """Going / Leave (/ Every week for a weekly class's) / Add to calendar, and Join once
    the window is open; none when over."""
    view = discord.ui.View(timeout=None)
    if not session.is_open:
        return view
    if session.status is SessionStatus.SCHEDULED:
        view.add_item(session_button(GOING, session.id, tr))
        view.add_item(session_button(LEAVE, session.id, tr))
        if session.series_id is not None:  # a class of a weekly class: go every week
            view.add_item(session_button(EVERY_WEEK, session.series_id, tr))
    calendar = localize(t("Add to calendar"), tr)
    view.add_item(discord.ui.Button(label=calendar, url=links.calendar(session.id), emoji="📅"))
    if now >= session.join_opens_at:
        view.add_item(session_button(JOIN, session.id, tr))
    return view
