"""What happens when a member uses a slash command, a button or a form.

Every interaction is answered within Discord's 3 seconds: the work runs at once, and if it
is not done after `defer_after_seconds` the interaction is deferred ("thinking…") and the
answer follows up. Answers go only to the member who acted (ephemeral); errors say what to
type instead and show the command's usage.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from adapters.discord.directory import DiscordMembers
from adapters.discord.ids import PLATFORM
from adapters.discord.paging import Listing
from adapters.discord.render_common import Links
from adapters.discord.render_outcome import (
    Reply,
    error_reply,
    failure_text,
    join_reply,
    outcome_reply,
)
from adapters.discord.words import t
from core import log_context
from core.clock import Clock
from core.commands import Command, JoinSession, RsvpGoing, RsvpLeave, StandRsvp
from core.errors import DojoError, NotFound
from core.executor import CommandExecutor, JoinOutcome
from core.failures import report_failure
from core.grammar import parse_command
from core.i18n import EnglishOnly, Languages, Translator, localize
from core.model import Member, Origin

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]
CommandBuilder = Callable[[Member], Command]


class InteractionActions:
    """Turns interactions into core commands and answers them."""

    def __init__(
        self,
        executor: CommandExecutor,
        members: DiscordMembers,
        clock: Clock,
        links: Links,
        defer_after: float = 2.0,
        languages: Languages | None = None,
    ) -> None:
        self.executor = executor
        self.members = members
        self.clock = clock
        self.links = links
        self.defer_after = defer_after
        self.languages: Languages = languages or EnglishOnly()

    def translator(self, interaction: Interaction) -> Translator:
        """The language the member's Discord client is set to (what refusals are worded in)."""
        return self.languages.translator(str(interaction.locale))

    async def member_of(self, interaction: Interaction, guild_id: int | None = None) -> Member:
        """The member who acted (their profile refreshed with their client's language), with
        their role in the server they acted in, or in `guild_id` for a press outside one."""
        guild = interaction.guild
        self.members.note_guild_locale(
            interaction.guild_id,
            _locale(interaction.guild_locale),
            community=guild is not None and "COMMUNITY" in guild.features,
        )
        return await self.members.member(
            interaction.guild_id or guild_id, interaction.user, _locale(interaction.locale)
        )

    # slash commands and forms -------------------------------------------------------
    async def run(self, interaction: Interaction, usage: str, build: CommandBuilder) -> None:
        """Run the command `build` makes for the member, answering them privately."""

        async def work() -> Reply:
            member = await self.member_of(interaction)
            command = build(member)
            outcome = await self.executor.execute(member, command, self.origin_of(interaction))
            listing = command if isinstance(command, Listing) else None
            tr = self.translator(interaction)
            return outcome_reply(outcome, self.clock.now(), self.links, listing, tr=tr)

        await self.answer(interaction, work, usage)

    async def turn_page(self, interaction: Interaction, listing: Listing, page: int) -> None:
        """Previous / Next on a list: the query again, that page in place of the old one."""

        async def work() -> Reply:
            member = await self.member_of(interaction)
            outcome = await self.executor.execute(member, listing, self.origin_of(interaction))
            tr = self.translator(interaction)
            return outcome_reply(outcome, self.clock.now(), self.links, listing, page, tr)

        await self.answer(interaction, work, edit=True)

    async def answer_with(
        self, interaction: Interaction, usage: str | None, make: Callable[[Member], Reply]
    ) -> None:
        """Answer with a reply that needs only the member (help, previews)."""

        async def work() -> Reply:
            return make(await self.member_of(interaction))

        await self.answer(interaction, work, usage)

    # command lines: command buttons and the slash commands that build a line -----------
    async def run_line(self, interaction: Interaction, line: str, usage: str | None = None) -> None:
        """Run one shared-grammar line (`/claim s-42`) as the member who pressed or typed,
        with their own rights, exactly as if they had typed it; answer them privately.

        In a server their role is theirs there; in a DM, theirs in the server the line's
        session was scheduled in (else in the only configured server; else a guest)."""

        async def work() -> Reply:
            guild_id = interaction.guild_id or await self._guild_of_line(line)
            member = await self.member_of(interaction, guild_id)
            command = parse_command(line, self.clock.now(), member.timezone)
            origin = self.origin_of(interaction) if interaction.guild_id else None
            outcome = await self.executor.execute(member, command, origin)
            tr = self.translator(interaction)
            if isinstance(outcome, JoinOutcome):
                return join_reply(outcome, tr)
            return outcome_reply(outcome, self.clock.now(), self.links, tr=tr)

        await self.answer(interaction, work, usage)

    async def _guild_of_line(self, line: str) -> int | None:
        """The server whose roles apply to a line run outside one (see `run_line`)."""
        probe = parse_command(line, self.clock.now(), self.members.default_timezone)
        session_id = getattr(probe, "session_id", None)
        if isinstance(session_id, str):
            try:
                return await self._guild_of(session_id)
            except NotFound:
                pass  # not scheduled from Discord (or gone: running the line says so)
        guilds = self.members.settings.guild_ids
        return guilds[0] if len(guilds) == 1 else None

    # buttons --------------------------------------------------------------------------
    async def rsvp(self, interaction: Interaction, session_id: str, going: bool) -> None:
        """Going / Leave, from the announcement or from a DM."""
        command = RsvpGoing(session_id=session_id) if going else RsvpLeave(session_id=session_id)
        await self.answer(interaction, lambda: self._as_member_of_session(interaction, command))

    async def join(self, interaction: Interaction, session_id: str) -> None:
        """Join: the member's own short-lived link, shown only to them."""
        command = JoinSession(session_id=session_id)
        await self.answer(interaction, lambda: self._as_member_of_session(interaction, command))

    async def every_week(self, interaction: Interaction, series_id: str) -> None:
        """Every week, from the card of one class of a weekly class: a standing RSVP."""
        command = StandRsvp(series_id=series_id)

        async def work() -> Reply:
            guild_id = interaction.guild_id or await self._guild_of_series(series_id)
            member = await self.member_of(interaction, guild_id)
            outcome = await self.executor.execute(member, command, None)
            tr = self.translator(interaction)
            return outcome_reply(outcome, self.clock.now(), self.links, tr=tr)

        await self.answer(interaction, work)

    async def _guild_of_series(self, series_id: str) -> int | None:
        """The server a weekly class was set in (for a press outside one)."""
        origin = (await self.executor.service.get_series(series_id)).origin
        if origin is None or origin.platform != PLATFORM or not origin.workspace_id:
            raise NotFound(t("That weekly class wasn't set from Discord."))
        return int(origin.workspace_id)

    async def _as_member_of_session(self, interaction: Interaction, command: Command) -> Reply:
        session_id = getattr(command, "session_id", "")
        guild_id = interaction.guild_id or await self._guild_of(session_id)
        member = await self.member_of(interaction, guild_id)
        outcome = await self.executor.execute(member, command, None)
        tr = self.translator(interaction)
        if isinstance(outcome, JoinOutcome):
            return join_reply(outcome, tr)
        return outcome_reply(outcome, self.clock.now(), self.links, tr=tr)

    async def _guild_of(self, session_id: str) -> int | None:
        """The server a session was scheduled in (for buttons pressed in DMs)."""
        session = await self.executor.service.get(session_id)
        origin = session.origin
        if origin is None or origin.platform != PLATFORM or not origin.workspace_id:
            raise NotFound(t("That session wasn't scheduled from Discord."))
        return int(origin.workspace_id)

    # answering ------------------------------------------------------------------------
    def origin_of(self, interaction: Interaction) -> Origin:
        """Where a command was typed: the announcement goes there."""
        return Origin(
            platform=PLATFORM,
            workspace_id=str(interaction.guild_id) if interaction.guild_id else None,
            channel_id=str(interaction.channel_id) if interaction.channel_id else None,
        )

    async def answer(
        self,
        interaction: Interaction,
        work: Callable[[], Awaitable[Reply]],
        usage: str | None = None,
        edit: bool = False,
    ) -> None:
        """Run `work`; reply directly if it is quick, else defer first and follow up.
        With `edit` (a page button) the reply replaces the message pressed; errors still
        come as a private message of their own. Log lines carry the interaction's id."""
        log_context.set_request_id(str(interaction.id))
        task = asyncio.ensure_future(work())
        done, _ = await asyncio.wait({task}, timeout=self.defer_after)
        deferred = not done
        if deferred:
            if edit:
                await interaction.response.defer()
            else:
                await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            reply = await task
        except DojoError as error:
            reply, edit = error_reply(error, usage, self.translator(interaction)), False
        except Exception:
            ref = report_failure(log, f"Discord interaction {interaction.id}")
            failure = localize(failure_text(ref), self.translator(interaction))
            reply, edit = Reply(content=failure), False
        if edit:
            fields = reply.kwargs() | {"view": reply.view}
            if deferred:
                await interaction.edit_original_response(**fields)
            else:
                await interaction.response.edit_message(**fields)
        elif deferred:
            await interaction.followup.send(ephemeral=True, **reply.kwargs())
        else:
            await interaction.response.send_message(ephemeral=True, **reply.kwargs())

    async def refuse(self, interaction: Interaction, error: DojoError, usage: str | None) -> None:
        """Answer an interaction with an error (e.g. an option Discord could not convert)."""
        reply = error_reply(error, usage, self.translator(interaction))
        if interaction.response.is_done():
            await interaction.followup.send(ephemeral=True, **reply.kwargs())
        else:
            await interaction.response.send_message(ephemeral=True, **reply.kwargs())


def _locale(locale: discord.Locale | None) -> str | None:
    """Discord's locale code (`ja`, `es-ES`, `en-US`…)."""
    return None if locale is None else locale.value
