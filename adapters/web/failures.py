"""The web server's error boundary: an unexpected error in any page or webhook handler
answers 500 with a reference the member can quote, and logs the traceback once with it."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable

from aiohttp import web

from adapters.web.branding import branding_of
from adapters.web.html import html_response, page, render
from adapters.web.readers import reader
from adapters.web.words import say, t
from core.failures import failure_text, report_failure
from core.i18n import EnglishOnly, Languages

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

FAILED = '<h1>$title</h1>\n<p id="failure">$text</p>\n'


_SECRET_PATH = re.compile(r"^(/calendar/feed/|/record/)[^/]*")
"""A path that is itself a secret (a personal calendar feed's token, a page link's pass)."""


def loggable_path(request: web.Request) -> str:
    """The request's path for a log line: bounded, control characters escaped, a calendar
    feed's token left out."""
    path = _SECRET_PATH.sub(r"\1[redacted]", request.path)
    return path[:200].encode("unicode_escape").decode("ascii")


LANGUAGES: web.AppKey[Languages] = web.AppKey("languages", Languages)
"""The shipped languages, on the application (set by the pages): the 500 page speaks the
browser's language; English when unset."""


@web.middleware
async def failure_boundary(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Let HTTP answers through; turn any other exception into a 500 page with a ref."""
    try:
        return await handler(request)
    except (web.HTTPException, asyncio.CancelledError):
        raise
    except Exception:
        ref = report_failure(log, f"{request.method} {loggable_path(request)}")
        tr = reader(request.config_dict.get(LANGUAGES) or EnglishOnly(), request)
        title = say(t("Something went wrong"), tr)
        text = say(failure_text(ref), tr)
        brand = branding_of(request)
        markup = page(title, render(FAILED, title=title, text=text), lang=tr.locale, brand=brand)
        return html_response(markup, status=500, csp=brand.csp())
