"""Socket Mode: Slack's requests over a WebSocket that dojobot opens (no public URL needed).

slack_sdk's client asks `apps.connections.open` (with the app-level `xapp-…` token, on the
bot client's Web API base URL) for a WebSocket URL, connects, acks each envelope and
reconnects with a fresh URL whenever Slack sends `disconnect`. Left to itself it retries a
refused token forever, so dojobot would hang at start with a wrong or revoked app token: the
first URL is asked for here, and a refusal stops the start with a message saying what to fix.
"""

from __future__ import annotations

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.redaction import redact_library_logs
from core.errors import StartRefused

APP_TOKEN = "DOJOBOT_SLACK__APP_TOKEN"
APP_TOKEN_FIX = (
    f"set {APP_TOKEN} to an app-level token (xapp-…, Basic Information → App-Level Tokens) "
    "with the connections:write scope, and turn Socket Mode on in the app settings; or unset "
    "it to receive Slack's requests over HTTP"
)
"""What to do about a refused app-level token (shared with `dojobot check`)."""


class SocketModeRefused(StartRefused):
    """No Socket Mode connection: Slack refused the app-level token (`variable` names it),
    or could not be reached (an outage: no `variable`)."""


async def connect_socket_mode(
    bolt: AsyncApp, app_token: str, client: AsyncWebClient
) -> AsyncSocketModeHandler:
    """A connected Socket Mode handler of `bolt`; SocketModeRefused (the handler closed) if
    Slack refuses the token or cannot be reached."""
    handler = AsyncSocketModeHandler(bolt, app_token, web_client=client)
    redact_library_logs()  # the Socket Mode client's loggers exist now
    try:
        handler.client.wss_uri = await handler.client.issue_new_wss_url()
        await handler.connect_async()  # type: ignore[no-untyped-call]
    except SlackApiError as error:
        await handler.close_async()  # type: ignore[no-untyped-call]
        reason = error.response.get("error") or f"HTTP {error.response.status_code}"
        raise SocketModeRefused(
            f"Configuration error: {APP_TOKEN}: Slack refused the Socket Mode connection "
            f"({reason}): {APP_TOKEN_FIX}.",
            APP_TOKEN,
        ) from None
    except (aiohttp.ClientError, TimeoutError) as error:
        await handler.close_async()  # type: ignore[no-untyped-call]
        raise SocketModeRefused(
            f"Cannot reach Slack at {client.base_url} to open the Socket Mode connection "
            f"({type(error).__name__}): check this machine's network and "
            "DOJOBOT_SLACK__API_BASE_URL, then start again."
        ) from None
    return handler
