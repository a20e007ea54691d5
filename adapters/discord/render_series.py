"""Weekly classes on Discord: the preview and the created class, one class, the list.

Times are Discord timestamps (`<t:…:F>`), so each member reads them in their own zone; the
timetable line says the class's own wall-clock time and zone. Everything a member typed
(titles, names, reasons) is made inert, and every text is cut to Discord's limits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import discord

from adapters.discord import limits
from adapters.discord.escape import inert
from adapters.discord.limits import fit
from adapters.discord.render_common import fit_embed
from core.executor import SeriesListOutcome, SeriesOutcome
from core.model import SessionStatus, Visibility
from core.series import Series
from core.series_replies import COMING_SHOWN, timetable
from core.timeparse import format_duration
from core.views import SeriesPlan

COLOUR = discord.Colour.blurple()
ENDED_COLOUR = discord.Colour.red()
HEADS = {
    "shown": "Weekly class",
    "updated": "Changed",
    "every_week": "Every week",
    "not_every_week": "Not every week",
    "skipped": "Skipped a day of",
    "ended": "Ended",
}
ACTION_LINES = {
    "updated": "Members going to a class that moved were told.",
    "every_week": "You go to every class now; new classes list you as they come.",
    "not_every_week": "You no longer go every week; the classes listed keep you.",
    "ended": "No more classes.",
}
PREVIEW_LINE = "Nothing is set yet: press **Create** to set it (within 15 minutes), or Cancel."


def _stamp(moment: datetime) -> str:
    return discord.utils.format_dt(moment, "F")


def facts(series: Series) -> str:
    """`every Mon, Wed at 17:30 (Europe/Berlin) until … · 1h · cap 20 · with Ana`."""
    length = format_duration(timedelta(minutes=series.duration_minutes))
    seats = "unlimited seats" if series.capacity is None else f"cap {series.capacity}"
    who = "members only" if series.visibility is Visibility.MEMBERS_ONLY else "public"
    return inert(
        f"{timetable(series.rule)} · {length} · {seats} · {who} · with {series.instructor_name}"
    )


def _titled(head: str, series: Series) -> str:
    return fit(f"{head}: {inert(series.title)}", limits.EMBED_TITLE)


def _field(embed: discord.Embed, name: str, lines: list[str]) -> None:
    if lines:
        embed.add_field(name=name, value=fit("\n".join(lines), limits.FIELD_VALUE), inline=False)


def plan_embed(plan: SeriesPlan, preview: bool) -> discord.Embed:
    """A weekly class about to be created (`preview`) or just created: its timetable, next
    classes (in the reader's zone), how many in all, and what DST does to any."""
    series = plan.series
    head = "Preview" if preview else "Weekly class set"
    count = f"{plan.total} class" + ("" if plan.total == 1 else "es")
    lines = [facts(series), f"{count} in all."]
    if series.description:
        lines.append(inert(series.description))
    if preview:
        lines.append(PREVIEW_LINE)
    else:
        lines.append(f"Members: `/every-week class:{series.id}` to go every week.")
    embed = discord.Embed(
        title=_titled(head, series),
        description=fit("\n".join(lines), limits.EMBED_DESCRIPTION),
        colour=COLOUR,
    )
    upcoming = []
    for placement in plan.upcoming:
        moved = " (moved by DST)" if placement.shifted else ""
        twice = " (first of two)" if placement.ambiguous else ""
        upcoming.append(f"{_stamp(placement.start)}{moved}{twice}")
    _field(embed, "Next classes (your time)", upcoming)
    _field(embed, "Daylight saving time", [inert(note) for note in plan.notes])
    if series.tags:
        _field(embed, "Tags", [inert(", ".join(series.tags))])
    embed.set_footer(text=f"id {series.id}" if not preview else "preview · not created yet")
    return fit_embed(embed)


def detail_embed(outcome: SeriesOutcome) -> discord.Embed:
    """A weekly class after `outcome.action`: timetable (and later changes), who goes every
    week, its listed classes and skipped days."""
    detail, series = outcome.detail, outcome.detail.series
    head = HEADS.get(outcome.action, HEADS["shown"])
    lines = [facts(series)]
    later = [s for s in detail.segments if s.rule.first_day > series.rule.first_day]
    lines += [f"Then from {s.rule.first_day:%a %d %b %Y}: {facts(s)}" for s in later]
    if outcome.action in ACTION_LINES:
        lines.append(ACTION_LINES[outcome.action])
    lines += [inert(note) for note in outcome.notes]
    mine = " (you too)" if detail.standing else ""
    lines.append(f"{detail.standing_count} going every week{mine}.")
    ended = outcome.action == "ended" or series.status.value == "ended"
    embed = discord.Embed(
        title=_titled(head, series),
        description=fit("\n".join(lines), limits.EMBED_DESCRIPTION),
        colour=ENDED_COLOUR if ended else COLOUR,
    )
    coming = []
    for session in detail.upcoming[:COMING_SHOWN]:
        state = "" if session.status is SessionStatus.SCHEDULED else f" [{session.status.value}]"
        coming.append(f"`{session.id}` {_stamp(session.start_time)}{state}")
    if len(detail.upcoming) > COMING_SHOWN:
        coming.append(f"… and {len(detail.upcoming) - COMING_SHOWN} more listed.")
    _field(embed, "Coming classes (your time)", coming)
    skips = []
    for skip in detail.skips:
        why = f" ({inert(skip.reason)})" if skip.reason else ""
        skips.append(f"No class on {skip.day:%a %d %b %Y}{why}.")
    _field(embed, "Skipped days", skips)
    embed.set_footer(text=f"id {series.root_id}")
    return fit_embed(embed)


def list_embed(outcome: SeriesListOutcome) -> discord.Embed:
    """One line per running weekly class (as many as fit; then how many more)."""
    lines = [f"`{s.id}` **{inert(s.title)}** {inert(timetable(s.rule))}" for s in outcome.series]
    [shown, *rest] = limits.pages(lines, limits.EMBED_DESCRIPTION.max - 40, len(lines) or 1)
    more = sum(len(page) for page in rest)
    text = "\n".join(shown) + (f"\n… and {more} more." if more else "")
    return discord.Embed(
        title="Weekly classes", description=fit(text, limits.EMBED_DESCRIPTION), colour=COLOUR
    )


NO_CLASSES = (
    'No weekly classes. Set one with `/schedule-class title:"Kids karate" days:mon,wed time:17:30`.'
)
