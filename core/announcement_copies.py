"""One session, one card per linked channel: copies posted once each, then edited in place.

The session's own card is published by the front end of its origin; `AnnouncementCopies`
publishes the same view in every channel linked with the origin's (`ChannelMap`), through
that platform's ChatDelivery. The first card of a copy is posted by the one process that
claims it (`claim_once`), and recorded once in the store (unique per session × platform ×
channel); every later publish edits that message. An announce that loses the claim posts
nothing: the claimant, once its copy is recorded, edits it to the card the store holds then.
Channel posts (reminders, cancel notices) go to each linked channel once; a DM fallback
mention goes to the member's own platform.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from core.announcement_copy import AnnouncementCopy
from core.card_view import card_view
from core.channel_map import ChannelAddress, ChannelMap
from core.clock import Clock
from core.model import Origin
from core.notices import Notice
from core.views import AnnouncementView

if TYPE_CHECKING:
    from core.ports import ChatDelivery, SessionStore

log = logging.getLogger(__name__)

COPY_CLAIM = timedelta(minutes=2)
"""How long a process holds the right to post a copy's first card (then another may)."""

Routes = Callable[[str], "ChatDelivery | None"]
"""The ChatDelivery of a platform, None when this process is not connected to it."""


def claim_key(session_id: str, address: ChannelAddress) -> str:
    """The `claim_once` key of the first card of a session's copy in `address`."""
    return f"card-copy:{session_id}:{address.platform}:{address.channel_id}"


class AnnouncementCopies:
    """Publishes a session's card in the channels linked with its origin's."""

    def __init__(self, store: SessionStore, clock: Clock, channels: ChannelMap) -> None:
        self.store = store
        self.clock = clock
        self.channels = channels

    async def publish(self, view: AnnouncementView, routes: Routes) -> None:
        """Post or edit the card in every linked channel this process can reach; a failure
        in one channel is logged and the others still get theirs."""
        session = view.session
        targets = self.channels.counterparts(session.origin)
        if not targets:
            return
        known = await self._copies(session.id)
        for address in targets:
            chat = routes(address.platform)
            if chat is None:
                log.debug("not connected to %s: card of %s not copied", address, session.id)
                continue
            try:
                await self._publish_one(view, address, known.get(_key(address)), chat)
            except Exception:
                log.exception("card of session %s in %s failed", session.id, address)

    async def _copies(self, session_id: str) -> dict[tuple[str, str], AnnouncementCopy]:
        copies = await self.store.list_announcement_copies(session_id)
        return {(c.platform, c.channel_id): c for c in copies}

    async def _publish_one(
        self,
        view: AnnouncementView,
        address: ChannelAddress,
        copy: AnnouncementCopy | None,
        chat: ChatDelivery,
    ) -> None:
        session = view.session
        if copy is None:
            now = self.clock.now()
            key = claim_key(session.id, address)
            if not await self.store.claim_once(key, now, COPY_CLAIM):
                return  # another process is posting it, then catches up with the store
            copy = (await self._copies(session.id)).get(_key(address))
            if copy is None:
                try:
                    ref = await chat.publish_announcement(_at(view, address.origin()))
                except BaseException:
                    await self.store.release_once(key)
                    raise
                if ref is None:
                    await self.store.release_once(key)
                    return
                added = AnnouncementCopy(
                    session_id=session.id,
                    platform=address.platform,
                    channel_id=address.channel_id,
                    workspace_id=address.workspace_id,
                    message_ref=ref,
                    created_at=now,
                )
                if not await self.store.add_announcement_copy(added):
                    log.warning("card of %s in %s was recorded twice", session.id, address)
                    return
                await self._catch_up(view, added, chat)
                return
        await self._edit(view, copy, chat)

    async def _edit(
        self, view: AnnouncementView, copy: AnnouncementCopy, chat: ChatDelivery
    ) -> None:
        """Show `view` in the copy's message (recording the new ref when it was posted anew)."""
        ref = await chat.publish_announcement(_at(view, copy.origin()))
        if ref is not None and ref != copy.message_ref:  # the card was gone: posted anew
            await self.store.save_announcement_copy(copy.model_copy(update={"message_ref": ref}))

    async def _catch_up(
        self, posted: AnnouncementView, copy: AnnouncementCopy, chat: ChatDelivery
    ) -> None:
        """Edit the copy just recorded when the session changed while its first card was
        being posted: an announce meanwhile lost the claim and left its newer card unposted
        (it found no copy to edit); the store holds what it showed, or newer."""
        session = await self.store.get_session(posted.session.id)
        if session is None or session.updated_at < posted.session.updated_at:
            return
        latest = await card_view(self.store, session)
        if _at(latest, copy.origin()) != _at(posted, copy.origin()):
            await self._edit(latest, copy, chat)

    async def post(self, origin: Origin, notice: Notice, routes: Routes) -> None:
        """Post `notice` in every channel linked with `origin`'s (not `origin` itself); a
        failure is logged, never raised, so a retried post never repeats a copy."""
        for address in self.channels.counterparts(origin):
            chat = routes(address.platform)
            if chat is None:
                continue
            try:
                await chat.post_to_channel(address.origin(), notice)
            except Exception:
                log.exception("channel post of %s in %s failed", notice.session.id, address)


def _key(address: ChannelAddress) -> tuple[str, str]:
    return (address.platform, address.channel_id)


def _at(view: AnnouncementView, origin: Origin) -> AnnouncementView:
    """The same card, published at `origin` (another channel, its own message)."""
    return view.model_copy(update={"session": view.session.model_copy(update={"origin": origin})})
