"""Pages mounted at start and built at their first request, as the REST API is
(`adapters.web.api.lazy`): a process nobody visits a page of never imports its module."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from aiohttp import web

Page = TypeVar("Page")
PageHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class LazyPage(Generic[Page]):
    """One page object, built by `build` (which imports its module) at the first request
    that reaches one of its routes, then kept."""

    def __init__(self, build: Callable[[], Page]) -> None:
        self._build = build
        self._page: Page | None = None

    @property
    def page(self) -> Page:
        """The page, built now if no request has built it yet."""
        if self._page is None:
            self._page = self._build()
        return self._page

    def handler(self, pick: Callable[[Page], PageHandler]) -> PageHandler:
        """A route handler that builds the page if needed and calls its handler `pick`s."""

        async def handle(request: web.Request) -> web.StreamResponse:
            return await pick(self.page)(request)

        return handle
