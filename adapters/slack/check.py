"""`dojobot check` for Slack: `auth.test` with the bot token, the token's scopes (Slack
lists them in the `x-oauth-scopes` response header) against the ones dojobot needs, and in
Socket Mode the app-level token (`apps.connections.open`, which only hands out a URL)."""

from __future__ import annotations

from dataclasses import replace

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.checks import CheckResult, fail, ok, warn
from adapters.slack.scopes import BOT_SCOPES
from adapters.slack.settings import SlackSettings
from adapters.slack.socket_mode import APP_TOKEN_FIX
from adapters.slack.web_api import build_web_client

PART = "slack"
TOKEN_FIX = (
    "copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page into "
    "DOJOBOT_SLACK__BOT_TOKEN"
)
REFUSED = {
    "invalid_auth": "the bot token was refused (invalid_auth)",
    "not_authed": "no bot token reached Slack (not_authed)",
    "token_revoked": "the bot token was revoked (token_revoked)",
    "token_expired": "the bot token expired (token_expired)",
    "account_inactive": "the app was uninstalled or its workspace deleted (account_inactive)",
}


async def check_slack(settings: SlackSettings) -> CheckResult:
    """auth.test, then the granted scopes, then (in Socket Mode) whether Slack opens a
    connection for the app-level token; never retries, never prints a token."""
    async with aiohttp.ClientSession() as session:
        client = build_web_client(settings, session, handlers=[])
        try:
            response = await client.auth_test()
        except SlackApiError as error:
            code = str(error.response.get("error", "unknown_error"))
            problem = REFUSED.get(code)
            if problem is not None:
                return fail(PART, f"{problem}: {TOKEN_FIX}")
            return fail(PART, f"auth.test answered {code}: see Slack's auth.test documentation")
        except (aiohttp.ClientError, TimeoutError) as error:
            return _unreachable(settings, error)
        scopes = _scopes(response)
        if settings.app_token is None or scopes.failed:
            return scopes
        try:  # harmless: Slack only hands out a WebSocket URL, nothing connects to it
            await client.apps_connections_open(app_token=settings.app_token.get_secret_value())
        except SlackApiError as error:
            code = str(error.response.get("error", "unknown_error"))
            return fail(
                PART,
                f"the Socket Mode app-level token was refused by apps.connections.open "
                f"({code}): {APP_TOKEN_FIX}",
            )
        except (aiohttp.ClientError, TimeoutError) as error:
            return _unreachable(settings, error)
    return replace(scopes, text=f"{scopes.text}; Socket Mode app-level token accepted")


def _scopes(response: AsyncSlackResponse) -> CheckResult:
    """Who the bot is, and whether `auth.test`'s answer lists every scope dojobot needs."""
    who = f"bot {response.get('user')} in {response.get('team')} ({response.get('team_id')})"
    header = next((v for k, v in response.headers.items() if k.lower() == "x-oauth-scopes"), None)
    if header is None:
        return warn(PART, f"{who}; Slack did not list the token's scopes, so they are unchecked")
    granted = {scope.strip() for scope in str(header).split(",") if scope.strip()}
    missing = [scope for scope in BOT_SCOPES if scope not in granted]
    if missing:
        return fail(
            PART,
            f"missing scopes: {', '.join(missing)} — add them in the app's OAuth & Permissions "
            "page (or from slack-app-manifest.yml) and reinstall the app to the workspace",
        )
    return ok(PART, f"{who}; all {len(BOT_SCOPES)} scopes granted")


def _unreachable(settings: SlackSettings, error: Exception) -> CheckResult:
    return fail(
        PART,
        f"cannot reach Slack at {settings.api_base_url} ({type(error).__name__}): "
        "check this machine's network (or DOJOBOT_SLACK__API_BASE_URL)",
    )
