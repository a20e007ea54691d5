"""Wires metrics into an app: the core's telemetry, the store's errors, vendor calls, the
clock's leadership and where `/metrics` is served.

With metrics disabled nothing is imported or wrapped. Enabled, `prometheus_client` is
imported here, once; the Slack and Discord hooks are imported only for the configured
platforms (no SDK is imported for a platform that is not configured).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from aiohttp import web

from adapters.metrics.settings import MetricsSettings
from bot.components import Component
from bot.settings import Settings
from core.ports import SessionStore, VideoRooms
from core.telemetry import NO_TELEMETRY, Telemetry

if TYPE_CHECKING:
    from adapters.metrics.endpoint import MetricsEndpoint, MetricsServer
    from adapters.metrics.registry import DojoMetrics
    from adapters.metrics.vendor_calls import VendorCalls


class Metering:
    """What metrics add to one app. `metrics` is None when they are disabled: then every
    method hands back what it was given and `/metrics` is served nowhere."""

    def __init__(self, settings: Settings, metrics: DojoMetrics | None = None) -> None:
        self.settings = settings
        self.metrics = metrics
        self.telemetry: Telemetry = NO_TELEMETRY
        self.server: MetricsServer | None = None
        """The port of its own, in a process without a web server (when one is set)."""
        self._endpoint: MetricsEndpoint | None = None
        self._calls: VendorCalls | None = None
        if metrics is not None:
            from adapters.metrics.endpoint import MetricsEndpoint
            from adapters.metrics.telemetry import PrometheusTelemetry
            from adapters.metrics.vendor_calls import VendorCalls

            self.telemetry = PrometheusTelemetry(metrics)
            self._endpoint = MetricsEndpoint(metrics, settings.metrics.token)
            self._calls = VendorCalls(metrics)

    @property
    def options(self) -> MetricsSettings:
        return self.settings.metrics

    def watch_store(self, store: SessionStore) -> SessionStore:
        """The store with its errors counted (and ZeroDB's HTTP calls)."""
        if self.metrics is None or self._calls is None:
            return store
        from adapters.metrics.store import metered

        zerodb = self.settings.zerodb
        if zerodb is not None:
            from adapters.metrics.httpx_calls import watch_client
            from adapters.metrics.vendor_calls import zerodb_method
            from adapters.zerodb import ZeroDBSessionStore

            if isinstance(store, ZeroDBSessionStore):
                prefix = zerodb.table_prefix
                watch_client(
                    store.tables.http,
                    self._calls,
                    "zerodb",
                    lambda method, path: zerodb_method(method, path, prefix),
                )
        return metered(store, self.metrics)

    def watch_rooms(self, rooms: VideoRooms) -> VideoRooms:
        """Count RealtimeKit's HTTP calls (Jitsi makes none)."""
        if self._calls is not None and self.settings.realtimekit is not None:
            from adapters.metrics.httpx_calls import watch_client
            from adapters.metrics.vendor_calls import realtimekit_method
            from adapters.realtimekit import RealtimeKitRooms

            if isinstance(rooms, RealtimeKitRooms):
                watch_client(rooms.client.http, self._calls, "realtimekit", realtimekit_method)
        return rooms

    def watch_components(self, components: list[Component]) -> None:
        """Count the Slack and Discord front ends' API calls."""
        if self._calls is None:
            return
        if self.settings.slack is not None:
            from adapters.metrics.slack_calls import watch_slack
            from adapters.slack import SlackFrontEnd

            for component in components:
                if isinstance(component, SlackFrontEnd):
                    watch_slack(component.client, self._calls)
        if self.settings.discord is not None:
            from adapters.discord.front_end import DiscordFrontEnd
            from adapters.metrics.aiohttp_calls import trace_config
            from adapters.metrics.vendor_calls import discord_method

            for component in components:
                if isinstance(component, DiscordFrontEnd):  # used when the client logs in
                    trace = trace_config(self._calls, "discord", discord_method)
                    component.client.http.http_trace = trace

    def watch_leadership(self, leading: Callable[[], bool]) -> None:
        """Expose whether this process leads the clock."""
        if self.metrics is not None:
            self.metrics.watch_leadership(leading)

    def serve(self, web_app: web.Application | None) -> None:
        """Serve `/metrics` on the shared web server when there is one, else on the
        configured port of its own (none set: not served)."""
        if self._endpoint is None or self.metrics is None:
            return
        if web_app is not None:
            from adapters.metrics.http import HttpRequests
            from adapters.web.metrics_middleware import HTTP_METER

            self._endpoint.add_routes(web_app)
            web_app[HTTP_METER] = HttpRequests(self.metrics)
        elif self.options.port is not None:
            from adapters.metrics.endpoint import MetricsServer

            self.server = MetricsServer(self._endpoint, self.options.host, self.options.port)

    async def start(self) -> None:
        if self.server is not None:
            await self.server.start()

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.stop()


def metering_for(settings: Settings, role: str) -> Metering:
    """The app's metering: a registry of its own when metrics are enabled."""
    if not settings.metrics.enabled:
        return Metering(settings)
    from adapters.metrics.registry import DojoMetrics

    return Metering(settings, DojoMetrics(role))
