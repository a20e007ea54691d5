"""The metrics adapter on its own: names and labels, vendor calls and retries over real
loopback HTTP (httpx hooks, aiohttp traces), store errors, the HTTP middleware, the token."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest
from aiohttp import web
from pydantic import SecretStr

from adapters.metrics.aiohttp_calls import trace_config
from adapters.metrics.endpoint import MetricsEndpoint, MetricsServer
from adapters.metrics.http import HttpRequests, webhook_outcome
from adapters.metrics.httpx_calls import watch_client
from adapters.metrics.registry import DojoMetrics
from adapters.metrics.store import metered
from adapters.metrics.telemetry import PrometheusTelemetry
from adapters.metrics.vendor_calls import (
    VendorCalls,
    discord_method,
    outcome_of,
    realtimekit_method,
    slack_method,
    zerodb_method,
)
from adapters.web import WebServer
from adapters.web.metrics_middleware import HTTP_METER
from bot.config_errors import ConfigError, load_settings
from core.errors import NotFound
from core.model import ReminderKind, SessionFilter
from core.telemetry import RsvpOutcome
from core.testing.store import InMemorySessionStore

TOKEN = "metrics-token-0123456789abcdef"


async def served(app: web.Application) -> AsyncIterator[str]:
    """Serve `app` on a loopback ephemeral port; yields its base URL."""
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    assert site._server is not None
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.fixture
async def vendor() -> AsyncIterator[tuple[str, list[int]]]:
    """A loopback vendor answering each request with the next status of its script (then
    200); the script is the list yielded with the URL."""
    script: list[int] = []

    async def answer(request: web.Request) -> web.Response:
        status = script.pop(0) if script else 200
        headers = {"Retry-After": "0"} if status == 429 else {}
        return web.json_response({"ok": status == 200}, status=status, headers=headers)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    async for url in served(app):
        yield url, script


def test_telemetry_counts_by_kind_and_platform_and_observes_lateness() -> None:
    metrics = DojoMetrics("clock")
    telemetry = PrometheusTelemetry(metrics)
    telemetry.reminder_due(ReminderKind.BEFORE_1H, "slack")
    telemetry.reminder_sent(ReminderKind.BEFORE_1H, "slack", timedelta(seconds=90))
    telemetry.reminder_skipped(ReminderKind.BEFORE_24H, "discord", "canceled")
    telemetry.reminder_failed(ReminderKind.BEFORE_10M, "slack", "rate_limited")
    telemetry.reminder_reclaimed(ReminderKind.BEFORE_1H, "slack", "resent")
    telemetry.rsvp(RsvpOutcome.WAITLISTED)
    one_hour = {"kind": "1h", "platform": "slack"}
    assert metrics.value("dojobot_reminders_due_total", one_hour) == 1
    assert metrics.value("dojobot_reminders_sent_total", one_hour) == 1
    assert metrics.value("dojobot_reminder_lateness_seconds_sum", one_hour) == 90
    assert metrics.value("dojobot_reminder_lateness_seconds_bucket", one_hour | {"le": "60.0"}) == 0
    assert (
        metrics.value("dojobot_reminder_lateness_seconds_bucket", one_hour | {"le": "120.0"}) == 1
    )
    skipped = {"kind": "24h", "platform": "discord", "reason": "canceled"}
    assert metrics.value("dojobot_reminders_skipped_total", skipped) == 1
    failed = {"kind": "10m", "platform": "slack", "reason": "rate_limited"}
    assert metrics.value("dojobot_reminders_failed_total", failed) == 1
    resent = one_hour | {"outcome": "resent"}
    assert metrics.value("dojobot_reminders_reclaimed_total", resent) == 1
    assert metrics.value("dojobot_rsvps_total", {"outcome": "waitlisted"}) == 1
    text, content_type = metrics.render("")
    assert content_type.startswith("text/plain")
    assert b'dojobot_process_info{role="clock"} 1.0' in text
    assert b"# TYPE dojobot_reminder_lateness_seconds histogram" in text


def test_two_apps_count_apart() -> None:
    first, second = DojoMetrics("web"), DojoMetrics("web")
    PrometheusTelemetry(first).rsvp(RsvpOutcome.GOING)
    assert first.value("dojobot_rsvps_total", {"outcome": "going"}) == 1
    assert second.value("dojobot_rsvps_total", {"outcome": "going"}) == 0


def test_method_labels_carry_no_id_or_token() -> None:
    token = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OnNlY3JldHRva2Vu"
    assert discord_method("post", f"/api/v10/interactions/1234567/{token}/callback") == (
        "POST /interactions/{id}/{id}/callback"
    )
    assert discord_method("PATCH", f"/api/v10/webhooks/987/{token}/messages/@original") == (
        "PATCH /webhooks/{id}/{id}/messages/@original"
    )
    assert discord_method("GET", "/api/v10/users/@me") == "GET /users/@me"
    assert slack_method("/api/chat.postMessage") == "chat.postMessage"
    assert slack_method("/actions/T0DOJO/12345/abcdefXYZ") == "response_url"
    path = "/v2/accounts/acct123/realtime/kit/app456/meetings/bbb-ccc/participants/abc"
    assert realtimekit_method("GET", path) == "GET /meetings/{id}/participants/{id}"
    zerodb = "/api/v1/projects/p-1/database/tables/dojobot_sessions/rows/abcdefgh"
    assert zerodb_method("PUT", zerodb, "dojobot_") == "PUT /tables/dojobot_sessions/rows/{id}"
    assert [outcome_of(s) for s in (200, 404, 429, 503, None)] == [
        "2xx",
        "4xx",
        "429",
        "5xx",
        "error",
    ]


async def test_httpx_hooks_count_calls_and_the_retry_after_a_429(
    vendor: tuple[str, list[int]],
) -> None:
    url, script = vendor
    metrics = DojoMetrics("web")
    async with httpx.AsyncClient(base_url=url) as client:
        watch_client(client, VendorCalls(metrics), "realtimekit", realtimekit_method)
        script += [429]
        for _ in range(2):  # the RealtimeKit client's retry loop, in one task
            response = await client.get("/accounts/a1/realtime/kit/k2/meetings/m-9")
        assert response.status_code == 200
        await client.get("/accounts/a1/realtime/kit/k2/meetings/m-9")  # after a 2xx: no retry
    method = {"vendor": "realtimekit", "method": "GET /meetings/{id}"}
    assert metrics.value("dojobot_vendor_calls_total", method | {"outcome": "429"}) == 1
    assert metrics.value("dojobot_vendor_calls_total", method | {"outcome": "2xx"}) == 2
    assert metrics.value("dojobot_vendor_retries_total", method) == 1


async def test_aiohttp_trace_counts_calls_retries_and_network_errors(
    vendor: tuple[str, list[int]],
) -> None:
    url, script = vendor
    metrics = DojoMetrics("discord")
    trace = trace_config(VendorCalls(metrics), "discord", discord_method)
    script += [429, 503]
    async with aiohttp.ClientSession(trace_configs=[trace]) as session:
        for _ in range(3):
            async with session.post(f"{url}/api/v10/channels/42/messages") as response:
                status = response.status
        assert status == 200
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get("http://127.0.0.1:1/api/v10/users/@me")
    posts = {"vendor": "discord", "method": "POST /channels/{id}/messages"}
    for outcome in ("429", "5xx", "2xx"):
        assert metrics.value("dojobot_vendor_calls_total", posts | {"outcome": outcome}) == 1
    assert metrics.value("dojobot_vendor_retries_total", posts) == 2
    me = {"vendor": "discord", "method": "GET /users/@me", "outcome": "error"}
    assert metrics.value("dojobot_vendor_calls_total", me) == 1


class BrokenStore(InMemorySessionStore):
    """Loses its connection counting sessions; refuses (a DojoError) listing RSVPs."""

    async def count_sessions(self, *args: Any, **kwargs: Any) -> int:
        raise ConnectionResetError("the database went away")

    async def list_rsvps(self, *args: Any, **kwargs: Any) -> list[Any]:
        raise NotFound("no such session")


async def test_store_errors_are_counted_by_operation_not_refusals() -> None:
    metrics = DojoMetrics("web")
    store = metered(BrokenStore(), metrics)
    for _ in range(2):
        with pytest.raises(ConnectionResetError):
            await store.count_sessions(SessionFilter())
    with pytest.raises(NotFound):
        await store.list_rsvps("missing")
    assert await store.get_session("missing") is None
    labels = {"operation": "count_sessions", "error": "ConnectionResetError"}
    assert metrics.value("dojobot_store_errors_total", labels) == 2
    assert metrics.render("")[0].count(b"dojobot_store_errors_total{") == 1


def test_webhook_outcomes() -> None:
    assert [webhook_outcome(s) for s in (200, 401, 422, 503, 500)] == [
        "accepted",
        "bad_signature",
        "refused",
        "retry_later",
        "failed",
    ]


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def test_http_requests_are_labelled_by_route_pattern_and_status() -> None:
    metrics = DojoMetrics("web")
    server = WebServer("127.0.0.1", 0)

    async def join(request: web.Request) -> web.Response:
        return web.Response(text="joined")

    async def broken(request: web.Request) -> web.Response:
        raise RuntimeError("boom")

    async def webhook(request: web.Request) -> web.Response:
        return web.json_response({}, status=401)

    server.app.router.add_get("/join/{token}", join)
    server.app.router.add_get("/broken", broken)
    server.app.router.add_post("/webhooks/realtimekit", webhook)
    server.app[HTTP_METER] = HttpRequests(metrics)
    await server.start()
    try:
        async with httpx.AsyncClient(base_url=server.base_url) as client:
            assert (await client.get("/join/s3cr3t-t0ken")).status_code == 200
            assert (await client.get("/broken")).status_code == 500
            assert (await client.get("/no/such/page")).status_code == 404
            assert (await client.post("/webhooks/realtimekit", content=b"{}")).status_code == 401
    finally:
        await server.stop()
    requests = "dojobot_http_requests_total"
    joined = {"route": "/join/{token}", "method": "GET"}
    assert metrics.value(requests, joined | {"status": "200"}) == 1
    assert metrics.value("dojobot_http_request_duration_seconds_count", joined) == 1
    assert metrics.value(requests, {"route": "/broken", "method": "GET", "status": "500"}) == 1
    assert metrics.value(requests, {"route": "unmatched", "method": "GET", "status": "404"}) == 1
    hook = {"source": "realtimekit", "outcome": "bad_signature"}
    assert metrics.value("dojobot_webhook_deliveries_total", hook) == 1
    text = metrics.render("")[0].decode()
    assert "s3cr3t-t0ken" not in text and "/no/such/page" not in text


async def test_the_token_guards_metrics_on_a_port_of_their_own() -> None:
    metrics = DojoMetrics("clock")
    server = MetricsServer(MetricsEndpoint(metrics, SecretStr(TOKEN)), "127.0.0.1", 0)
    await server.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as client:
            refused = await client.get("/metrics")
            assert refused.status_code == 401
            assert refused.headers["WWW-Authenticate"].startswith("Bearer")
            assert TOKEN not in refused.text
            wrong = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}x"})
            assert wrong.status_code == 401
            basic = await client.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"})
            assert basic.status_code == 401
            ok = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
            assert ok.status_code == 200
            assert 'dojobot_process_info{role="clock"}' in ok.text
            assert ok.headers["Content-Type"].startswith("text/plain")
            openmetrics = await client.get(
                "/metrics",
                headers={
                    "Authorization": f"Bearer {TOKEN}",
                    "Accept": "application/openmetrics-text; version=1.0.0",
                },
            )
            assert openmetrics.headers["Content-Type"].startswith("application/openmetrics-text")
            assert openmetrics.text.endswith("# EOF\n")
    finally:
        await server.stop()


def test_bad_metrics_settings_are_one_line_each_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("DOJOBOT_METRICS__TOKEN", "short")
    monkeypatch.setenv("DOJOBOT_METRICS__PORT", "99999")
    with pytest.raises(ConfigError) as refused:
        load_settings()
    lines = refused.value.lines
    assert len(lines) == 2, lines
    assert any("DOJOBOT_METRICS__TOKEN" in line and "16 characters" in line for line in lines)
    assert any("DOJOBOT_METRICS__PORT" in line for line in lines)
    assert not any("short" in line for line in lines)  # the secret is not echoed
