"""What the member who acted sees (always ephemeral): outcomes and errors, Discord-style."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import discord

from adapters.discord import limits
from adapters.discord.command_buttons import add_command_buttons
from adapters.discord.escape import inert
from adapters.discord.limits import fit
from adapters.discord.paging import Listing
from adapters.discord.render_card import session_embed, session_view
from adapters.discord.render_common import Links, fit_embed, seats_text, when_text
from adapters.discord.render_list import list_page
from adapters.discord.render_series import NO_CLASSES, detail_embed, list_embed, plan_embed
from adapters.discord.words import t
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
from core.failures import failure_text as failure_text  # the core's words, re-exported
from core.i18n import ENGLISH, Duration, Text, Translator, joined, localize, value
from core.replies import rsvp_reply
from core.reply_outcome import ReplyOutcome

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


def error_reply(error: DojoError, usage: str | None, tr: Translator = ENGLISH) -> Reply:
    """A refusal: what went wrong, what to type instead (in `tr`'s language, the member's),
    and the command's usage."""
    message = fit(inert(localize(error.message, tr)), limits.EMBED_DESCRIPTION)
    embed = discord.Embed(description=message, colour=ERROR_COLOUR)
    if error.hint:
        hint = fit(inert(localize(error.hint, tr)), limits.FIELD_VALUE)
        embed.add_field(name=localize(t("Try"), tr), value=hint, inline=False)
    if usage:
        embed.add_field(
            name=localize(t("Usage"), tr),
            value=fit(f"`{usage}`", limits.FIELD_VALUE),
            inline=False,
        )
    return Reply(embeds=[fit_embed(embed)])


def _done(action: str, title: str, session_id: str, when: str) -> Text | None:
    """`Scheduled **title** (id `s-1`) for <when>.`, per action the core reports."""
    params = {"title": title, "id": session_id, "when": when}
    match action:
        case "scheduled":
            return t("Scheduled **{title}** (id `{id}`) for {when}.", **params)
        case "updated":
            return t("Updated **{title}** (id `{id}`) for {when}.", **params)
        case "canceled":
            return t("Canceled **{title}** (id `{id}`).", **params)
        case "started":
            return t("Started **{title}** (id `{id}`).", **params)
        case "ended":
            return t("Ended **{title}** (id `{id}`).", **params)
        case "recording started for":
            return t("Recording started for **{title}** (id `{id}`).", **params)
        case "recording stopped for":
            return t("Recording stopped for **{title}** (id `{id}`).", **params)
    return None


def _session_done(outcome: SessionOutcome, tr: Translator) -> str:
    """What a session command did, and any notes of the core."""
    s = outcome.view.session
    title, when = inert(s.title), when_text(s.start_time)
    head: str | None = _done(outcome.action, title, s.id, when)
    if head is None:  # an action this renderer does not know: said as the core named it
        head = f"{outcome.action.capitalize()} **{title}** (id `{s.id}`)."
    parts: list[str] = [head]
    if s.room.state.value == "failed" and s.room.last_error:
        error = inert(s.room.last_error or "")
        parts.append(t("The video room will be retried before the start ({error}).", error=error))
    lines = [joined(parts, " "), *map(inert, (localize(note, tr) for note in outcome.notes))]
    return fit(localize(joined(lines), tr), limits.CONTENT)


def _event_done(action: str, title: str, event_id: str) -> Text:
    params = {"title": title, "id": event_id}
    if action == "created":
        return t("Event **{title}** (id `{id}`) created.", **params)
    if action == "shown":
        return t("Event **{title}** (id `{id}`) shown.", **params)
    return t("Event **{title}** (id `{id}`) {action}.", action=action, **params)


