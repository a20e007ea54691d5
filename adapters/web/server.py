"""The shared aiohttp server: components mount their routes, then it listens."""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiohttp import web

log = logging.getLogger(__name__)

Mount = Callable[[web.Application], None]


class WebServer:
    """One aiohttp application on one port, carrying every component's routes."""

    def __init__(self, host: str, port: int, client_max_size: int = 1024**2) -> None:
        self.host = host
        self.port = port
        self.app = web.Application(client_max_size=client_max_size)
        self._runner: web.AppRunner | None = None

    def mount(self, add_routes: Mount) -> None:
        """Let a component add its routes (before `start`)."""
        add_routes(self.app)

    async def start(self) -> None:
        """Listen; with port 0 the chosen port is written back to `self.port`."""
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        if server is not None and self.port == 0:
            sockets = getattr(server, "sockets", None) or []
            if sockets:
                self.port = int(sockets[0].getsockname()[1])
        log.info("web server listening on http://%s:%s", self.host, self.port)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
