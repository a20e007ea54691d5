"""Persistent buttons: the state lives in the custom_id (`dojobot:<action>:<session_id>`).

They are DynamicItems registered at start-up, so a button on a message posted before a restart
still works. The press is handed to the client's `InteractionActions`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

if TYPE_CHECKING:
    from adapters.discord.actions import InteractionActions

PREFIX = "dojobot"
SESSION_ID = r"[A-Za-z0-9_-]{1,60}"


def custom_id(action: str, session_id: str) -> str:
    """`dojobot:<action>:<session_id>` (at most 100 characters)."""
    return f"{PREFIX}:{action}:{session_id}"


def actions_of(interaction: discord.Interaction[Any]) -> InteractionActions:
    """The front end's actions, carried by the client that received the interaction."""
    actions: InteractionActions = interaction.client.dojobot_actions
    return actions


class _SessionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"^$"):
    """A button about one session; subclasses set `action`, label and style."""

    action = ""
    label = ""
    style = discord.ButtonStyle.secondary

    def __init__(self, session_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=self.label, style=self.style, custom_id=custom_id(self.action, session_id)
            )
        )
        self.session_id = session_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> _SessionButton:
        return cls(match["session_id"])


class GoingButton(_SessionButton, template=rf"^{PREFIX}:rsvp:(?P<session_id>{SESSION_ID})$"):
    action, label, style = "rsvp", "Going", discord.ButtonStyle.success

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await actions_of(interaction).rsvp(interaction, self.session_id, going=True)


class LeaveButton(_SessionButton, template=rf"^{PREFIX}:leave:(?P<session_id>{SESSION_ID})$"):
    action, label, style = "leave", "Leave", discord.ButtonStyle.secondary

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await actions_of(interaction).rsvp(interaction, self.session_id, going=False)


class JoinButton(_SessionButton, template=rf"^{PREFIX}:join:(?P<session_id>{SESSION_ID})$"):
    action, label, style = "join", "Join", discord.ButtonStyle.primary

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await actions_of(interaction).join(interaction, self.session_id)


PERSISTENT_BUTTONS: tuple[type[_SessionButton], ...] = (GoingButton, LeaveButton, JoinButton)