def outcome_reply(
    outcome: Outcome,
    now: datetime,
    links: Links,
    listing: Listing | None = None,
    page: int = 0,
    tr: Translator = ENGLISH,
) -> Reply:
    """Render a core Outcome for the member who asked, in `tr`'s language (theirs); a list
    shows page `page`, with buttons to the others when `listing` (the query that made it) is
    given."""
    match outcome:
        case SessionOutcome(action="shown"):
            view = outcome.view
            s = view.session
            embed = session_embed(s, len(view.going), len(view.waitlisted), links, tr)
            if view.going:
                names = ", ".join(inert(r.member_name) for r in view.going)
                embed.add_field(
                    name=localize(t("Going"), tr),
                    value=fit(names, limits.FIELD_VALUE),
                    inline=False,
                )
            if view.waitlisted:
                names = ", ".join(inert(r.member_name) for r in view.waitlisted)
                waitlist = fit(names, limits.FIELD_VALUE)
                embed.add_field(name=localize(t("Waitlist"), tr), value=waitlist, inline=False)
            if view.event:
                event = f"{inert(view.event.title)} (`{view.event.id}`)"
                embed.add_field(name=localize(t("Event"), tr), value=fit(event, limits.FIELD_VALUE))
            return Reply(embeds=[fit_embed(embed)], view=session_view(s, now, links, tr))
        case SessionOutcome():
            return Reply(content=_session_done(outcome, tr))
        case SessionListOutcome():
            if not outcome.sessions:
                nothing = t("No sessions. Schedule one with `/schedule-session`.")
                return Reply(content=localize(nothing, tr))
            embed, buttons = list_page(t("Sessions"), outcome.sessions, page, listing, tr)
            return Reply(embeds=[embed], view=buttons)
        case RsvpOutcome():
            view = outcome.view
            answer = rsvp_reply(outcome, f"**{inert(view.session.title)}**")
            seats = seats_text(view.session.capacity, len(view.going), len(view.waitlisted))
            said = t("{answer} ({seats})", answer=answer, seats=seats)
            return Reply(content=localize(said, tr))
        case JoinOutcome():
            return join_reply(outcome, tr)
        case AttendanceOutcome():
            return _attendance_reply(outcome, tr)
        case EventOutcome():
            e = outcome.event
            done = _event_done(outcome.action, inert(e.title), e.id)
            text = fit(localize(done, tr), limits.CONTENT)
            if not outcome.sessions:
                return Reply(content=text)
            title = t("Sessions of {title}", title=inert(e.title))
            embed, buttons = list_page(title, outcome.sessions, page, listing, tr)
            return Reply(content=text, embeds=[embed], view=buttons)
        case HelpOutcome():
            return Reply(content=fit(inert(localize(outcome.text, tr)), limits.CONTENT))
        case SeriesPlanOutcome():
            return Reply(embeds=[plan_embed(outcome.plan, preview=False, tr=tr)])
        case SeriesOutcome():
            return Reply(embeds=[detail_embed(outcome, tr)])
        case SeriesListOutcome():
            if not outcome.series:
                return Reply(content=localize(NO_CLASSES, tr))
            return Reply(embeds=[list_embed(outcome, tr)])
        case ReplyOutcome():
            return lines_reply(outcome, tr)
    raise AssertionError(f"unhandled outcome {outcome!r}")  # pragma: no cover


def lines_reply(outcome: ReplyOutcome, tr: Translator = ENGLISH) -> Reply:
    """The core's lines in `tr`'s language (nothing in them pings or formats: `inert`),
    with the outcome's buttons, each running its command for whoever presses it."""
    text = inert(localize(joined(outcome.lines), tr)) or outcome.action
    view = add_command_buttons(None, outcome.buttons, tr)
    return Reply(content=fit(text, limits.CONTENT), view=view)


def join_reply(outcome: JoinOutcome, tr: Translator = ENGLISH) -> Reply:
    """The member's own link, shown only to them."""
    link = outcome.link
    title = inert(outcome.session.title)
    if link.expires_at is None:
        text = t(
            "Your personal link for **{title}**:\n{url}\nDon't share it: it is yours.",
            title=title,
            url=link.url,
        )
    else:
        text = t(
            "Your personal link for **{title}** (valid until {until}):\n{url}\n"
            "Don't share it: it is yours.",
            title=title,
            until=discord.utils.format_dt(link.expires_at, "t"),
            url=link.url,
        )
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label=localize(t("Open the room"), tr), url=link.url))
    fits = len(link.url) <= limits.BUTTON_URL.max
    return Reply(content=localize(text, tr), view=view if fits else None)


def _attendance_reply(outcome: AttendanceOutcome, tr: Translator = ENGLISH) -> Reply:
    lines: list[str] = []
    for row in outcome.attendance:
        params = {
            "name": inert(row.member_name),
            "joined": discord.utils.format_dt(row.joined_at, "t"),
            "watched": value(Duration(timedelta(seconds=row.watch_time_seconds))),
        }
        if row.left_at is None:
            line = t("**{name}**: {joined} → still in, watched {watched}", **params)
        else:
            left = discord.utils.format_dt(row.left_at, "t")
            line = t("**{name}**: {joined} → {left}, watched {watched}", left=left, **params)
        lines.append(line)
    if not lines:
        lines.append(t("Nobody joined."))
    if outcome.no_shows:
        absent = ", ".join(inert(n) for n in outcome.no_shows)
        lines.append(t("RSVP'd but absent: {names}", names=absent))
    title = t("Attendance · {title}", title=inert(outcome.session.title))
    embed = discord.Embed(
        title=fit(localize(title, tr), limits.EMBED_TITLE),
        description=fit(localize(joined(lines), tr), limits.EMBED_DESCRIPTION),
    )
    return Reply(embeds=[fit_embed(embed)])
