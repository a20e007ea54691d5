"""Wires the REST API (/api/training/sessions…) onto the shared web server."""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from adapters.web.api import RestApi
from bot.components import Component, Wiring
from core.ports import ChatDelivery


@dataclass
class ApiComponent:
    """The REST API: routes only, nothing to start or stop."""

    api: RestApi
    name: str = "api"
    platform: str | None = None
    chat: ChatDelivery | None = None

    def mount(self, app: web.Application) -> None:
        self.api.mount(app)

    async def start(self) -> None:
        """Nothing to connect: the shared web server serves the routes."""

    async def stop(self) -> None:
        """Nothing to release."""


def build_api(wiring: Wiring) -> Component:
    """The REST API on the wired service; 503 on every route but the document without a secret."""
    secret = wiring.settings.web.api_jwt_secret
    return ApiComponent(RestApi(wiring.service, wiring.clock, secret))
