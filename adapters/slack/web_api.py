"""The Slack Web API client: one shared HTTP session, 429s and server errors retried."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from adapters.http_retry import retry_after_seconds
from adapters.slack.redaction import LIBRARY_LOG
from adapters.slack.settings import SlackSettings

Sleep = Callable[[float], Awaitable[None]]


class RetryAfterHandler(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's 429 handler: waits the `Retry-After` seconds (plus jitter below one
    second) before trying again. `sleep` and `jitter` are injectable for tests."""

    def __init__(
        self,
        max_retry_count: int,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._sleep = sleep
        self._jitter = jitter

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:  # pragma: no cover - _can_retry_async requires a response
            raise error or RuntimeError("429 without a response")
        state.next_attempt_requested = True
        await self._sleep(retry_after_of(response) + self._jitter())
        state.increment_current_attempt()


def retry_after_of(response: HttpResponse) -> float:
    """The seconds a 429 asks us to wait (`adapters.http_retry`; 1 when the header is
    missing or unreadable)."""
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            seconds = retry_after_seconds(values[0], datetime.now(UTC))
            return 1.0 if seconds is None else seconds
    return 1.0


def retry_handlers(
    settings: SlackSettings, sleep: Sleep = asyncio.sleep
) -> list[AsyncRetryHandler]:
    """429 → wait Retry-After; 500/503 and dropped connections → back off and retry."""
    return [
        RetryAfterHandler(settings.rate_limit_retries, sleep=sleep),
        AsyncServerErrorRetryHandler(max_retry_count=settings.server_error_retries),
        AsyncConnectionErrorRetryHandler(max_retry_count=settings.server_error_retries),
    ]


def build_web_client(
    settings: SlackSettings,
    session: aiohttp.ClientSession,
    handlers: list[AsyncRetryHandler] | None = None,
) -> AsyncWebClient:
    """An AsyncWebClient on `settings.api_base_url` that reuses `session` for every call."""
    return AsyncWebClient(
        token=settings.bot_token.get_secret_value(),
        base_url=settings.api_base_url,
        session=session,
        timeout=10,
        retry_handlers=handlers if handlers is not None else retry_handlers(settings),
        logger=LIBRARY_LOG,
    )
