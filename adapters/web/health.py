"""`/healthz` for process managers: the store answers and the alarm clock's scheduler runs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

log = logging.getLogger(__name__)

STORE_TIMEOUT_SECONDS = 5.0


class Health:
    """Handler of `/healthz`: 200 when every check passes, else 503; body says which failed."""

    def __init__(
        self,
        store_ping: Callable[[], Awaitable[object]],
        scheduler_running: Callable[[], bool],
        timeout: float = STORE_TIMEOUT_SECONDS,
    ) -> None:
        self.store_ping = store_ping
        self.scheduler_running = scheduler_running
        self.timeout = timeout

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self.healthz)

    async def healthz(self, request: web.Request) -> web.Response:
        store = await self._store()
        scheduler = "running" if self.scheduler_running() else "stopped"
        healthy = store == "ok" and scheduler == "running"
        body = {"status": "ok" if healthy else "unhealthy", "store": store, "scheduler": scheduler}
        response = web.json_response(body, status=200 if healthy else 503)
        response.headers["Cache-Control"] = "no-store"
        return response

    async def _store(self) -> str:
        try:
            await asyncio.wait_for(self.store_ping(), self.timeout)
        except TimeoutError:
            return "timeout"
        except Exception as error:  # any failure of the store means unhealthy, never a 500
            log.warning("health check: the store failed: %s", type(error).__name__)
            return "unreachable"
        return "ok"
