"""Persistent buttons: the state lives in the custom_id (`dojobot:<action>:<session_id>`;
`dojobot:every-week:<class id>` for a weekly class).

Messages carry plain buttons (`session_button`); the presses are received by DynamicItems
registered at start-up (`persistent_buttons`), so a button on a message posted before a
restart still works. Each press is handed to the `ButtonHandler` the items are built with.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, Self

import discord

from adapters.discord.words import t
from core.i18n import ENGLISH, Text, Translator, localize

PREFIX = "dojobot"
SESSION_ID = r"[A-Za-z0-9_-]{1,60}"

Interaction = discord.Interaction[Any]


class ButtonHandler(Protocol):
    """What a press does (implemented by `InteractionActions`)."""

    async def rsvp(self, interaction: Interaction, session_id: str, going: bool) -> None:
        """Going / Leave."""

    async def join(self, interaction: Interaction, session_id: str) -> None:
        """The member's own room link."""

    async def every_week(self, interaction: Interaction, series_id: str) -> None:
        """Going to every class of a weekly class (the card of one of its classes)."""


Press = Callable[[ButtonHandler, Interaction, str], Awaitable[None]]


@dataclass(frozen=True)
class ButtonKind:
    """One kind of session button: its custom_id action, look, and what a press does."""

    action: str
    label: Text
    style: discord.ButtonStyle
    press: Press

    @property
    def template(self) -> str:
        return rf"^{PREFIX}:{self.action}:(?P<session_id>{SESSION_ID})$"


GOING = ButtonKind(
    "rsvp", t("Going"), discord.ButtonStyle.success, lambda h, i, s: h.rsvp(i, s, going=True)
)
LEAVE = ButtonKind(
    "leave", t("Leave"), discord.ButtonStyle.secondary, lambda h, i, s: h.rsvp(i, s, going=False)
)
JOIN = ButtonKind("join", t("Join"), discord.ButtonStyle.primary, lambda h, i, s: h.join(i, s))
EVERY_WEEK = ButtonKind(
    "every-week",
    t("Every week"),
    discord.ButtonStyle.primary,
    lambda h, i, s: h.every_week(i, s),
)
"""On the card of a weekly class's occurrence; its custom_id carries the class id."""
KINDS: tuple[ButtonKind, ...] = (GOING, LEAVE, JOIN, EVERY_WEEK)


def custom_id(action: str, session_id: str) -> str:
    """`dojobot:<action>:<session_id>` (at most 100 characters)."""
    return f"{PREFIX}:{action}:{session_id}"


class _SentButton(discord.ui.Button[Any]):
    """A button as posted: its presses go to the registered DynamicItems, so the message's
    view needs no place in discord.py's view store."""

    def is_dispatchable(self) -> bool:
        return False


def session_button(
    kind: ButtonKind, session_id: str, tr: Translator = ENGLISH
) -> discord.ui.Button[Any]:
    """The button of `kind` about one session, for a message's view, labelled by `tr`."""
    return _SentButton(**_look(kind, session_id, tr))


def _look(kind: ButtonKind, session_id: str, tr: Translator = ENGLISH) -> dict[str, Any]:
    return {
        "label": localize(kind.label, tr),
        "style": kind.style,
        "custom_id": custom_id(kind.action, session_id),
    }


class SessionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"^$"):
    """A pressed button about one session; `kind` is set by `persistent_buttons`."""

    kind: ClassVar[ButtonKind]

    def __init__(self, session_id: str, handler: ButtonHandler) -> None:
        super().__init__(discord.ui.Button(**_look(self.kind, session_id)))
        self.session_id = session_id
        self.handler = handler

    async def callback(self, interaction: Interaction) -> None:
        await self.kind.press(self.handler, interaction, self.session_id)


def _item_for(kind: ButtonKind, handler: ButtonHandler) -> type[SessionButton]:
    class Pressed(SessionButton, template=kind.template):
        @classmethod
        async def from_custom_id(
            cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
        ) -> Self:
            return cls(match["session_id"], handler)

    Pressed.kind = kind
    Pressed.__name__ = Pressed.__qualname__ = f"{kind.label}Button"
    return Pressed


def persistent_buttons(handler: ButtonHandler) -> tuple[type[SessionButton], ...]:
    """The DynamicItem classes to register at start-up; every press goes to `handler`."""
    return tuple(_item_for(kind, handler) for kind in KINDS)
