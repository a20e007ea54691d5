"""Discord's export slash command (docs/training-record.md, "Exports"): `/export-attendance`.

It builds the shared-grammar line from its options and runs it as the member who typed it
(`InteractionActions.run_line`): the CSV arrives as a DM with the file attached
(`DiscordChat.send_file`), and the reply, only to them, says so.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord.fair_seats_commands import line_runner
from adapters.discord.handlers import InteractionActions
from adapters.discord.ids import member_id
from adapters.discord.series_commands import class_choices
from core.service import SessionService

Interaction = discord.Interaction[Any]
Choices = list[app_commands.Choice[str]]
NAME = "export-attendance"


def export_words(
    session: str | None,
    klass: str | None,
    member: str | None,
    first: str | None,
    last: str | None,
) -> list[str]:
    """The grammar's words for the given options, in the grammar's order."""
    words: list[str] = []
    for keyword, value in (
        ("session", session),
        ("class", klass),
        ("member", member),
        ("from", first),
        ("to", last),
    ):
        if value is not None:
            words += [keyword, value.strip()]
    return words


def register_export_commands(
    tree: app_commands.CommandTree[Any], actions: InteractionActions, service: SessionService
) -> None:
    """Add `/export-attendance` to `tree`."""
    run = line_runner(actions)

    async def class_autocomplete(interaction: Interaction, current: str) -> Choices:
        return await class_choices(service, await actions.member_of(interaction), current)

    @tree.command(name=NAME, description="Attendance as a CSV file, sent to you by DM")
    @app_commands.describe(
        session="Only this session (its id, like s-42)",
        klass="Only this weekly class",
        member="(instructors, admins) only this member; members always get their own",
        first="From this day on (YYYY-MM-DD)",
        last="Up to and including this day (YYYY-MM-DD)",
    )
    @app_commands.rename(klass="class", first="from", last="to")
    @app_commands.autocomplete(klass=class_autocomplete)
    async def export_attendance(
        interaction: Interaction,
        session: str | None = None,
        klass: str | None = None,
        member: discord.User | None = None,
        first: str | None = None,
        last: str | None = None,
    ) -> None:
        who = None if member is None else member_id(member.id)
        await run(interaction, NAME, *export_words(session, klass, who, first, last))
