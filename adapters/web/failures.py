"""The web server's error boundary: an unexpected error in any page or webhook handler
answers 500 with a reference the member can quote, and logs the traceback once with it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from adapters.web.html import html_response, page, render
from core.failures import failure_text, report_failure

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

FAILED = '<h1>Something went wrong</h1>\n<p id="failure">$text</p>\n'


def loggable_path(request: web.Request) -> str:
    """The request's path for a log line: bounded, control characters escaped."""
    return request.path[:200].encode("unicode_escape").decode("ascii")


@web.middleware
async def failure_boundary(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Let HTTP answers through; turn any other exception into a 500 page with a ref."""
    try:
        return await handler(request)
    except (web.HTTPException, asyncio.CancelledError):
        raise
    except Exception:
        ref = report_failure(log, f"{request.method} {loggable_path(request)}")
        markup = page("Something went wrong", render(FAILED, text=failure_text(ref)))
        return html_response(markup, status=500)
