"""The training pages behind personal links: `/record/<token>` (a member's training page, a
class's page or the association overview, as the signed pass says) and its charts
`/record/<token>/<chart>.svg`.

The pass (`core.page_pass`) names the viewer and the page; the page is read through the
service's use cases as that viewer, so the ledger's and ranks' rules apply again at every
visit. A forged or damaged link is answered 404, an expired one 403, a page the viewer may
not see 403, an unknown class 404, each as a page in the reader's language.

Charts are same-origin SVG images behind the same token (`image/svg+xml`, their own CSP
allowing only their inline style): the HTML page keeps its strict CSP. The view a visit
reads is kept for `VIEW_KEPT` (per token and language, the last `VIEWS_KEPT` of them), so
the page's chart requests draw from the page's reads instead of reading it all again; the
token is verified at every request all the same.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from datetime import datetime, timedelta

from aiohttp import web

from adapters.web.context import PageContext
from adapters.web.html import html_response, page, render
from adapters.web.training_views import (
    PageView,
    class_page,
    member_page,
    overview_page,
    whole_page,
)
from adapters.web.words import say, t
from core.errors import DojoError, NotFound, PermissionDenied
from core.i18n import Translator, localize
from core.model import Role
from core.page_pass import InvalidPagePass, PageKind, PagePass, SignedPageLinks

log = logging.getLogger(__name__)

SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"
"""A chart's own CSP: its inline style, nothing else (an image runs no script anyway)."""
VIEW_KEPT = timedelta(seconds=60)
"""How long a page's view serves its chart requests (a visit loads them at once)."""
VIEWS_KEPT = 64
"""Views kept at most (the least recently used go first)."""


class TrainingPages:
    """Handlers of the training pages and their charts."""

    def __init__(self, context: PageContext, links: SignedPageLinks) -> None:
        self.context = context
        self.links = links
        self._views: OrderedDict[tuple[str, str], tuple[datetime, PageView]] = OrderedDict()

    async def page(self, request: web.Request) -> web.Response:
        found = await self._view(request)
        if isinstance(found, web.Response):
            return found
        view, tr = found
        token = request.match_info["token"]
        markup = whole_page(
            view, lambda name: f"/record/{token}/{name}.svg", tr, self.context.branding
        )
        return html_response(markup, csp=self.context.branding.csp())

    async def chart(self, request: web.Request) -> web.Response:
        found = await self._view(request)
        if isinstance(found, web.Response):
            return found
        view, _ = found
        draw = view.charts.get(request.match_info["chart"])
        if draw is None:
            raise web.HTTPNotFound()
        return web.Response(
            text=draw(),
            content_type="image/svg+xml",
            charset="utf-8",
            headers={
                "Cache-Control": "no-store",
                "Content-Security-Policy": SVG_CSP,
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            },
        )

    async def _view(self, request: web.Request) -> tuple[PageView, Translator] | web.Response:
        """The page the token names, as its viewer may see it; else the refusal page."""
        context = self.context
        now = context.clock.now()
        try:
            page_pass = self.links.verify(request.match_info["token"], now)
        except InvalidPagePass as error:
            status = 403 if error.expired else 404
            return self._refusal(request, None, error, status)
        tr = context.reader(request, page_pass.locale)
        key = (request.match_info["token"], tr.locale)
        kept = self._views.get(key)
        if kept is not None and now < kept[0]:
            self._views.move_to_end(key)
            return kept[1], tr
        try:
            view = await self._build(page_pass, tr)
        except NotFound as error:
            return self._refusal(request, page_pass, error, 404)
        except PermissionDenied as error:
            return self._refusal(request, page_pass, error, 403)
        self._views[key] = (now + VIEW_KEPT, view)
        self._views.move_to_end(key)
        while len(self._views) > VIEWS_KEPT:
            self._views.popitem(last=False)
        return view, tr

    async def _build(self, page_pass: PagePass, tr: Translator) -> PageView:
        context = self.context
        service, now, viewer = context.service, context.clock.now(), page_pass.viewer
        accent = context.branding.accent
        match page_pass.kind:
            case PageKind.MEMBER:
                return await member_page(service, viewer, page_pass.subject, now, tr, accent)
            case PageKind.CLASS:
                return await class_page(service, viewer, page_pass.subject, now, tr, accent)
            case PageKind.OVERVIEW:
                if viewer.role is not Role.ADMIN:
                    raise PermissionDenied(t("Only admins may open the association overview."))
                return await overview_page(service, viewer, now, tr, accent)

    def _refusal(
        self, request: web.Request, page_pass: PagePass | None, error: DojoError, status: int
    ) -> web.Response:
        tr = self.context.reader(request, page_pass.locale if page_pass else None)
        brand = self.context.branding
        title = say(t("Can't open this page"), tr)
        hint = localize(error.hint, tr) if error.hint else ""
        body = render(
            '<h1>$title</h1>\n<p class="reason">$message</p>\n<p>$hint</p>',
            title=title,
            message=localize(error.message, tr),
            hint=hint,
        )
        markup = page(title, body, lang=tr.locale, brand=brand)
        return html_response(markup, status=status, csp=brand.csp())
