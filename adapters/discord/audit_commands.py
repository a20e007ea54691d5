"""Discord's audit slash command (docs/training-record.md, "Audit log"): `/audit`.

It builds the shared-grammar line from its options and runs it as the member who typed it
(`InteractionActions.run_line`): admins get the page (only to them) with its "More"
button, or with `csv` the file by DM; everyone else the core's refusal.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from adapters.discord.fair_seats_commands import Picker, line_runner
from adapters.discord.handlers import InteractionActions
from adapters.discord.ids import member_id
from adapters.discord.option_types import SESSION_HELP
from core.audit import AuditAction

Interaction = discord.Interaction[Any]
NAME = "audit"
ACTIONS = [app_commands.Choice(name=a.value, value=a.value) for a in AuditAction]


def audit_words(
    csv: bool,
    actor: str | None,
    action: str | None,
    session: str | None,
    first: str | None,
    last: str | None,
) -> list[str]:
    """The grammar's words for the given options, in the grammar's order."""
    words = ["csv"] if csv else []
    for keyword, value in (
        ("actor", actor),
        ("action", action),
        ("session", session),
        ("from", first),
        ("to", last),
    ):
        if value is not None:
            words += [keyword, value.strip()]
    return words


def register_audit_commands(
    tree: app_commands.CommandTree[Any], actions: InteractionActions, sessions: Picker
) -> None:
    """Add `/audit` to `tree`; its session option searches with `sessions`."""
    run = line_runner(actions)

    @tree.command(name=NAME, description="The audit log, newest first (admins)")
    @app_commands.describe(
        csv="Send the whole selection as a CSV file by DM",
        actor="Only what this member did",
        action="Only this kind of action",
        session=SESSION_HELP,
        first="From this day on (YYYY-MM-DD)",
        last="Up to and including this day (YYYY-MM-DD)",
    )
    @app_commands.rename(first="from", last="to")
    @app_commands.choices(action=ACTIONS)
    @app_commands.autocomplete(session=sessions)
    async def audit(
        interaction: Interaction,
        csv: bool = False,
        actor: discord.User | None = None,
        action: str | None = None,
        session: str | None = None,
        first: str | None = None,
        last: str | None = None,
    ) -> None:
        who = None if actor is None else member_id(actor.id)
        await run(interaction, NAME, *audit_words(csv, who, action, session, first, last))
