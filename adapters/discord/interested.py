"""Members who mark "Interested" on a session's Scheduled Event are offered the RSVP by DM.

Interested is not a seat: nobody is added to the going list without pressing Going. The
gateway event carries only ids (and discord.py drops it when the user is not cached), so we
read the raw payload and look the event up over REST.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import discord
from discord.http import handle_message_parameters

from adapters.discord.buttons import GOING, session_button
from adapters.discord.escape import inert
from adapters.discord.events import EventMirror
from adapters.discord.ids import member_id
from adapters.discord.render_common import Links, when_text
from adapters.discord.rest import DiscordRest
from adapters.discord.words import t
from core.errors import NotFound
from core.i18n import EnglishOnly, Languages, localize
from core.model import Member, RsvpStatus, SessionStatus
from core.service import SessionService

log = logging.getLogger(__name__)

GATEWAY_EVENT = "GUILD_SCHEDULED_EVENT_USER_ADD"


class InterestedOffers:
    """DMs an RSVP offer (Going button) to members interested in a mirrored session."""

    def __init__(
        self,
        service: SessionService,
        rest: Callable[[], DiscordRest],
        events: EventMirror,
        links: Links,
        languages: Languages | None = None,
    ) -> None:
        self.service = service
        self.languages: Languages = languages or EnglishOnly()
        self._rest = rest
        self.events = events
        self.links = links
        self.tasks: set[asyncio.Task[None]] = set()

    def hook(self, parsers: dict[str, Callable[[Any], None]]) -> None:
        """Wrap the gateway parser so we see every user-add, cached user or not."""
        original = parsers.get(GATEWAY_EVENT)

        def parse(data: dict[str, Any]) -> None:
            task = asyncio.get_running_loop().create_task(self.offer(data))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
            if original is not None:
                original(data)

        parsers[GATEWAY_EVENT] = parse

    async def offer(self, data: dict[str, Any]) -> None:
        """Offer the seat unless the member already has an RSVP; failures are logged."""
        try:
            await self._offer(
                int(data["guild_id"]), int(data["guild_scheduled_event_id"]), int(data["user_id"])
            )
        except Exception:
            log.exception("RSVP offer for scheduled-event interest failed")

    async def _offer(self, guild_id: int, event_id: int, user_id: int) -> None:
        rest = self._rest()
        event = await rest.get_event(guild_id, event_id)
        session_id = self.events.session_id_of(event)
        if session_id is None:
            return  # not one of ours
        try:
            session = await self.service.get(session_id)
        except NotFound:
            return
        if session.status is not SessionStatus.SCHEDULED:
            return
        someone, locale = await self._member(user_id)
        rsvp = await self.service.rsvp_of(someone, session.id)
        if rsvp is not None and rsvp.status is not RsvpStatus.LEFT:
            return
        view = discord.ui.View(timeout=None)
        tr = self.languages.translator(locale)
        view.add_item(session_button(GOING, session.id, tr))
        text = t(
            "You marked **Interested** in **{title}** ({when}). That doesn't hold a seat: "
            "press **Going** to take one (or join the waitlist).",
            title=inert(session.title),
            when=when_text(session.start_time),
        )
        params = handle_message_parameters(
            content=localize(text, tr), view=view, allowed_mentions=discord.AllowedMentions.none()
        )
        try:
            await rest.send_dm(user_id, params)
        except discord.Forbidden:
            log.info("user %s interested in %s but does not accept DMs", user_id, session.id)

    async def _member(self, user_id: int) -> tuple[Member, str | None]:
        """The user as RSVPs know them, and their language: their profile's id when this
        Discord account is linked to another (the gateway event tells no name or language,
        so nothing is refreshed); their own id (and the default language) when dojobot has
        no profile for them."""
        someone = Member(id=member_id(user_id), display_name=str(user_id))
        try:
            profile = await self.service.profile(someone)
        except NotFound:
            return someone, None
        if profile.id == someone.id:
            return someone, profile.locale
        update = {"id": profile.id, "platform_id": someone.id}
        return someone.model_copy(update=update), profile.locale
