"""The command tree: errors Discord's option conversion raises are answered like ours."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import discord
from discord import app_commands

from adapters.discord.usage import USAGE
from core import log_context
from core.errors import DojoError, InvalidInput
from core.failures import failure_text, new_ref

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


def commands_digest(tree: app_commands.CommandTree[Any], guild: discord.Object | None) -> str:
    """A fingerprint of the command definitions Discord would receive for this scope."""
    payload = sorted(
        (command.to_dict(tree) for command in tree.get_commands(guild=guild)),
        key=lambda c: str(c.get("name")),
    )
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
