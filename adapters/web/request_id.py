"""Every HTTP request gets a request id: the caller's `X-Request-Id` when it is sane (at most
64 characters of letters, digits and `._:@/+=-`), else a fresh one. It is set for every log
line of the request's work (core/log_context.py), echoed in the response's `X-Request-Id`, and
one access line is logged at INFO with the route's pattern (`/join/{token}`), never the raw
path: join links carry their token in the path."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from core import log_context

HEADER = "X-Request-Id"
ACCESS_LOG = logging.getLogger("adapters.web.access")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def route_of(request: web.Request) -> str:
    """The pattern of the route that matched (`/sessions/{session_id}`), or `unmatched`."""
    info = request.match_info
    resource = info.route.resource if info.http_exception is None else None
    return resource.canonical if resource is not None else "unmatched"


@web.middleware
async def request_ids(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Run the request under its id (and its session's, for `/sessions/{session_id}…`)."""
    request_id = log_context.sane_id(request.headers.get(HEADER)) or log_context.new_request_id()
    session_id = log_context.sane_id(request.match_info.get("session_id"))
    started = time.perf_counter()
    status = 500
    with log_context.bound(request_id=request_id, session_id=session_id):
        try:
            response = await handler(request)
            status = response.status
            if not response.prepared:
                response.headers[HEADER] = request_id
            return response
        except web.HTTPException as answer:
            status = answer.status
            answer.headers[HEADER] = request_id
            raise
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            ACCESS_LOG.info("%s %s %s %.1f ms", request.method, route_of(request), status, elapsed)
