"""ChatDelivery for Discord: DMs, channel posts, and the announcement card + Scheduled Event."""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Awaitable, Callable

import discord
from discord.http import handle_message_parameters

from adapters.discord.events import EventMirror
from adapters.discord.ids import AnnouncementRef, user_id_of
from adapters.discord.memory import DiscordMemory
from adapters.discord.render_card import session_embed, session_view
from adapters.discord.render_common import Links
from adapters.discord.render_notice import (
    channel_notice_view,
    mention_content,
    notice_embed,
    notice_view,
)
from adapters.discord.rest import DiscordRest
from core.clock import Clock
from core.errors import DeliveryRefused
from core.export_file import ExportFile
from core.i18n import EnglishOnly, Languages, Translator, localize
from core.model import Origin
from core.notices import Notice
from core.views import AnnouncementView

log = logging.getLogger(__name__)

DMS_CLOSED = frozenset({50007, 50278})
"""Cannot send messages to this user · no mutual guild."""
HISTORY_LIMIT = 50
"""Recent DMs searched for a delivery marker (Discord allows up to 100 per request)."""
ChannelLocale = Callable[[int | None], Awaitable[str | None]]
"""A server's `guild_locale` (None when it chose none): `DiscordMembers.channel_locale`."""
FILE_MAX = 10 * 1024 * 1024
"""Discord's upload limit for a message in a DM (10 MiB)."""
TOO_LARGE = 40005
"""Request entity too large."""
MARKER_PREFIX = "ref "
"""A reminder DM's embed footer: `ref <marker>` (small grey text; Discord has no hidden
metadata on messages, and the nonce is neither returned by GET nor kept for long)."""


def nonce_of(member_id: str, notice: Notice) -> str:
    """Discord's idempotency key (≤ 25 chars): the same notice to the same member, retried
    after a crash, is not created twice (`enforce_nonce`); two different notices of one kind
    about one session (a no-show, then "marked present") are both sent: the text counts."""
    key = "|".join(
        (
            member_id,
            notice.session.id,
            notice.kind.value,
            notice.reminder_kind.value if notice.reminder_kind else "",
            notice.session.updated_at.isoformat(),
            str(notice.text),
        )
    )
    return hashlib.sha256(key.encode()).hexdigest()[:25]


