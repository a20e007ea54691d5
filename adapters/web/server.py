"""The shared aiohttp server: components mount their routes, then it listens."""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiohttp import web

from adapters.web.connections import ConnectionGuard, ConnectionLimits
from adapters.web.failures import failure_boundary
from adapters.web.metrics_middleware import http_metrics
from adapters.web.refusals import MalformedHttpFilter, RefusalLog
from adapters.web.request_id import request_ids

log = logging.getLogger(__name__)
HTTP_LOG = logging.getLogger(__name__ + ".http")
"""aiohttp's per-connection logger: malformed requests are one bounded line, no traceback."""
HTTP_LOG.addFilter(MalformedHttpFilter(RefusalLog(log)))

Mount = Callable[[web.Application], None]


class WebServer:
    """One aiohttp application on one port, carrying every component's routes.

    The application carries the server under `WEB_SERVER`, so a component can learn the port
    actually listened on (port 0) when it builds absolute links.
    """

    def __init__(
        self,
        host: str,
        port: int,
        client_max_size: int = 1024**2,
        limits: ConnectionLimits | None = None,
        shutdown_timeout: float = 60.0,
    ) -> None:
        """`shutdown_timeout`: at `stop`, how long requests being answered may still take
        (listening stops at once)."""
        self.host = host
        self.port = port
        self.guard = ConnectionGuard(limits or ConnectionLimits())
        """Deadlines on slow clients' headers and bodies, and the cap on connections."""
        self.app = web.Application(
            client_max_size=client_max_size,
            middlewares=[http_metrics, request_ids, failure_boundary],
        )
        self.app[WEB_SERVER] = self
        self.listening = False
        """False until `start` succeeded (and again when the port could not be had)."""
        self.shutdown_timeout = shutdown_timeout
        self._runner: web.AppRunner | None = None

    def mount(self, add_routes: Mount) -> None:
        """Let a component add its routes (before `start`)."""
        add_routes(self.app)

    async def start(self) -> None:
        """Listen; with port 0 the chosen port is written back to `self.port`.

        When the address is taken (another dojobot, or any program on the port) the error is
        logged and the app goes on without HTTP, so the terminal front end still works.
        """
        limits = self.guard.limits
        self._runner = web.AppRunner(
            self.app,
            access_log=None,
            keepalive_timeout=limits.keepalive_timeout,
            logger=HTTP_LOG,
            shutdown_timeout=self.shutdown_timeout,
        )
        await self._runner.setup()
        assert self._runner.server is not None
        self.guard.install(self._runner.server)
        site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await site.start()
        except OSError as error:
            log.error(
                "web server NOT started: cannot listen on %s:%s (%s). Join links, session pages "
                "and calendars are unavailable; set DOJOBOT_WEB__PORT to a free port "
                "(or DOJOBOT_WEB__ENABLED=false).",
                self.host,
                self.port,
                error.strerror or error,
            )
            await self._runner.cleanup()
            self._runner = None
            return
        server = site._server
        if server is not None and self.port == 0:
            sockets = getattr(server, "sockets", None) or []
            if sockets:
                self.port = int(sockets[0].getsockname()[1])
        self.listening = True
        log.info("web server listening on http://%s:%s", self.host, self.port)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def stop(self) -> None:
        self.listening = False
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


WEB_SERVER = web.AppKey("web_server", WebServer)
"""Where the application keeps its `WebServer`."""
