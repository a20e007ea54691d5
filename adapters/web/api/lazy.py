"""The REST API mounted at start and built at its first request.

Building the API means importing its pydantic schemas and generating the OpenAPI document
(about a tenth of a second and a few MiB); a `dojobot run` nobody calls the API on skips it.
The routes themselves (`paths.ROUTES`) are on the router from the start, so what is served,
404s and 405s included, is the same as with `RestApi.mount`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from aiohttp import web

from adapters.web.api.paths import PREFIX, Handler, Route, routes_application

if TYPE_CHECKING:
    from adapters.web.api.app import RestApi


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The API's JSON errors (`errors.json_errors`), imported at the first request."""
    from adapters.web.api.errors import json_errors as errors

    return await errors(request, handler)


class LazyRestApi:
    """`RestApi`'s routes on the shared server; `build()` is called once, at the first
    request that reaches one of them."""

    def __init__(self, build: Callable[[], RestApi]) -> None:
        self._build = build
        self._api: RestApi | None = None

    @property
    def built(self) -> bool:
        """Whether a request has built the API yet."""
        return self._api is not None

    @property
    def api(self) -> RestApi:
        """The API, built now if no request has built it yet."""
        if self._api is None:
            self._api = self._build()
        return self._api

    def mount(self, app: web.Application) -> None:
        """Add the API's routes under /api to the shared server's application."""
        app.add_subapp(PREFIX, routes_application(self._handler, json_errors))

    def _handler(self, route: Route) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            return await self.api.handlers[route](request)

        return handle
