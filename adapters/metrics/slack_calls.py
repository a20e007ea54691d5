"""Slack Web API calls, seen by slack_sdk's retry handlers (imported only with Slack on).

slack_sdk asks its retry handlers, in order, after every answer and every network error.
A first handler that never retries sees every call, with the attempt number: exact retries.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from adapters.metrics.vendor_calls import VendorCalls, slack_method

VENDOR = "slack"


class CallCounter(AsyncRetryHandler):
    """Counts each Slack call (method, outcome, whether a retry); never asks for a retry."""

    def __init__(self, calls: VendorCalls) -> None:
        super().__init__(max_retry_count=0)
        self.calls = calls

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        status = response.status_code if response is not None else None
        method = slack_method(urlsplit(request.url).path)
        self.calls.counted(VENDOR, method, status, retry=state.current_attempt > 0)
        return False


def watch_slack(client: AsyncWebClient, calls: VendorCalls) -> None:
    """Put a `CallCounter` first among the client's retry handlers."""
    client.retry_handlers.insert(0, CallCounter(calls))
