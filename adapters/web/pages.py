"""`WebPages`: the component serving join links, session pages, calendars and /healthz."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from adapters.web.assets import add_asset_routes
from adapters.web.branding import BRANDING, Branding
from adapters.web.calendar import CalendarFiles
from adapters.web.context import PageContext
from adapters.web.failures import LANGUAGES
from adapters.web.feed_calendar import PersonalFeed
from adapters.web.health import Health
from adapters.web.join_page import JoinPage
from adapters.web.series_calendar import SeriesCalendarFile
from adapters.web.served_links import ServedJoinLinks
from adapters.web.server import WEB_SERVER, WebServer
from adapters.web.session_pages import SessionPages
from adapters.web.settings import WebSettings
from adapters.web.training_pages import TrainingPages
from core.clock import Clock
from core.i18n import EnglishOnly, Languages
from core.ports import ChatDelivery
from core.service import SessionService

log = logging.getLogger(__name__)


class WebPages:
    """Mounts the pages on the shared server; once it listens, members' Join buttons hand out
    signed links to `/join/<token>` instead of raw room links (it switches on `links`, the
    join links the composition root gave the service).

    If the server could not listen, join links are not switched on: members then get the
    provider's room link as before, rather than a link to a page nobody serves. A process
    that serves no HTTP itself (the Discord gateway, the clock) still hands out join links
    when `public_url` names the web process that serves them.
    """

    name = "web"
    platform: str | None = None
    chat: ChatDelivery | None = None

    def __init__(
        self,
        service: SessionService,
        clock: Clock,
        settings: WebSettings,
        links: ServedJoinLinks,
        *,
        default_timezone: str,
        store_ping: Callable[[], Awaitable[object]],
        scheduler_running: Callable[[], bool],
        languages: Languages | None = None,
        branding: Branding | None = None,
    ) -> None:
        """`languages`: the shipped ones pages are written in (English only when None);
        `branding`: the association's name, logo and accent (dojobot's when None)."""
        self.settings = settings
        self.links = links
        self.context = PageContext(
            service,
            clock,
            settings,
            default_timezone,
            self.base_url,
            languages if languages is not None else EnglishOnly(),
            branding if branding is not None else Branding(),
        )
        self.health = Health(store_ping, scheduler_running)
        self._server: WebServer | None = None
        self._mounted = False

    def base_url(self) -> str:
        """Our public base URL, with the port actually listened on when it was 0."""
        return self.links.base_url()

    def mount(self, app: web.Application) -> None:
        """Add every page's routes to the shared application."""
        self._server = app.get(WEB_SERVER)
        app[LANGUAGES] = self.context.languages
        app[BRANDING] = self.context.branding
        self.links.serve_on(self._server)
        add_asset_routes(app)
        SessionPages(self.context).add_routes(app)
        CalendarFiles(self.context).add_routes(app)
        PersonalFeed(self.context).add_routes(app)
        SeriesCalendarFile(self.context).add_routes(app)
        JoinPage(self.context, self.links.signed).add_routes(app)
        TrainingPages(self.context, self.links.pages).add_routes(app)
        self.health.add_routes(app)
        self._mounted = True

    async def start(self) -> None:
        """Switch the join links on when the pages are actually served."""
        served_here = self._mounted and (self._server is None or self._server.listening)
        served_elsewhere = not self._mounted and self.settings.public_url is not None
        if served_here or served_elsewhere:
            self.links.switch(on=True)
        else:
            log.warning("web pages are not served: Join buttons hand out room links directly")

    async def stop(self) -> None:
        self.links.switch(on=False)
