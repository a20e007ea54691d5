"""A Slack Web API client (the real slack_sdk one, built as the bot builds it) logged in to a
fresh fake Slack API that knows one user, U1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.settings import SlackSettings
from adapters.slack.web_api import build_web_client
from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, FakeSlackApi


@asynccontextmanager
async def fake_slack_client(user_name: str) -> AsyncIterator[tuple[FakeSlackApi, AsyncWebClient]]:
    """The started fake (user U1 named `user_name`) and a client of it; closes both after."""
    api = FakeSlackApi()
    await api.start()
    api.add_user("U1", user_name)
    settings = SlackSettings(
        bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_base_url=api.base_url
    )
    async with aiohttp.ClientSession() as http:
        yield api, build_web_client(settings, http)
    await api.close()
