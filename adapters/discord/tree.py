"""The command tree: errors Discord's option conversion raises are answered like ours."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from adapters.discord.command_localizations import localized
from adapters.discord.render_outcome import failure_text
from adapters.discord.usage import USAGE
from core import log_context
from core.errors import DojoError, InvalidInput
from core.failures import new_ref

log = logging.getLogger(__name__)

Refuse = Callable[[discord.Interaction[Any], DojoError, str | None], Awaitable[None]]
"""Answers an interaction with an error and the command's usage (`InteractionActions.refuse`)."""


class DojoCommandTree(app_commands.CommandTree[Any]):
    """A CommandTree whose failures reach the member as an ephemeral refusal with usage."""

    def __init__(self, client: discord.Client, refuse: Refuse) -> None:
        super().__init__(client)
        self._refuse = refuse

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Every command and autocomplete runs in a task of its own: its log lines carry the
        interaction's id as their request id."""
        log_context.set_request_id(str(interaction.id))
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError, /
    ) -> None:
        name = interaction.command.name if interaction.command else None
        usage = USAGE.get(name or "")
        if isinstance(error, app_commands.TransformerError | app_commands.CommandSignatureMismatch):
            problem = InvalidInput(f"I couldn't read that: {error}", "Check the options.")
        else:
            ref = new_ref()
            log.error("command %s failed (ref %s)", name, ref, exc_info=error)
            problem = InvalidInput(failure_text(ref))
        await self._refuse(interaction, problem, usage)

    async def sync(
        self, *, guild: discord.abc.Snowflake | None = None
    ) -> list[app_commands.AppCommand]:
        """Bulk-overwrite this scope's commands, each with its names and descriptions in
        every shipped language (`command_localizations`)."""
        application_id = self.client.application_id
        if application_id is None:
            raise app_commands.MissingApplicationID
        http = self.client.http
        body = commands_payload(self, guild)
        try:
            if guild is None:
                data = await http.bulk_upsert_global_commands(application_id, payload=body)
            else:
                data = await http.bulk_upsert_guild_commands(application_id, guild.id, payload=body)
        except discord.HTTPException as error:
            if error.status == 400 and error.code == 50035:
                commands = self._get_all_commands(guild=guild)
                raise app_commands.CommandSyncFailure(error, commands) from None
            raise
        return [app_commands.AppCommand(data=d, state=self._state) for d in data]


def commands_payload(
    tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None
) -> list[dict[str, Any]]:
    """The command definitions Discord receives for this scope, localized."""
    return [localized(command.to_dict(tree)) for command in tree.get_commands(guild=guild)]


def commands_digest(tree: app_commands.CommandTree[Any], guild: discord.Object | None) -> str:
    """A fingerprint of the command definitions Discord would receive for this scope."""
    payload = sorted(commands_payload(tree, guild), key=lambda c: str(c.get("name")))
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
