"""The slash commands: typed options → core commands, run by InteractionActions."""

from dataclasses import dataclass
from typing import Any, Literal

import discord
from discord import app_commands

from adapters.discord import limits
from adapters.discord.audit_commands import register_audit_commands
from adapters.discord.autocomplete import event_choices, session_choices, when_choices
from adapters.discord.export_commands import register_export_commands
from adapters.discord.fair_seats_commands import register_fair_seats_commands
from adapters.discord.feed_commands import register_feed_commands
from adapters.discord.handlers import InteractionActions
from adapters.discord.ledger_commands import register_ledger_commands
from adapters.discord.limits import fit
from adapters.discord.member_commands import register_member_commands
from adapters.discord.option_types import (
    SESSION_HELP,
    DecideMinutes,
    Description,
    MinGoing,
    Minutes,
    Seats,
    Title,
)
from adapters.discord.rank_commands import register_rank_commands
from adapters.discord.render_outcome import Reply
from adapters.discord.schedule_form import ScheduleForm
from adapters.discord.series_commands import register_series_commands
from adapters.discord.training_page_commands import register_training_page_commands
from adapters.discord.usage import USAGE, help_lines
from adapters.discord.words import t
from core.commands import (
    CancelSession,
    CreateEvent,
    EndSession,
    JoinSession,
    ListSessions,
    RsvpGoing,
    RsvpLeave,
    ScheduleSession,
    ShowAttendance,
    ShowEvent,
    ShowSession,
    StartSession,
    UpdateSession,
)
from core.i18n import ENGLISH, Translator, localize
from core.model import Member, SessionStatus, Visibility
from core.service import SessionService
from core.timeparse import parse_when

Interaction = discord.Interaction[Any]
Choices = list[app_commands.Choice[str]]
StatusChoice = Literal["upcoming", "scheduled", "live", "ended", "not-held", "canceled", "all"]

STATUSES: dict[str, list[SessionStatus] | None] = {
    "upcoming": None,
    "scheduled": [SessionStatus.SCHEDULED],
    "live": [SessionStatus.LIVE],
    "ended": [SessionStatus.ENDED],
    "not-held": [SessionStatus.NOT_HELD],
    "canceled": [SessionStatus.CANCELED],
    "all": list(SessionStatus),
}

WHEN_HELP = "When it starts: tomorrow 18:00 · fri 7pm · 2026-12-01 18:00 Europe/Berlin"
MIN_HELP = "Minimum going: fewer at the decision time, you are asked to keep or cancel"
DECIDE_HELP = "Minutes before the start the minimum is decided (default 180)"


SessionCommand = type[ShowSession | StartSession | EndSession | JoinSession | ShowAttendance]


@dataclass(frozen=True)
class OneIdCommand:
    """A slash command whose only option is the session."""

    name: str
    description: str
    command: SessionCommand


ONE_ID_COMMANDS: tuple[OneIdCommand, ...] = (
    OneIdCommand("session", "Show a session and who is going", ShowSession),
    OneIdCommand("start-session", "Go live (the session's instructor)", StartSession),
    OneIdCommand("end-session", "End a live session (the session's instructor)", EndSession),
    OneIdCommand("join", "Get your personal room link", JoinSession),
    OneIdCommand("attendance", "Who attended and for how long", ShowAttendance),
)


def visibility(members_only: bool | None) -> Visibility | None:
    if members_only is None:
        return None
    return Visibility.MEMBERS_ONLY if members_only else Visibility.PUBLIC


