"""Wires the REST API (/api/training/sessions…) onto the shared web server.

Its routes are mounted at start; the API itself (pydantic schemas, OpenAPI document) is built
at the first request to it (`LazyRestApi`), so a process nobody calls the API on never pays
for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from adapters.web.api.lazy import LazyRestApi
from bot.components import Component, Wiring
from core.ports import ChatDelivery

if TYPE_CHECKING:
    from adapters.web.api.app import RestApi


@dataclass
class ApiComponent:
    """The REST API: routes only, nothing to start or stop."""

    api: LazyRestApi
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
    service, clock = wiring.service, wiring.clock

    def build() -> RestApi:
        from adapters.web.api.app import RestApi

        return RestApi(service, clock, secret)

    return ApiComponent(LazyRestApi(build))
