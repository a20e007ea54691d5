"""Private replies to the member who acted: response_url, else chat.postEphemeral, else a DM."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.slack.chat import SlackChat
from adapters.slack.limits import MESSAGE_TEXT_MAX
from adapters.slack.redaction import LIBRARY_LOG
from adapters.slack.render_common import Block, cut

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplyTo:
    """Where a private reply goes: an interaction's response_url, or channel + user."""

    user_id: str
    channel_id: str | None = None
    response_url: str | None = None


class Responder:
    """Sends ephemeral replies; none of them is ever visible to anyone but the member."""

    def __init__(self, chat: SlackChat, session: aiohttp.ClientSession) -> None:
        self.chat = chat
        self.session = session

    async def send(self, to: ReplyTo, text: str, blocks: list[Block]) -> None:
        text = cut(text, MESSAGE_TEXT_MAX)
        if to.response_url and await self._via_response_url(to.response_url, text, blocks):
            return
        client = self.chat.client
        if to.channel_id:
            try:
                await client.chat_postEphemeral(
                    channel=to.channel_id, user=to.user_id, text=text, blocks=blocks
                )
                return
            except SlackApiError as error:
                log.info("ephemeral reply refused (%s); sending a DM", error.response.get("error"))
        channel = await self.chat.dm_channel(to.user_id)
        await client.chat_postMessage(channel=channel, text=text, blocks=blocks)

    async def _via_response_url(self, url: str, text: str, blocks: list[Block]) -> bool:
        webhook = AsyncWebhookClient(url, session=self.session, timeout=10, logger=LIBRARY_LOG)
        answer = await webhook.send(
            text=text, blocks=blocks, response_type="ephemeral", replace_original=False
        )
        if answer.status_code == 200:
            return True
        log.warning("response_url answered %s: %s", answer.status_code, answer.body)
        return False