def register_commands(
    tree: app_commands.CommandTree[Any], actions: InteractionActions, service: SessionService
) -> None:
    """Add every dojobot slash command to `tree`; pickers search through `service`."""
    clock = actions.clock

    async def when_autocomplete(interaction: Interaction, current: str) -> Choices:
        zone = actions.members.timezone_for(interaction.guild_id)
        return when_choices(current, clock.now(), zone, actions.translator(interaction))

    async def session_autocomplete(interaction: Interaction, current: str) -> Choices:
        actor = await actions.member_of(interaction)
        tr = actions.translator(interaction)
        return await session_choices(service, actor, current, clock.now(), tr)

    async def event_autocomplete(interaction: Interaction, current: str) -> Choices:
        return await event_choices(service, await actions.member_of(interaction), current)

    def one_id(spec: OneIdCommand) -> None:
        @tree.command(name=spec.name, description=spec.description)
        @app_commands.describe(session=SESSION_HELP)
        @app_commands.autocomplete(session=session_autocomplete)
        async def run(interaction: Interaction, session: str) -> None:
            command = spec.command(session_id=session)
            await actions.run(interaction, USAGE[spec.name], lambda m: command)

    for spec in ONE_ID_COMMANDS:
        one_id(spec)

    def when_of(text: str, member: Member) -> Any:
        return parse_when(text, clock.now(), member.timezone)

    @tree.command(name="schedule-session", description="Schedule a live training session")
    @app_commands.describe(
        title="What the session is called",
        when=WHEN_HELP,
        duration="Length in minutes (default 60)",
        capacity="Seats; leave empty for unlimited",
        recording="Record the session",
        chat="Allow chat in the room",
        members_only="Only members may join (default yes)",
        event="The event it belongs to",
        description="Details shown on the announcement",
        minimum=MIN_HELP,
        decide=DECIDE_HELP,
    )
    @app_commands.rename(minimum="min")
    @app_commands.autocomplete(when=when_autocomplete, event=event_autocomplete)
    async def schedule_session(
        interaction: Interaction,
        title: Title,
        when: str,
        duration: Minutes = 60,
        capacity: Seats | None = None,
        recording: bool = False,
        chat: bool = True,
        members_only: bool = True,
        event: str | None = None,
        description: Description | None = None,
        minimum: MinGoing | None = None,
        decide: DecideMinutes | None = None,
    ) -> None:
        await actions.run(
            interaction,
            USAGE["schedule-session"],
            lambda m: ScheduleSession(
                title=title,
                start_time=when_of(when, m),
                duration_minutes=duration,
                capacity=capacity,
                recording_enabled=recording,
                chat_enabled=chat,
                visibility=visibility(members_only) or Visibility.MEMBERS_ONLY,
                event_id=event,
                description=description or "",
                min_going=minimum,
                min_decide_minutes=decide,
            ),
        )

    @tree.command(name="schedule-session-form", description="Schedule a session with a form")
    @app_commands.describe(
        recording="Record the session",
        chat="Allow chat in the room",
        members_only="Only members may join (default yes)",
        event="The event it belongs to",
        minimum=MIN_HELP,
    )
    @app_commands.rename(minimum="min")
    @app_commands.autocomplete(event=event_autocomplete)
    async def schedule_session_form(
        interaction: Interaction,
        recording: bool = False,
        chat: bool = True,
        members_only: bool = True,
        event: str | None = None,
        minimum: MinGoing | None = None,
    ) -> None:
        form = ScheduleForm(
            actions,
            recording=recording,
            chat=chat,
            visibility=visibility(members_only) or Visibility.MEMBERS_ONLY,
            event_id=event,
            tr=actions.translator(interaction),
            min_going=minimum,
        )
        await interaction.response.send_modal(form)  # a modal must be the first response

    @tree.command(name="sessions", description="List sessions (upcoming by default)")
    @app_commands.describe(status="Which sessions", mine="Only those you teach", event="Event id")
    @app_commands.autocomplete(event=event_autocomplete)
    async def sessions(
        interaction: Interaction,
        status: StatusChoice = "upcoming",
        mine: bool = False,
        event: str | None = None,
    ) -> None:
        query = ListSessions(status=STATUSES[status], mine=mine, event_id=event)
        await actions.run(interaction, USAGE["sessions"], lambda m: query)

    @tree.command(name="update-session", description="Change a session")
    @app_commands.describe(
        session=SESSION_HELP,
        title="New title",
        when=WHEN_HELP,
        duration="New length in minutes",
        capacity="New number of seats",
        unlimited="Remove the seat limit",
        recording="Record the session",
        chat="Allow chat in the room",
        members_only="Only members may join",
        event="Move it to this event",
        description="New details",
        minimum=MIN_HELP,
        nomin="Remove the minimum",
        decide=DECIDE_HELP,
    )
    @app_commands.rename(minimum="min")
    @app_commands.autocomplete(
        session=session_autocomplete, when=when_autocomplete, event=event_autocomplete
    )
    async def update_session(
        interaction: Interaction,
        session: str,
        title: Title | None = None,
        when: str | None = None,
        duration: Minutes | None = None,
        capacity: Seats | None = None,
        unlimited: bool = False,
        recording: bool | None = None,
        chat: bool | None = None,
        members_only: bool | None = None,
        event: str | None = None,
        description: Description | None = None,
        minimum: MinGoing | None = None,
        nomin: bool = False,
        decide: DecideMinutes | None = None,
    ) -> None:
        await actions.run(
            interaction,
            USAGE["update-session"],
            lambda m: UpdateSession(
                session_id=session,
                title=title,
                start_time=when_of(when, m) if when else None,
                duration_minutes=duration,
                capacity=capacity,
                unlimited=unlimited,
                recording_enabled=recording,
                chat_enabled=chat,
                visibility=visibility(members_only),
                event_id=event,
                description=description,
                min_going=minimum,
                no_minimum=nomin,
                min_decide_minutes=decide,
            ),
        )

    @tree.command(name="cancel-session", description="Cancel a session; going members are told")
    @app_commands.describe(session=SESSION_HELP, reason="Why (shown to members)")
    @app_commands.autocomplete(session=session_autocomplete)
    async def cancel_session(
        interaction: Interaction, session: str, reason: Description | None = None
    ) -> None:
        command = CancelSession(session_id=session, reason=reason)
        await actions.run(interaction, USAGE["cancel-session"], lambda m: command)

    @tree.command(name="rsvp", description="Take a seat (or the waitlist), or leave")
    @app_commands.describe(session=SESSION_HELP, answer="going (default) or leave")
    @app_commands.autocomplete(session=session_autocomplete)
    async def rsvp(
        interaction: Interaction, session: str, answer: Literal["going", "leave"] = "going"
    ) -> None:
        command = (
            RsvpGoing(session_id=session) if answer == "going" else RsvpLeave(session_id=session)
        )
        await actions.run(interaction, USAGE["rsvp"], lambda m: command)

    @tree.command(name="create-event", description="Create an event that groups sessions")
    @app_commands.describe(title="The event's name", description="Details")
    async def create_event(
        interaction: Interaction, title: Title, description: Description | None = None
    ) -> None:
        command = CreateEvent(title=title, description=description or "")
        await actions.run(interaction, USAGE["create-event"], lambda m: command)

    @tree.command(name="event", description="Show an event and its sessions")
    @app_commands.describe(event="The event")
    @app_commands.autocomplete(event=event_autocomplete)
    async def show_event(interaction: Interaction, event: str) -> None:
        await actions.run(interaction, USAGE["event"], lambda m: ShowEvent(event_id=event))

    @tree.command(name="help", description="How to use dojobot")
    async def help_command(interaction: Interaction) -> None:
        tr = actions.translator(interaction)
        await actions.answer_with(interaction, None, lambda m: help_reply(tr))

    register_series_commands(tree, actions, service)
    register_member_commands(tree, actions, service)
    register_fair_seats_commands(tree, actions, session_autocomplete)
    register_audit_commands(tree, actions, session_autocomplete)
    register_ledger_commands(tree, actions, session_autocomplete)
    register_feed_commands(tree, actions)
    register_training_page_commands(tree, actions, service)
    register_rank_commands(tree, actions, service)
    register_export_commands(tree, actions, service)


def help_reply(tr: Translator = ENGLISH) -> Reply:
    """Every command with its usage, in embeds (longer than a message's 2,000; one embed
    holds 4,096, a message's embeds 6,000 together), in `tr`'s language."""
    title = localize(t("dojobot commands"), tr)
    budget = limits.EMBEDS_TOTAL.max - len(title)
    embeds: list[discord.Embed] = []
    for page in limits.pages(help_lines(tr), limits.EMBED_DESCRIPTION.max, len(USAGE) + 1):
        text = fit("\n".join(page), limits.Limit(max(budget, 1), ""))
        budget -= len(text)
        embeds.append(discord.Embed(title=None if embeds else title, description=text))
        if budget <= 0 or len(embeds) == limits.EMBEDS.max:
            break
    return Reply(embeds=embeds)
