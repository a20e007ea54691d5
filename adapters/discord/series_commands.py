"""The weekly-class slash commands: typed options → core series commands.

`/schedule-class` previews first (see `series_preview`); the others run at once through the
executor. Days, times and dates are read by `core.timeparse`, in the member's zone unless a
zone is picked, so a typo gets the same clear message as on the other front ends.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import discord
from discord import app_commands

from adapters.discord.autocomplete import MAX_CHOICES, choice, event_choices
from adapters.discord.handlers import InteractionActions
from adapters.discord.option_types import Description, Minutes, Seats, Title, Weeks
from adapters.discord.series_preview import preview_series
from adapters.discord.usage import USAGE
from core.commands import (
    DropStandingRsvp,
    EndSeries,
    ListSeries,
    ScheduleSeries,
    SeriesScope,
    ShowSeries,
    SkipDay,
    StandRsvp,
    UpdateSeries,
)
from core.errors import InvalidInput
from core.i18n import ENGLISH, Translator, localize
from core.model import Member, Visibility
from core.recurrence import WEEKDAYS
from core.series_replies import timetable
from core.service import SessionService
from core.timeparse import parse_day, parse_time_of_day, parse_weekdays, valid_timezone

Interaction = discord.Interaction[Any]
Choices = list[app_commands.Choice[str]]

CLASS_HELP = "The weekly class (type to search, or paste its id)"
DAYS_HELP = "Days it meets: mon,wed · tue,thu · weekdays"
TIME_HELP = "Its local start time: 17:30 · 5:30pm"
DATE_HELP = "A date: 2027-06-30 · 30 jun 2027 · tomorrow"
DAY_EXAMPLES = ("mon,wed", "tue,thu", "weekdays", "sat")


def day_choices(current: str, tr: Translator = ENGLISH) -> Choices:
    """What the typed days read as (`Mon, Wed`), or why they don't (in `tr`'s language)."""
    texts = [current] if current.strip() else list(DAY_EXAMPLES)
    choices = []
    for text in texts:
        try:
            days = sorted(parse_weekdays(text))
        except InvalidInput as error:
            choices.append(choice(f"⚠ {localize(error.message, tr)}", text))
            continue
        if days:
            names = [WEEKDAYS[d] for d in days]
            shown = ", ".join(tr.weekday(d) for d in days)
            choices.append(choice(shown, ",".join(names)))
    return choices


_ZONES: list[str] = []


def zone_choices(current: str, member_zone: str) -> Choices:
    """Time zones whose name contains what was typed (the member's own first)."""
    if not _ZONES:
        _ZONES.extend(sorted(z for z in available_timezones() if "/" in z or z == "UTC"))
    needle = current.strip().lower().replace(" ", "_")
    found = [z for z in _ZONES if needle in z.lower()]
    if member_zone in found or not needle:
        found = [member_zone, *(z for z in found if z != member_zone)]
    return [choice(z, z) for z in found[:MAX_CHOICES]]


async def class_choices(service: SessionService, actor: Member, current: str) -> Choices:
    """Running weekly classes the member may see whose title or id contains what was typed."""
    needle = current.strip().lower()
    found = [
        s
        for s in await service.list_series(actor)
        if needle in s.title.lower() or needle in s.id.lower()
    ]
    return [choice(f"{s.title} — {timetable(s.rule)} ({s.id})", s.id) for s in found][:MAX_CHOICES]


def _zone(picked: str | None, member: Member) -> str:
    return valid_timezone(picked) if picked else member.timezone


def _tags(text: str | None) -> list[str]:
    return [tag.strip() for tag in (text or "").split(",") if tag.strip()]


def register_series_commands(
    tree: app_commands.CommandTree[Any], actions: InteractionActions, service: SessionService
) -> None:
    """Add the weekly-class commands to `tree`."""
    clock = actions.clock

    def today(member: Member, zone: str | None = None) -> date:
        return clock.now().astimezone(ZoneInfo(zone or member.timezone)).date()

    async def class_autocomplete(interaction: Interaction, current: str) -> Choices:
        return await class_choices(service, await actions.member_of(interaction), current)

    async def days_autocomplete(interaction: Interaction, current: str) -> Choices:
        return day_choices(current, actions.translator(interaction))

    async def zone_autocomplete(interaction: Interaction, current: str) -> Choices:
        return zone_choices(current, actions.members.timezone_for(interaction.guild_id))

    async def event_autocomplete(interaction: Interaction, current: str) -> Choices:
        return await event_choices(service, await actions.member_of(interaction), current)

    @tree.command(name="schedule-class", description="Set a weekly class (previewed first)")
    @app_commands.describe(
        title="What the class is called",
        days=DAYS_HELP,
        time=TIME_HELP,
        timezone="Its zone (default: yours)",
        until="Last possible day (inclusive), e.g. 2027-06-30",
        weeks="Or: how many weeks it runs",
        every_other_week="Meet every other week",
        starting="First day (default: today)",
        duration="Length in minutes (default 60)",
        capacity="Seats per class; leave empty for unlimited",
        recording="Record the classes",
        chat="Allow chat in the room",
        members_only="Only members may join (default yes)",
        event="The event its classes belong to",
        description="Details shown on each class",
        tags="Tags, comma-separated",
    )
    @app_commands.rename(starting="from")
    @app_commands.autocomplete(
        days=days_autocomplete, timezone=zone_autocomplete, event=event_autocomplete
    )
    async def schedule_class(
        interaction: Interaction,
        title: Title,
        days: str,
        time: str,
        timezone: str | None = None,
        until: str | None = None,
        weeks: Weeks | None = None,
        every_other_week: bool = False,
        starting: str | None = None,
        duration: Minutes = 60,
        capacity: Seats | None = None,
        recording: bool = False,
        chat: bool = True,
        members_only: bool = True,
        event: str | None = None,
        description: Description | None = None,
        tags: str | None = None,
    ) -> None:
        def build(member: Member) -> ScheduleSeries:
            zone = _zone(timezone, member)
            local_today = today(member, zone)
            return ScheduleSeries(
                title=title,
                weekdays=sorted(parse_weekdays(days)),
                local_time=parse_time_of_day(time),
                timezone=zone if timezone else None,
                first_day=parse_day(starting, local_today) if starting else None,
                until=parse_day(until, local_today) if until else None,
                weeks=weeks,
                interval_weeks=2 if every_other_week else 1,
                duration_minutes=duration,
                capacity=capacity,
                recording_enabled=recording,
                chat_enabled=chat,
                visibility=Visibility.MEMBERS_ONLY if members_only else Visibility.PUBLIC,
                event_id=event,
                description=description or "",
                tags=_tags(tags),
            )

        await preview_series(actions, interaction, USAGE["schedule-class"], build)

    @tree.command(name="classes", description="List the weekly classes")
    async def classes(interaction: Interaction) -> None:
        await actions.run(interaction, USAGE["classes"], lambda m: ListSeries())

    def one_class(
        name: str, description: str, make: type[ShowSeries | StandRsvp | DropStandingRsvp]
    ) -> None:
        @tree.command(name=name, description=description)
        @app_commands.describe(class_=CLASS_HELP)
        @app_commands.rename(class_="class")
        @app_commands.autocomplete(class_=class_autocomplete)
        async def run(interaction: Interaction, class_: str) -> None:
            await actions.run(interaction, USAGE[name], lambda m: make(series_id=class_))

    one_class("class", "Show a weekly class and its coming classes", ShowSeries)
    one_class("every-week", "Go to every class of a weekly class", StandRsvp)
    one_class("not-every-week", "Stop going to a weekly class every week", DropStandingRsvp)

    @tree.command(name="skip-class", description="Skip one day of a weekly class")
    @app_commands.describe(class_=CLASS_HELP, day=DATE_HELP, reason="Why (shown to members)")
    @app_commands.rename(class_="class")
    @app_commands.autocomplete(class_=class_autocomplete)
    async def skip_class(
        interaction: Interaction, class_: str, day: str, reason: Description | None = None
    ) -> None:
        await actions.run(
            interaction,
            USAGE["skip-class"],
            lambda m: SkipDay(series_id=class_, day=parse_day(day, today(m)), reason=reason or ""),
        )

    @tree.command(name="end-class", description="End a weekly class; coming classes are canceled")
    @app_commands.describe(class_=CLASS_HELP, reason="Why (shown to members)")
    @app_commands.rename(class_="class")
    @app_commands.autocomplete(class_=class_autocomplete)
    async def end_class(
        interaction: Interaction, class_: str, reason: Description | None = None
    ) -> None:
        command = EndSeries(series_id=class_, reason=reason or "")
        await actions.run(interaction, USAGE["end-class"], lambda m: command)

    @tree.command(name="update-class", description="Change a weekly class")
    @app_commands.describe(
        class_=CLASS_HELP,
        following="Change from this class day on (default: every class to come)",
        time=TIME_HELP,
        days=DAYS_HELP,
        title="New title",
        duration="New length in minutes",
        capacity="New number of seats",
        unlimited="Remove the seat limit",
        description="New details",
    )
    @app_commands.rename(class_="class")
    @app_commands.autocomplete(class_=class_autocomplete, days=days_autocomplete)
    async def update_class(
        interaction: Interaction,
        class_: str,
        following: str | None = None,
        time: str | None = None,
        days: str | None = None,
        title: Title | None = None,
        duration: Minutes | None = None,
        capacity: Seats | None = None,
        unlimited: bool = False,
        description: Description | None = None,
    ) -> None:
        def build(member: Member) -> UpdateSeries:
            return UpdateSeries(
                series_id=class_,
                scope=SeriesScope.FOLLOWING if following else SeriesScope.ALL,
                from_day=parse_day(following, today(member)) if following else None,
                title=title,
                local_time=parse_time_of_day(time) if time else None,
                weekdays=sorted(parse_weekdays(days)) if days else None,
                duration_minutes=duration,
                capacity=capacity,
                unlimited=unlimited,
                description=description,
            )

        await actions.run(interaction, USAGE["update-class"], build)
