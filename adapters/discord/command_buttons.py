"""Command buttons on Discord: a notice's or a reply's `NoticeButton`s as persistent buttons.

A button's custom_id is `dojobot:` followed by the shared-grammar command line it runs
(`dojobot:/claim s-42`), so a press works after a restart and on any process. A press is
received by the DynamicItem `persistent_command_button` builds with its handler
(`InteractionActions.run_line`): the line is parsed and run for whoever pressed, with their
own rights, exactly as if they had typed it; the answer goes only to them. A line too long
for Discord's 100-character custom_id is refused when the message is built (CommandTooLong),
never cut: a cut command would run something else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol, Self

import discord

from adapters.discord import limits
from adapters.discord.buttons import PREFIX
from adapters.discord.escape import inert
from adapters.discord.limits import fit
from core.i18n import ENGLISH, Translator, localize
from core.notices import ButtonStyle, NoticeButton

LINE = rf"/[^\n]{{1,{limits.CUSTOM_ID.max - len(PREFIX) - 2}}}"
"""A command line as carried in a custom_id: its leading `/`, then the rest of one line."""
TEMPLATE = rf"^{PREFIX}:(?P<line>{LINE})$"

_STYLES: dict[ButtonStyle, discord.ButtonStyle] = {
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
    ButtonStyle.PLAIN: discord.ButtonStyle.secondary,
}

Interaction = discord.Interaction[Any]


class CommandTooLong(ValueError):
    """A command line that does not fit a custom_id (Discord's 100 characters)."""


class LineHandler(Protocol):
    """What a press does (implemented by `InteractionActions`)."""

    async def run_line(self, interaction: Interaction, line: str, usage: str | None = None) -> None:
        """Run `line` as the member who pressed, answering them privately."""


def command_custom_id(command: str) -> str:
    """`dojobot:/claim s-42` for the line `/claim s-42` (a missing leading `/` is added: the
    grammar reads both alike). Raises CommandTooLong when it exceeds 100 characters."""
    line = command.strip()
    if not line.startswith("/"):
        line = "/" + line
    custom_id = f"{PREFIX}:{line}"
    if len(custom_id) > limits.CUSTOM_ID.max or not re.fullmatch(TEMPLATE, custom_id):
        raise CommandTooLong(
            f"the command {line!r} does not fit a Discord custom_id "
            f"({len(custom_id)} of {limits.CUSTOM_ID.max} characters, one line)"
        )
    return custom_id


class _SentButton(discord.ui.Button[Any]):
    """A button as posted: presses go to the registered DynamicItem, not to a view."""

    def is_dispatchable(self) -> bool:
        return False


def command_button(spec: NoticeButton, tr: Translator = ENGLISH) -> discord.ui.Button[Any]:
    """The button of `spec`, labelled in `tr`'s language (CommandTooLong when its line does
    not fit a custom_id); a link-style button opening `spec.url` when it has one."""
    if spec.url is not None:
        return discord.ui.Button(
            label=fit(inert(localize(spec.label, tr)), limits.BUTTON_LABEL),
            style=discord.ButtonStyle.link,
            url=spec.url,
        )
    return _SentButton(
        label=fit(inert(localize(spec.label, tr)), limits.BUTTON_LABEL),
        style=_STYLES[spec.style],
        custom_id=command_custom_id(spec.command),
    )


def add_command_buttons(
    view: discord.ui.View | None, buttons: Sequence[NoticeButton], tr: Translator = ENGLISH
) -> discord.ui.View | None:
    """`view` (a new one when None) with a button per entry of `buttons`; None when there
    is nothing to show."""
    if not buttons:
        return view
    if view is None:
        view = discord.ui.View(timeout=None)
    for spec in buttons:
        view.add_item(command_button(spec, tr))
    return view


class CommandButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"^$"):
    """A pressed command button, handed the handler it was built with."""

    def __init__(self, line: str, handler: LineHandler) -> None:
        super().__init__(discord.ui.Button(label="Run", custom_id=f"{PREFIX}:{line}"))
        self.line = line
        self.handler = handler

    async def callback(self, interaction: Interaction) -> None:
        await self.handler.run_line(interaction, self.line)


def persistent_command_button(handler: LineHandler) -> type[CommandButton]:
    """The DynamicItem class to register at start-up; every press goes to `handler`."""

    class Pressed(CommandButton, template=TEMPLATE):
        @classmethod
        async def from_custom_id(
            cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
        ) -> Self:
            return cls(match["line"], handler)

    Pressed.__name__ = Pressed.__qualname__ = "CommandButton"
    return Pressed
