"""ChatDelivery on Slack: DMs (conversations.open + chat.postMessage), channel posts and the
announcement card, edited in place with chat.update."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.ids import parse_member_id
from adapters.slack.pacing import ChannelPacer
from adapters.slack.render_card import announcement
from adapters.slack.render_common import Block
from adapters.slack.render_notice import notice_message
from core.clock import Clock
from core.errors import DeliveryRefused, RateLimited
from core.export_file import ExportFile
from core.i18n import EnglishOnly, Languages, localize
from core.model import Origin
from core.notices import Notice
from core.views import AnnouncementView

log = logging.getLogger(__name__)

DM_REFUSALS = frozenset(
    {
        "cannot_dm_bot",
        "user_not_found",
        "user_disabled",
        "account_inactive",
        "channel_not_found",
        "is_archived",
        "messages_tab_disabled",
        "restricted_action",
        "not_allowed",
        "user_is_restricted",
        "team_access_not_granted",
    }
)
"""Web API errors meaning "this member can't get a DM from us" (→ channel fallback)."""
FILE_REFUSALS = frozenset(
    {
        "missing_scope",
        "file_uploads_disabled",
        "file_uploads_except_images_disabled",
        "file_upload_size_restricted",
        "file_type_not_allowed",
    }
)
"""Upload errors meaning "this workspace won't take the file from us" (reinstall with
`files:write`, or the admins restrict uploads)."""
CARD_GONE = frozenset({"message_not_found", "cant_update_message", "channel_not_found"})
DELIVERY_EVENT = "dojobot_delivery"
"""`metadata.event_type` of a reminder DM; its `event_payload.key` is the delivery marker."""
HISTORY_LIMIT = 100
"""Recent DMs searched for a marker (a lookup happens only for a delivery re-claimed after
a crash, within the reminder's useful time; a member's DM with the bot is quiet)."""
CANNOT_LOOK = frozenset({"missing_scope", "not_allowed_token_type", "no_permission"})
"""history errors meaning "this install cannot read its DMs" (needs `im:history`)."""


class SlackChat:
    """Sends the core's notices to Slack; the announcement is one message, edited in place."""

    def __init__(
        self,
        client: AsyncWebClient,
        clock: Clock,
        public_url: str,
        pacer: ChannelPacer,
        languages: Languages | None = None,
    ) -> None:
        self.client = client
        self.clock = clock
        self.public_url = public_url
        self.pacer = pacer
        self.languages: Languages = languages or EnglishOnly()
        self._dm_channels: dict[str, str] = {}
        self._card_locks: dict[str, asyncio.Lock] = {}
        self._card_tickets: dict[str, int] = {}

    async def dm_channel(self, user_id: str) -> str:
        """The bot's DM channel with a user (conversations.open, cached)."""
        channel = self._dm_channels.get(user_id)
        if channel is None:
            answer = await self.client.conversations_open(users=user_id)
            channel = str(answer["channel"]["id"])
            self._dm_channels[user_id] = channel
        return channel

    async def send_dm(self, member_id: str, notice: Notice) -> None:
        parsed = parse_member_id(member_id)
        if parsed is None:
            raise DeliveryRefused(f"{member_id} is not a Slack member.")
        text, blocks = notice_message(notice, self.languages.translator(notice.locale))
        metadata = None
        if notice.delivery_marker is not None:
            metadata = {
                "event_type": DELIVERY_EVENT,
                "event_payload": {"key": notice.delivery_marker},
            }
        try:
            channel = await self.dm_channel(parsed[1])
            await self._post(channel, text, blocks, metadata)
        except SlackApiError as error:
            code = str(error.response.get("error", ""))
            if code in DM_REFUSALS:
                raise DeliveryRefused(f"Slack refused a DM to {parsed[1]}: {code}") from error
            _raise_if_rate_limited(error)
            raise

    async def send_file(self, member_id: str, file: ExportFile) -> None:
        """Uploads the file into the member's DM with files_upload_v2
        (files.getUploadURLExternal → POST the bytes → files.completeUploadExternal)."""
        parsed = parse_member_id(member_id)
        if parsed is None:
            raise DeliveryRefused(f"{member_id} is not a Slack member.")
        title = localize(file.title, self.languages.translator(file.locale))
        try:
            channel = await self.dm_channel(parsed[1])
            await self.client.files_upload_v2(
                channel=channel,
                filename=file.filename,
                content=file.data,
                title=title,
                initial_comment=title,
            )
        except SlackApiError as error:
            code = str(error.response.get("error", ""))
            if code in DM_REFUSALS or code in FILE_REFUSALS:
                hint = (
                    "Ask an admin to reinstall dojobot with the files:write scope "
                    "(slack-app-manifest.yml), or download it: GET /api/attendance.csv."
                    if code == "missing_scope"
                    else None
                )
                refused = f"Slack refused a file to {parsed[1]}: {code}"
                raise DeliveryRefused(refused, hint) from error
            _raise_if_rate_limited(error)
            raise
        except SlackRequestError as error:  # the upload URL refused the bytes
            raise DeliveryRefused(
                f"Slack refused the upload of {file.filename}: {error}"
            ) from error

    async def already_delivered(self, member_id: str, marker: str) -> bool:
        """Whether one of the member's recent DMs from us carries `marker` in its metadata
        (conversations.history with include_all_metadata)."""
        parsed = parse_member_id(member_id)
        if parsed is None:
            return False
        try:
            channel = await self.dm_channel(parsed[1])
            answer = await self.client.conversations_history(
                channel=channel, limit=HISTORY_LIMIT, include_all_metadata=True
            )
        except SlackApiError as error:
            code = str(error.response.get("error", ""))
            if code in DM_REFUSALS:
                return False  # no DM can have gone out
            if code in CANNOT_LOOK:
                log.warning("cannot read DM history (%s): add the im:history scope", code)
                return False
            _raise_if_rate_limited(error)
            raise
        return any(_carries(message, marker) for message in answer.get("messages") or [])

    async def post_to_channel(self, origin: Origin, notice: Notice) -> None:
        if origin.channel_id is None:
            return
        text, blocks = notice_message(notice, self.languages.translator(notice.locale))
        try:
            await self._post(origin.channel_id, text, blocks)
        except SlackApiError as error:
            _raise_if_rate_limited(error)
            raise

    async def publish_announcement(self, view: AnnouncementView) -> str | None:
        session, going, waitlisted = view.session, view.going, view.waitlisted
        origin = session.origin
        if origin is None or origin.channel_id is None:
            return None
        ticket = self._card_tickets.get(session.id, 0) + 1
        self._card_tickets[session.id] = ticket
        lock = self._card_locks.setdefault(session.id, asyncio.Lock())
        async with lock:
            if origin.message_ref and ticket != self._card_tickets[session.id]:
                return origin.message_ref  # a newer edit is queued: it shows fresher counts
            channel_language = self.languages.translator(None)  # the association's default
            text, blocks = announcement(
                session,
                going,
                waitlisted,
                self.clock.now(),
                self.public_url,
                view.event,
                channel_language,
            )
            if origin.message_ref:
                try:
                    await self.client.chat_update(
                        channel=origin.channel_id, ts=origin.message_ref, text=text, blocks=blocks
                    )
                    return origin.message_ref
                except SlackApiError as error:
                    if error.response.get("error") not in CARD_GONE:
                        raise
                    log.warning("announcement of %s is gone; posting a new one", session.id)
            answer = await self._post(origin.channel_id, text, blocks)
            return str(answer["ts"])

    async def _post(
        self,
        channel: str,
        text: str,
        blocks: list[Block],
        metadata: dict[str, Any] | None = None,
    ) -> Any:
        """chat.postMessage, spaced out per channel."""
        await self.pacer.wait_turn(channel)
        return await self.client.chat_postMessage(
            channel=channel, text=text, blocks=blocks, unfurl_links=False, metadata=metadata
        )


def _carries(message: dict[str, Any], marker: str) -> bool:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    return metadata.get("event_type") == DELIVERY_EVENT and payload.get("key") == marker


def _raise_if_rate_limited(error: SlackApiError) -> None:
    """A 429 that outlasted the client's own retries becomes a retryable RateLimited."""
    if error.response.status_code != 429:
        return
    try:
        retry_after = float(error.response.headers.get("Retry-After", 1))
    except (TypeError, ValueError):
        retry_after = 1.0
    raise RateLimited("Slack is rate-limiting us.", retry_after) from error