class DiscordChat:
    """Sends the core's messages to Discord over REST (no gateway needed).

    A member whose DMs are closed is remembered per session: no further DM is attempted for
    that session (DeliveryRefused at once), and the reminder's channel mention is posted once.
    """

    def __init__(
        self,
        rest: Callable[[], DiscordRest],
        memory: DiscordMemory,
        events: EventMirror | None,
        links: Links,
        clock: Clock,
        languages: Languages | None = None,
        channel_locale: ChannelLocale | None = None,
    ) -> None:
        self._rest = rest
        self.memory = memory
        self.events = events
        self.links = links
        self.clock = clock
        self.languages: Languages = languages or EnglishOnly()
        self._channel_locale = channel_locale

    async def channel_translator(self, guild_id: str | None) -> Translator:
        """The language of a server's channel posts: its `guild_locale` (Community servers),
        else the association's default."""
        locale = None
        if self._channel_locale is not None and guild_id is not None and guild_id.isdigit():
            locale = await self._channel_locale(int(guild_id))
        return self.languages.translator(locale)

    async def send_dm(self, member_id: str, notice: Notice) -> None:
        user_id = user_id_of(member_id)
        session_id = notice.session.id
        if (member_id, session_id) in self.memory.refused:
            raise DeliveryRefused(f"{member_id} does not accept DMs (known).")
        tr = self.languages.translator(notice.locale)
        embed = notice_embed(notice, tr)
        marker = notice.delivery_marker
        if marker is not None:
            embed.set_footer(text=MARKER_PREFIX + marker)
        params = handle_message_parameters(
            embed=embed,
            view=notice_view(notice, tr),
            nonce=marker or nonce_of(member_id, notice),
            allowed_mentions=discord.AllowedMentions.none(),
        )
        try:
            await self._rest().send_dm(user_id, params)
        except discord.Forbidden as exc:
            if exc.code not in DMS_CLOSED:
                raise
            self.memory.remember_refused(member_id, session_id)
            raise DeliveryRefused(f"{member_id} does not accept DMs.") from exc

    async def send_file(self, member_id: str, file: ExportFile) -> None:
        """A DM with the file attached (multipart: payload_json + files[0]); a file over
        Discord's upload limit is refused before sending."""
        if file.size > FILE_MAX:
            raise DeliveryRefused(
                f"{file.filename} is {file.size} bytes; Discord takes at most {FILE_MAX}.",
                "Narrow the export (a class, a member or fewer dates), or use the REST API.",
            )
        content = localize(file.title, self.languages.translator(file.locale))
        attached = discord.File(io.BytesIO(file.data), filename=file.filename)
        none = discord.AllowedMentions.none()
        try:
            with handle_message_parameters(
                content=content, file=attached, allowed_mentions=none
            ) as params:
                await self._rest().send_dm(user_id_of(member_id), params)
        except discord.Forbidden as exc:
            if exc.code not in DMS_CLOSED:
                raise
            raise DeliveryRefused(f"{member_id} does not accept DMs.") from exc
        except discord.HTTPException as exc:
            if exc.status != 413 and exc.code != TOO_LARGE:
                raise
            raise DeliveryRefused(f"Discord refused {file.filename}: too large.") from exc

    async def already_delivered(self, member_id: str, marker: str) -> bool:
        """Whether one of the member's recent DMs from us carries `marker` in its footer.

        Asked before re-sending a delivery whose earlier attempt crashed: the nonce sent with
        it only dedupes for a few minutes, a lease and a restart may take longer.
        """
        try:
            messages = await self._rest().recent_dms(user_id_of(member_id), HISTORY_LIMIT)
        except discord.Forbidden as exc:
            if exc.code in DMS_CLOSED:
                return False  # no DM can have gone out
            raise
        footer = MARKER_PREFIX + marker
        return any(
            (embed.get("footer") or {}).get("text") == footer
            for message in messages
            if (message.get("author") or {}).get("bot")  # only we post embeds in our DMs
            for embed in message.get("embeds") or []
        )

    async def post_to_channel(self, origin: Origin, notice: Notice) -> None:
        if origin.channel_id is None:
            return
        member = notice.mention_member_id
        once = member is not None
        if once and (member, notice.session.id) in self.memory.mentioned:
            return  # a member whose DMs are closed is mentioned once per session, no more
        content, mentions = mention_content(notice)
        tr = await self.channel_translator(origin.workspace_id)
        embed = notice_embed(notice, tr)
        view = channel_notice_view(notice, tr)
        params = (
            handle_message_parameters(content=content, embed=embed, allowed_mentions=mentions)
            if view is None  # no `components` key at all, as before buttons existed
            else handle_message_parameters(
                content=content, embed=embed, view=view, allowed_mentions=mentions
            )
        )
        await self._rest().send(int(origin.channel_id), params)
        if once and member is not None:
            self.memory.remember_mentioned(member, notice.session.id)

    async def publish_announcement(self, view: AnnouncementView) -> str | None:
        session, going, waitlisted = view.session, view.going, view.waitlisted
        origin = session.origin
        if origin is None or origin.channel_id is None:
            return None
        ref = AnnouncementRef.parse(origin.message_ref)
        tr = await self.channel_translator(origin.workspace_id)
        params = handle_message_parameters(
            embed=session_embed(session, going, waitlisted, self.links, tr),
            view=session_view(session, self.clock.now(), self.links, tr),
            allowed_mentions=discord.AllowedMentions.none(),
        )
        channel_id = int(origin.channel_id)
        message_id = ref.message_id
        if message_id is None:
            message_id = int((await self._rest().send(channel_id, params))["id"])
        else:
            await self._rest().edit(channel_id, message_id, params)
        event_id, event_digest = ref.event_id, ref.event_digest
        guild = origin.workspace_id
        if self.events is not None and guild is not None and guild.isdigit():
            event_id, event_digest = await self.events.mirror(
                int(guild), session, event_id, event_digest, tr
            )
        return AnnouncementRef(message_id, event_id, event_digest).encode()
