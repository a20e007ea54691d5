"""Weekly classes on Discord: the preview and the created class, one class, the list.

Times are Discord timestamps (`<t:…:F>`), so each member reads them in their own zone; the
timetable line says the class's own wall-clock time and zone. Everything a member typed
(titles, names, reasons) is made inert, and every text is cut to Discord's limits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import discord

from adapters.discord import limits
from adapters.discord.escape import inert
from adapters.discord.limits import fit
from adapters.discord.render_common import STATUS_WORDS, audience, fit_embed
from adapters.discord.words import t, tn
from core.executor import SeriesListOutcome, SeriesOutcome
from core.i18n import ENGLISH, Day, Duration, Text, Translator, localize, value
from core.model import SessionStatus
from core.series import Series
from core.series_replies import COMING_SHOWN, timetable
from core.views import SeriesPlan

COLOUR = discord.Colour.blurple()
ENDED_COLOUR = discord.Colour.red()
HEADS: dict[str, Callable[[str], Text]] = {
    "shown": lambda title: t("Weekly class: {title}", title=title),
    "updated": lambda title: t("Changed: {title}", title=title),
    "every_week": lambda title: t("Every week: {title}", title=title),
    "not_every_week": lambda title: t("Not every week: {title}", title=title),
    "skipped": lambda title: t("Skipped a day of: {title}", title=title),
    "ended": lambda title: t("Ended: {title}", title=title),
}
"""The embed's title after each action, with the class's title."""
ACTION_LINES: dict[str, Text] = {
    "updated": t("Members going to a class that moved were told."),
    "every_week": t("You go to every class now; new classes list you as they come."),
    "not_every_week": t("You no longer go every week; the classes listed keep you."),
    "ended": t("No more classes."),
}
PREVIEW_LINE = t("Nothing is set yet: press **Create** to set it (within 15 minutes), or Cancel.")


def _stamp(moment: datetime) -> str:
    return discord.utils.format_dt(moment, "F")


def facts(series: Series, tr: Translator = ENGLISH) -> str:
    """`every Mon, Wed at 17:30 (Europe/Berlin) until … · 1h · cap 20 · with Ana`."""
    seats = (
        t("unlimited seats")
        if series.capacity is None
        else t("cap {capacity}", capacity=series.capacity)
    )
    text = t(
        "{timetable} · {length} · {seats} · {who} · with {instructor}",
        timetable=timetable(series.rule),
        length=value(Duration(timedelta(minutes=series.duration_minutes))),
        seats=seats,
        who=audience(series.visibility),
        instructor=series.instructor_name,
    )
    return inert(localize(text, tr))


def _titled(head: Callable[[str], Text], series: Series, tr: Translator) -> str:
    return fit(localize(head(inert(series.title)), tr), limits.EMBED_TITLE)


def _field(embed: discord.Embed, name: str, lines: list[str]) -> None:
    if lines:
        embed.add_field(name=name, value=fit("\n".join(lines), limits.FIELD_VALUE), inline=False)


def plan_embed(plan: SeriesPlan, preview: bool, tr: Translator = ENGLISH) -> discord.Embed:
    """A weekly class about to be created (`preview`) or just created: its timetable, next
    classes (in the reader's zone), how many in all, and what DST does to any; worded by
    `tr`."""
    series = plan.series
    head: Callable[[str], Text] = (
        (lambda title: t("Preview: {title}", title=title))
        if preview
        else (lambda title: t("Weekly class set: {title}", title=title))
    )
    count = tn("{n} class in all.", "{n} classes in all.", plan.total)
    lines = [facts(series, tr), localize(count, tr)]
    if series.description:
        lines.append(inert(series.description))
    if preview:
        lines.append(localize(PREVIEW_LINE, tr))
    else:
        every = t("Members: `/every-week class:{id}` to go every week.", id=series.id)
        lines.append(localize(every, tr))
    embed = discord.Embed(
        title=_titled(head, series, tr),
        description=fit("\n".join(lines), limits.EMBED_DESCRIPTION),
        colour=COLOUR,
    )
    upcoming = []
    for placement in plan.upcoming:
        stamp = _stamp(placement.start)
        line: str
        if placement.shifted and placement.ambiguous:
            line = t("{when} (moved by DST) (first of two)", when=stamp)
        elif placement.shifted:
            line = t("{when} (moved by DST)", when=stamp)
        elif placement.ambiguous:
            line = t("{when} (first of two)", when=stamp)
        else:
            line = stamp
        upcoming.append(localize(line, tr))
    _field(embed, localize(t("Next classes (your time)"), tr), upcoming)
    notes = [inert(localize(note, tr)) for note in plan.notes]
    _field(embed, localize(t("Daylight saving time"), tr), notes)
    if series.tags:
        _field(embed, localize(t("Tags"), tr), [inert(", ".join(series.tags))])
    footer = t("preview · not created yet") if preview else t("id {id}", id=series.id)
    embed.set_footer(text=localize(footer, tr))
    return fit_embed(embed)


def detail_embed(outcome: SeriesOutcome, tr: Translator = ENGLISH) -> discord.Embed:
    """A weekly class after `outcome.action`: timetable (and later changes), who goes every
    week, its listed classes and skipped days; worded by `tr`."""
    detail, series = outcome.detail, outcome.detail.series
    head = HEADS.get(outcome.action, HEADS["shown"])
    lines = [facts(series, tr)]
    later = [s for s in detail.segments if s.rule.first_day > series.rule.first_day]
    for segment in later:
        day = value(Day(segment.rule.first_day))
        then = t("Then from {day}: {facts}", day=day, facts=facts(segment, tr))
        lines.append(localize(then, tr))
    if outcome.action in ACTION_LINES:
        lines.append(localize(ACTION_LINES[outcome.action], tr))
    lines += [inert(localize(note, tr)) for note in outcome.notes]
    count = detail.standing_count
    going = (
        tn("{n} going every week (you too).", "{n} going every week (you too).", count)
        if detail.standing
        else tn("{n} going every week.", "{n} going every week.", count)
    )
    lines.append(localize(going, tr))
    ended = outcome.action == "ended" or series.status.value == "ended"
    embed = discord.Embed(
        title=_titled(head, series, tr),
        description=fit("\n".join(lines), limits.EMBED_DESCRIPTION),
        colour=ENDED_COLOUR if ended else COLOUR,
    )
    coming = []
    for session in detail.upcoming[:COMING_SHOWN]:
        stamp = _stamp(session.start_time)
        if session.status is SessionStatus.SCHEDULED:
            coming.append(f"`{session.id}` {stamp}")
        else:
            state = localize(STATUS_WORDS[session.status], tr)
            coming.append(f"`{session.id}` {stamp} [{state}]")
    if len(detail.upcoming) > COMING_SHOWN:
        more = len(detail.upcoming) - COMING_SHOWN
        coming.append(localize(tn("… and {n} more listed.", "… and {n} more listed.", more), tr))
    _field(embed, localize(t("Coming classes (your time)"), tr), coming)
    skips = []
    for skip in detail.skips:
        day = value(Day(skip.day))
        skipped = (
            t("No class on {day} ({reason}).", day=day, reason=inert(skip.reason))
            if skip.reason
            else t("No class on {day}.", day=day)
        )
        skips.append(localize(skipped, tr))
    _field(embed, localize(t("Skipped days"), tr), skips)
    embed.set_footer(text=localize(t("id {id}", id=series.root_id), tr))
    return fit_embed(embed)


def list_embed(outcome: SeriesListOutcome, tr: Translator = ENGLISH) -> discord.Embed:
    """One line per running weekly class (as many as fit; then how many more)."""
    lines = [
        f"`{s.id}` **{inert(s.title)}** {inert(localize(timetable(s.rule), tr))}"
        for s in outcome.series
    ]
    [shown, *rest] = limits.pages(lines, limits.EMBED_DESCRIPTION.max - 40, len(lines) or 1)
    more = sum(len(page) for page in rest)
    text = "\n".join(shown)
    if more:
        text += "\n" + localize(tn("… and {n} more.", "… and {n} more.", more), tr)
    return discord.Embed(
        title=localize(t("Weekly classes"), tr),
        description=fit(text, limits.EMBED_DESCRIPTION),
        colour=COLOUR,
    )


NO_CLASSES = t(
    'No weekly classes. Set one with `/schedule-class title:"Kids karate" days:mon,wed time:17:30`.'
)
