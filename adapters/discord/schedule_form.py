"""The modal variant of /schedule-session, with room for a long description."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from adapters.discord import limits
from adapters.discord.limits import fit
from adapters.discord.render_outcome import failure_text
from adapters.discord.usage import USAGE
from adapters.discord.words import t
from core.commands import ScheduleSession
from core.errors import InvalidInput
from core.failures import new_ref
from core.i18n import ENGLISH, Text, Translator, localize
from core.model import Member, Visibility
from core.timeparse import parse_duration, parse_when

if TYPE_CHECKING:
    from adapters.discord.handlers import InteractionActions

log = logging.getLogger(__name__)


FORM_TITLE = t("Schedule a session")


def _field(
    tr: Translator,
    label: Text,
    placeholder: str,
    *,
    long: bool = False,
    required: bool = True,
    max_length: int,
) -> tuple[discord.ui.Label[Any], discord.ui.TextInput[Any]]:
    text = discord.ui.TextInput[Any](
        style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
        placeholder=fit(localize(placeholder, tr), limits.TEXT_INPUT_PLACEHOLDER),
        required=required,
        max_length=max_length,
    )
    return discord.ui.Label(text=fit(localize(label, tr), limits.LABEL_TEXT), component=text), text


class ScheduleForm(discord.ui.Modal, title=FORM_TITLE):
    """Title, time, length, seats and a long description; options come from the command;
    worded by `tr` (the member's language)."""

    def __init__(
        self,
        actions: InteractionActions,
        *,
        recording: bool,
        chat: bool,
        visibility: Visibility,
        event_id: str | None,
        tr: Translator = ENGLISH,
        min_going: int | None = None,
    ) -> None:
        super().__init__(timeout=15 * 60, title=fit(localize(FORM_TITLE, tr), limits.MODAL_TITLE))
        self.actions = actions
        self.options = {
            "recording_enabled": recording,
            "chat_enabled": chat,
            "visibility": visibility,
            "event_id": event_id,
            "min_going": min_going,
        }
        label, self.title_input = _field(tr, t("Title"), "Kata basics", max_length=100)
        self.add_item(label)
        label, self.when_input = _field(
            tr, t("When"), "tomorrow 18:00 · 2026-12-01 18:00 Europe/Berlin", max_length=100
        )
        self.add_item(label)
        label, self.duration_input = _field(
            tr,
            t("Length"),
            t("60m · 1h30m (default 60 minutes)"),
            required=False,
            max_length=20,
        )
        self.add_item(label)
        label, self.capacity_input = _field(
            tr, t("Seats"), t("empty for unlimited"), required=False, max_length=6
        )
        self.add_item(label)
        label, self.description_input = _field(
            tr,
            t("Description"),
            t("What to bring, what you'll practise…"),
            long=True,
            required=False,
            max_length=1000,
        )
        self.add_item(label)

    def command_for(self, member: Member) -> ScheduleSession:
        """The command the form's values describe, read in the member's zone."""
        now = self.actions.clock.now()
        duration = self.duration_input.value.strip()
        seats = self.capacity_input.value.strip()
        if seats and not re.fullmatch(r"[0-9]+", seats):
            raise InvalidInput(
                t('Seats must be a whole number, not "{seats}".', seats=seats), t("E.g. 20.")
            )
        return ScheduleSession(
            title=self.title_input.value.strip(),
            start_time=parse_when(self.when_input.value, now, member.timezone),
            duration_minutes=int(parse_duration(duration).total_seconds() // 60)
            if duration
            else 60,
            capacity=int(seats) if seats else None,
            description=self.description_input.value.strip(),
            **self.options,
        )

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        await self.actions.run(interaction, USAGE["schedule-session-form"], self.command_for)

    async def on_error(  # type: ignore[override]  # the signature of discord.py's Modal
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        """The boundary for anything `on_submit` let through: a ref for the member, logged."""
        ref = new_ref()
        log.error("schedule form failed (ref %s)", ref, exc_info=error)
        await self.actions.refuse(interaction, InvalidInput(failure_text(ref)), None)
