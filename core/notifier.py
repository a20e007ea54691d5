"""Tells people about a session: announcement edits, DMs (with channel fallback), posts.

Chat failures are logged and never undo the change that caused the message.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from core.card_view import card_view
from core.errors import DeliveryRefused
from core.members import MemberProfile
from core.model import RsvpStatus, TrainingSession
from core.notices import Notice
from core.ports import ChatDelivery, SessionStore
from core.recipients import address_of, in_their_language, mention_of

log = logging.getLogger(__name__)


class Notifier:
    """Sends the service's notices through a ChatDelivery."""

    def __init__(self, store: SessionStore, chat: ChatDelivery) -> None:
        self.store = store
        self.chat = chat

    async def announce(self, session: TrainingSession) -> TrainingSession:
        """Post the announcement, or edit it in place; keeps the message reference."""
        if session.origin is None:
            return session
        view = await card_view(self.store, session)
        try:
            ref = await self.chat.publish_announcement(view)
        except Exception:
            log.exception("announcement of session %s failed", session.id)
            return session
        if ref and ref != session.origin.message_ref:
            # a copy: the caller's Origin may be shared (a console types many commands)
            session.origin = session.origin.model_copy(update={"message_ref": ref})
            await self.store.save_session(session)
        return session

    async def tell_members(
        self, session: TrainingSession, notice: Notice, include_waitlist: bool = False
    ) -> None:
        """DM every going member (and the waitlist when asked), their profiles read at once."""
        status = None if include_waitlist else RsvpStatus.GOING
        told = [
            r.member_id
            for r in await self.store.list_rsvps(session.id, status)
            if r.status is not RsvpStatus.LEFT
        ]
        profiles = await self.store.get_profiles(told) if told else {}
        for member_id in told:
            await self._dm(member_id, profiles.get(member_id), notice)

    async def dm(self, member_id: str, notice: Notice) -> None:
        """DM one member (on their preferred platform, in their language), or mention them
        in the channel; failures are logged, not raised."""
        try:
            profile = await self.store.get_profile(member_id)
        except Exception:
            log.exception("profile of %s unreadable; DMed at that id", member_id)
            profile = None
        await self._dm(member_id, profile, notice)

    async def dm_once(
        self, key: str, member_id: str, notice: Notice, now: datetime, keep: timedelta
    ) -> bool:
        """DM one member unless a DM under `key` was already sent (by any process); the
        store decides (`claim_once`, kept for `keep`). At most once: a crash between the
        claim and the send loses that one DM, it never doubles it. True when this call
        sent it (or tried to: DM failures are logged, as in `dm`)."""
        if not await self.store.claim_once(key, now, keep):
            return False
        await self.dm(member_id, notice)
        return True

    async def _dm(self, member_id: str, profile: MemberProfile | None, notice: Notice) -> None:
        mention_id = mention_of(profile, member_id, notice.session)
        mention = notice.model_copy(update={"mention_member_id": mention_id})
        try:
            await self.dm_or_mention(
                address_of(profile, member_id), in_their_language(notice, profile), mention
            )
        except Exception:
            log.exception("DM to %s failed", member_id)

    async def dm_or_mention(self, member_id: str, notice: Notice, mention: Notice) -> None:
        """DM one member; if the platform refuses DMs, post `mention` in the channel once.

        Other failures are raised, so callers that retry (reminders) can do so.
        """
        try:
            await self.chat.send_dm(member_id, notice)
        except DeliveryRefused:
            origin = notice.session.origin
            if origin is None or origin.channel_id is None:
                log.info("DM refused for %s and no channel to fall back to", member_id)
                return
            await self.chat.post_to_channel(origin, mention)

    async def post(self, session: TrainingSession, notice: Notice) -> None:
        """Post in the session's channel, when it has one."""
        if session.origin is None or session.origin.channel_id is None:
            return
        try:
            await self.chat.post_to_channel(session.origin, notice)
        except Exception:
            log.exception("channel post for session %s failed", session.id)
