"""`/schedule-class` answers with a preview first; its Create button sets the class.

The preview is an ephemeral message only the instructor sees, with the next classes in
their own zone and what DST does to any. Its buttons belong to that message (a view kept in
this process for 15 minutes, like the schedule form): Create runs `ScheduleSeries` through
the executor with the channel the command was typed in, Cancel drops it. The first press
takes the buttons off the message, so a class is created at most once from one preview.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord

from adapters.discord.render_outcome import Reply, outcome_reply
from adapters.discord.render_series import plan_embed
from adapters.discord.words import t
from core.commands import ScheduleSeries
from core.errors import PermissionDenied
from core.i18n import ENGLISH, Translator, localize
from core.model import Member, Origin

if TYPE_CHECKING:
    from adapters.discord.handlers import InteractionActions

Interaction = discord.Interaction[Any]
PREVIEW_SECONDS = 15 * 60
CANCELED_TEXT = t("Not created: nothing was set.")


class SeriesPreview(discord.ui.View):
    """Create / Cancel under a preview; only the member who asked may press them."""

    def __init__(
        self,
        actions: InteractionActions,
        command: ScheduleSeries,
        origin: Origin,
        owner_id: int,
        usage: str,
        tr: Translator = ENGLISH,
    ) -> None:
        super().__init__(timeout=PREVIEW_SECONDS)
        self.create.label = localize(t("Create"), tr)
        self.cancel.label = localize(t("Cancel"), tr)
        self.actions = actions
        self.command = command
        self.origin = origin
        self.owner_id = owner_id
        self.usage = usage
        self.pressed = False

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        if interaction.user.id == self.owner_id and not self.pressed:
            return True
        problem = PermissionDenied(t("Only the member who asked for this preview can press it."))
        await self.actions.refuse(interaction, problem, None)
        return False

    @discord.ui.button(label="Create", style=discord.ButtonStyle.success)
    async def create(self, interaction: Interaction, button: discord.ui.Button[Any]) -> None:
        self.pressed = True
        self.stop()
        actions, command, origin = self.actions, self.command, self.origin

        async def work() -> Reply:
            member = await actions.member_of(interaction)
            outcome = await actions.executor.execute(member, command, origin)
            tr = actions.translator(interaction)
            return outcome_reply(outcome, actions.clock.now(), actions.links, tr=tr)

        await actions.answer(interaction, work, self.usage, edit=True)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: Interaction, button: discord.ui.Button[Any]) -> None:
        self.pressed = True
        self.stop()
        await interaction.response.edit_message(
            content=localize(CANCELED_TEXT, self.actions.translator(interaction)),
            embeds=[],
            view=None,
            allowed_mentions=discord.AllowedMentions.none(),
        )


async def preview_series(
    actions: InteractionActions,
    interaction: Interaction,
    usage: str,
    build: Callable[[Member], ScheduleSeries],
) -> None:
    """Answer `/schedule-class` with what it would create (stores nothing) and the buttons
    that create it."""

    async def work() -> Reply:
        member = await actions.member_of(interaction)
        command = build(member)
        plan = await actions.executor.service.preview_series(member, command)
        origin = actions.origin_of(interaction)
        tr = actions.translator(interaction)
        view = SeriesPreview(actions, command, origin, interaction.user.id, usage, tr)
        return Reply(embeds=[plan_embed(plan, preview=True, tr=tr)], view=view)

    await actions.answer(interaction, work, usage)
