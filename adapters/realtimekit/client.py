"""A thin httpx client for the RealtimeKit REST API: envelopes, retries, error mapping."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from adapters.http_retry import retry_after_seconds
from adapters.realtimekit.errors import RealtimeKitApiError, api_error
from adapters.realtimekit.retry import is_retryable, next_delay
from adapters.realtimekit.settings import RealtimeKitSettings

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Now = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class RealtimeKitClient:
    """Calls `{base_url}/accounts/{account}/realtime/kit/{app}{path}` and returns `data`.

    429, 5xx and network errors are retried up to `max_retries` times, waiting Retry-After
    when given, else a doubling backoff; then a `RealtimeKitApiError` (a core
    `RoomUnavailable`) is raised, whose text names what failed. Vendor bodies are logged.
    """

    def __init__(
        self,
        settings: RealtimeKitSettings,
        *,
        http: httpx.AsyncClient | None = None,
        sleep: Sleep = asyncio.sleep,
        now: Now = _utc_now,
    ) -> None:
        self.settings = settings
        self.http = http or httpx.AsyncClient(
            base_url=settings.base_url,
            timeout=httpx.Timeout(
                settings.timeout_seconds, connect=settings.connect_timeout_seconds
            ),
        )
        self._sleep = sleep
        self._now = now

    async def aclose(self) -> None:
        """Close the HTTP connections (idempotent)."""
        await self.http.aclose()

    async def call(
        self,
        method: str,
        path: str,
        *,
        action: str,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        envelope: bool = False,
    ) -> Any:
        """The `data` of a successful call to the app-relative `path` (the whole checked body
        with `envelope`, e.g. to read a list's `paging`); `action` says in plain words what
        the call is for ("create the meeting"), for errors and logs."""
        url = self.settings.app_path + path
        token = self.settings.api_token.get_secret_value()
        headers = {"Authorization": f"Bearer {token}"}
        attempt = 0
        while True:
            try:
                response = await self.http.request(
                    method, url, json=json, params=params, headers=headers
                )
            except httpx.TransportError as error:
                log.warning("RealtimeKit %s %s: %s", method, url, type(error).__name__)
                status: int | None = None
                retry_after = None
            else:
                if response.is_success:
                    body = _success_body(response, method, url, action)
                    return body if envelope else body["data"]
                status = response.status_code
                log.warning("RealtimeKit %s %s → %s: %s", method, url, status, response.text[:1000])
                if not is_retryable(status):
                    raise api_error(status, action)
                header = response.headers.get("retry-after")
                retry_after = retry_after_seconds(header, self._now())
            delay = None
            if attempt < self.settings.max_retries:
                delay = next_delay(
                    attempt,
                    retry_after,
                    self.settings.backoff_seconds,
                    self.settings.max_backoff_seconds,
                )
            if delay is None:
                raise api_error(status, action)
            attempt += 1
            await self._sleep(delay)


def _success_body(response: httpx.Response, method: str, url: str, action: str) -> dict[str, Any]:
    """The body `{"success": true, "data": …, …}`; anything else is a failed call."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or body.get("success") is not True or "data" not in body:
        log.warning("RealtimeKit %s %s: unexpected body %s", method, url, response.text[:1000])
        raise api_error(502, action)
    return body


__all__ = ["RealtimeKitApiError", "RealtimeKitClient"]
