"""`dojobot check` for the web server: GET `<public_url>/healthz` the way Slack and members'
browsers would reach it."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import httpx

from adapters.checks import CheckResult, fail, ok, warn
from adapters.web.settings import WebSettings

PART = "web"
TIMEOUT_SECONDS = 5.0
LOCAL_NOTE = (
    "only reachable from this machine: set DOJOBOT_WEB__PUBLIC_URL to the address Slack and "
    "members' browsers use"
)


async def check_web(settings: WebSettings, outsiders: bool) -> CheckResult:
    """Whether the public URL answers `/healthz` healthy, within a few seconds. `outsiders`:
    Slack, Discord or RealtimeKit is configured, so people elsewhere follow our links (a
    local address is then worth a warning)."""
    if not settings.enabled:
        return ok(PART, "the web server is off (DOJOBOT_WEB__ENABLED=false)")
    base = settings.base_url()
    url = f"{base}/healthz"
    local = _is_local(urlsplit(base).hostname or "localhost")
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS, follow_redirects=False) as client:
            response = await client.get(url)
    except httpx.HTTPError as error:
        if local:
            return warn(
                PART,
                f"nothing answers at {url} ({type(error).__name__}): dojobot is not running "
                f"here; {base} is {LOCAL_NOTE}",
            )
        return fail(
            PART,
            f"cannot reach {url} ({type(error).__name__}): start the web process, and check "
            "DOJOBOT_WEB__PUBLIC_URL, DNS and the platform's router",
        )
    if response.status_code == 200:
        note = f"; {base} is {LOCAL_NOTE}" if local else ""
        return (warn if local and outsiders else ok)(PART, f"{url} answers healthy{note}")
    if response.status_code == 503:
        return fail(PART, f"{url} answers unhealthy: {_body(response)} — see that process's log")
    return fail(
        PART,
        f"{url} answers HTTP {response.status_code}, not dojobot's health check: is "
        "DOJOBOT_WEB__PUBLIC_URL the address of dojobot's web process?",
    )


def _is_local(host: str) -> bool:
    """`localhost`, or a loopback or unspecified address: reachable from this machine only."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _body(response: httpx.Response) -> str:
    """`store=timeout, scheduler=running` from the health body (or its first bytes)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if not isinstance(body, dict):
        return response.text[:200]
    return ", ".join(f"{k}={v}" for k, v in body.items() if k != "status")
