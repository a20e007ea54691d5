"""Previous / Next buttons for long lists (`/sessions`, `/event`): the list's query and the
page travel in the custom_id, so a press re-runs the query and shows that page, also after
a restart (a DynamicItem registered at start-up, like the session buttons).

custom_ids: `dojobot:pg:s:<statuses>:<mine>:<event>:<page>` for `/sessions` (statuses as
letters, `u` for upcoming; mine 0/1; event empty or its id) and `dojobot:pg:e:<event>:<page>`
for `/event`.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, Self

import discord

from adapters.discord import limits
from adapters.discord.buttons import PREFIX, SESSION_ID
from adapters.discord.words import t
from core.commands import ListSessions, ShowEvent
from core.i18n import ENGLISH, Translator, localize
from core.model import SessionStatus

Interaction = discord.Interaction[Any]
Listing = ListSessions | ShowEvent

LETTERS = {
    SessionStatus.SCHEDULED: "s",
    SessionStatus.LIVE: "l",
    SessionStatus.ENDED: "e",
    SessionStatus.CANCELED: "c",
    SessionStatus.NOT_HELD: "n",
}
STATUSES = {letter: status for status, letter in LETTERS.items()}
UPCOMING = "u"
_KEY = rf"s:(?:{UPCOMING}|[slecn]{{1,5}}):[01]:(?:{SESSION_ID})?:\d{{1,4}}|e:{SESSION_ID}:\d{{1,4}}"
TEMPLATE = rf"^{PREFIX}:pg:(?P<key>{_KEY})$"


class PageHandler(Protocol):
    """What a page button does (implemented by `InteractionActions`)."""

    async def turn_page(self, interaction: Interaction, listing: Listing, page: int) -> None:
        """Show page `page` of the listing in place of the message pressed."""


def page_id(listing: Listing, page: int) -> str | None:
    """The custom_id of a button showing page `page` (None when the query can't be carried)."""
    if isinstance(listing, ShowEvent):
        key = f"e:{listing.event_id}:{page}"
    else:
        letters = "".join(LETTERS[s] for s in listing.status) if listing.status else UPCOMING
        key = f"s:{letters or UPCOMING}:{int(listing.mine)}:{listing.event_id or ''}:{page}"
    custom_id = f"{PREFIX}:pg:{key}"
    fits = len(custom_id) <= limits.CUSTOM_ID.max
    return custom_id if fits and re.fullmatch(TEMPLATE, custom_id) else None


def listing_of(key: str) -> tuple[Listing, int]:
    """The query and page a matched custom_id key carries."""
    kind, *parts = key.split(":")
    if kind == "e":
        return ShowEvent(event_id=parts[0]), int(parts[1])
    letters, mine, event, page = parts
    statuses = None if letters == UPCOMING else [STATUSES[c] for c in letters]
    listing = ListSessions(status=statuses, mine=mine == "1", event_id=event or None)
    return listing, int(page)


class _SentButton(discord.ui.Button[Any]):
    """A page button as posted; presses go to the registered PageButton."""

    def is_dispatchable(self) -> bool:
        return False


def page_view(
    listing: Listing | None, page: int, count: int, tr: Translator = ENGLISH
) -> discord.ui.View | None:
    """Previous / Next for page `page` of `count` (None for one page, or no carried query),
    labelled by `tr`."""
    if listing is None or count <= 1:
        return None
    view = discord.ui.View(timeout=None)
    for label, target in ((t("Previous"), page - 1), (t("Next"), page + 1)):
        custom_id = page_id(listing, target) if 0 <= target < count else None
        if custom_id is not None:
            view.add_item(_SentButton(label=localize(label, tr), custom_id=custom_id))
    return view if view.children else None


class PageButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    """A pressed page button; `handler` is set by `persistent_page_button`."""

    handler: PageHandler

    def __init__(self, key: str) -> None:
        super().__init__(discord.ui.Button(label="Page", custom_id=f"{PREFIX}:pg:{key}"))
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls(match["key"])

    async def callback(self, interaction: Interaction) -> None:
        listing, page = listing_of(self.key)
        await self.handler.turn_page(interaction, listing, page)


def persistent_page_button(handler: PageHandler) -> type[PageButton]:
    """The DynamicItem class to register at start-up; every press goes to `handler`."""

    class Pressed(PageButton, template=TEMPLATE):
        pass

    Pressed.handler = handler
    Pressed.__name__ = Pressed.__qualname__ = "PageButton"
    return Pressed
