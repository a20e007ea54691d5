"""What the member who acted sees (always ephemeral): outcomes and errors, Discord-style."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import discord

from adapters.discord import limits
from adapters.discord.escape import inert
from adapters.discord.limits import fit
from adapters.discord.paging import Listing
from adapters.discord.render_card import session_embed, session_view
from adapters.discord.render_common import Links, fit_embed, when_text
from adapters.discord.render_list import list_page
from adapters.discord.render_series import NO_CLASSES, detail_embed, list_embed, plan_embed
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
from core.replies import rsvp_reply
from core.timeparse import format_duration

ERROR_COLOUR = discord.Colour.red()


@dataclass
class Reply:
    """A message for one member: text, an embed, buttons."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `send_message` / `followup.send` (mentions never ping)."""
        fields: dict[str, Any] = {
            "content": self.content,
            "embeds": self.embeds,
            "allowed_mentions": discord.AllowedMentions.none(),
        }
        if self.view is not None:
            fields["view"] = self.view
        return fields


def error_reply(error: DojoError, usage: str | None) -> Reply:
    """A refusal: what went wrong, what to type instead, and the command's usage."""
    message = fit(inert(error.message), limits.EMBED_DESCRIPTION)
    embed = discord.Embed(description=message, colour=ERROR_COLOUR)
    if error.hint:
        embed.add_field(name="Try", value=fit(inert(error.hint), limits.FIELD_VALUE), inline=False)
    if usage:
        embed.add_field(name="Usage", value=fit(f"`{usage}`", limits.FIELD_VALUE), inline=False)
    return Reply(embeds=[fit_embed(embed)])


def outcome_reply(
    outcome: Outcome, now: datetime, links: Links, listing: Listing | None = None, page: int = 0
) -> Reply:
    """Render a core Outcome for the member who asked; a list shows page `page`, with
    buttons to the others when `listing` (the query that made it) is given."""
    match outcome:
        case SessionOutcome(action="shown"):
            view = outcome.view
            embed = session_embed(view.session, len(view.going), len(view.waitlisted), links)
            if view.going:
                names = ", ".join(inert(r.member_name) for r in view.going)
                embed.add_field(name="Going", value=fit(names, limits.FIELD_VALUE), inline=False)
            if view.waitlisted:
                names = ", ".join(inert(r.member_name) for r in view.waitlisted)
                waitlist = fit(names, limits.FIELD_VALUE)
                embed.add_field(name="Waitlist", value=waitlist, inline=False)
            if view.event:
                event = f"{inert(view.event.title)} (`{view.event.id}`)"
                embed.add_field(name="Event", value=fit(event, limits.FIELD_VALUE))
            return Reply(embeds=[fit_embed(embed)], view=session_view(view.session, now, links))
        case SessionOutcome():
            s = outcome.view.session
            text = f"{outcome.action.capitalize()} **{inert(s.title)}** (id `{s.id}`)"
            if outcome.action in ("scheduled", "updated"):
                text += f" for {when_text(s.start_time)}"
            if s.room.state.value == "failed" and s.room.last_error:
                error = inert(s.room.last_error)
                text += f". The video room will be retried before the start ({error})"
            lines = [text + ".", *map(inert, outcome.notes)]
            return Reply(content=fit("\n".join(lines), limits.CONTENT))
        case SessionListOutcome():
            if not outcome.sessions:
                return Reply(content="No sessions. Schedule one with `/schedule-session`.")
            embed, buttons = list_page("Sessions", outcome.sessions, page, listing)
            return Reply(embeds=[embed], view=buttons)
        case RsvpOutcome():
            text = rsvp_reply(outcome, f"**{inert(outcome.view.session.title)}**")
            return Reply(content=f"{text} ({outcome.view.seats_text})")
        case JoinOutcome():
            return join_reply(outcome)
        case AttendanceOutcome():
            return _attendance_reply(outcome)
        case EventOutcome():
            e = outcome.event
            text = fit(
                f"Event **{inert(e.title)}** (id `{e.id}`) {outcome.action}.", limits.CONTENT
            )
            if not outcome.sessions:
                return Reply(content=text)
            title = f"Sessions of {inert(e.title)}"
            embed, buttons = list_page(title, outcome.sessions, page, listing)
            return Reply(content=text, embeds=[embed], view=buttons)
        case HelpOutcome():
            return Reply(content=fit(inert(outcome.text), limits.CONTENT))
        case SeriesPlanOutcome():
            return Reply(embeds=[plan_embed(outcome.plan, preview=False)])
        case SeriesOutcome():
            return Reply(embeds=[detail_embed(outcome)])
        case SeriesListOutcome():
            if not outcome.series:
                return Reply(content=NO_CLASSES)
            return Reply(embeds=[list_embed(outcome)])
    raise AssertionError(f"unhandled outcome {outcome!r}")  # pragma: no cover


def join_reply(outcome: JoinOutcome) -> Reply:
    """The member's own link, shown only to them."""
    link = outcome.link
    text = f"Your personal link for **{inert(outcome.session.title)}**"
    if link.expires_at is not None:
        text += f" (valid until {discord.utils.format_dt(link.expires_at, 't')})"
    text += f":\n{link.url}\nDon't share it: it is yours."
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Open the room", url=link.url))
    return Reply(content=text, view=view if len(link.url) <= limits.BUTTON_URL.max else None)


def _attendance_reply(outcome: AttendanceOutcome) -> Reply:
    lines = []
    for row in outcome.attendance:
        left = discord.utils.format_dt(row.left_at, "t") if row.left_at else "still in"
        watched = format_duration(timedelta(seconds=row.watch_time_seconds))
        joined = discord.utils.format_dt(row.joined_at, "t")
        lines.append(f"**{inert(row.member_name)}**: {joined} → {left}, watched {watched}")
    if not lines:
        lines.append("Nobody joined.")
    if outcome.no_shows:
        lines.append("RSVP'd but absent: " + ", ".join(inert(n) for n in outcome.no_shows))
    embed = discord.Embed(
        title=fit(f"Attendance · {inert(outcome.session.title)}", limits.EMBED_TITLE),
        description=fit("\n".join(lines), limits.EMBED_DESCRIPTION),
    )
    return Reply(embeds=[fit_embed(embed)])
