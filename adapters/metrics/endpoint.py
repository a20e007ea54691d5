"""`GET /metrics`: on the shared web server, or on a port of its own in a process without
one (`discord`, `clock`), optionally behind a bearer token."""

from __future__ import annotations

import hmac
import logging

from aiohttp import web
from pydantic import SecretStr

from adapters.metrics.registry import DojoMetrics

log = logging.getLogger(__name__)

PATH = "/metrics"


class MetricsEndpoint:
    """The handler of `/metrics`: 401 without the token (when one is set), else the
    exposition in the format the scraper asked for."""

    def __init__(self, metrics: DojoMetrics, token: SecretStr | None = None) -> None:
        self.metrics = metrics
        self._token = None if token is None else token.get_secret_value().encode()

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(PATH, self.handle)

    async def handle(self, request: web.Request) -> web.Response:
        if not self._authorised(request.headers.get("Authorization", "")):
            return web.Response(
                status=401,
                text="Send Authorization: Bearer <DOJOBOT_METRICS__TOKEN>.\n",
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
        body, content_type = self.metrics.render(request.headers.get("Accept", ""))
        headers = {"Content-Type": content_type, "Cache-Control": "no-store"}
        return web.Response(body=body, headers=headers)

    def _authorised(self, header: str) -> bool:
        if self._token is None:
            return True
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(given.strip().encode(), self._token)


class MetricsServer:
    """A tiny aiohttp server carrying only `/metrics` (processes without a web server)."""

    def __init__(self, endpoint: MetricsEndpoint, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.app = web.Application()
        endpoint.add_routes(self.app)
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen (port 0: the chosen port is written back); a port already taken is
        logged and the process goes on without metrics."""
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await site.start()
        except OSError as error:
            log.error(
                "metrics NOT served: cannot listen on %s:%s (%s); set DOJOBOT_METRICS__PORT "
                "to a free port",
                self.host,
                self.port,
                error.strerror or error,
            )
            await self.stop()
            return
        if self.port == 0 and site._server is not None:
            sockets = getattr(site._server, "sockets", None) or []
            if sockets:
                self.port = int(sockets[0].getsockname()[1])
        log.info("metrics served on http://%s:%s%s", self.host, self.port, PATH)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
