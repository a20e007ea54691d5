"""Counts every HTTP request by route pattern, method and status, with its latency.

The label is the route's pattern (`/join/{token}`), never the raw path: join links carry
tokens. The middleware does nothing until metrics put an `HttpMeter` on the application.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
"""The route label of a request no route matched (404, 405)."""
CLIENT_GONE = 499
"""The status label of a request whose client went away before the answer (nginx's)."""


class HttpMeter(Protocol):
    """Where the middleware reports each request."""

    def request_served(self, route: str, method: str, status: int, seconds: float) -> None:
        """One request answered `status` after `seconds`."""


HTTP_METER = web.AppKey("http_meter", HttpMeter)
"""Set by the metrics component on the shared application."""


def route_of(request: web.Request) -> str:
    """The pattern of the route that matched (`/join/{token}`), or "unmatched"."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else UNMATCHED


@web.middleware
async def http_metrics(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Time the request and report route, method and final status (outermost middleware:
    it sees the 500 the failure boundary answers)."""
    meter = request.app.get(HTTP_METER)
    if meter is None:
        return await handler(request)
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as answer:
        status = answer.status
        raise
    except asyncio.CancelledError:
        status = CLIENT_GONE
        raise
    finally:
        method = request.method if request.method in METHODS else "other"
        meter.request_served(route_of(request), method, status, time.perf_counter() - started)
