"""`WebPages`: the component serving join links, session pages, calendars and /healthz."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web

from adapters.web.assets import add_asset_routes
from adapters.web.branding import BRANDING, Branding
from adapters.web.context import PageContext
from adapters.web.failures import LANGUAGES
from adapters.web.health import Health
from adapters.web.lazy_pages import LazyPage
from adapters.web.page_paths import CHART, FEED_ROUTE, SERIES_ID, SESSION_ID, TOKEN
from adapters.web.served_links import ServedJoinLinks
from adapters.web.server import WEB_SERVER, WebServer
from adapters.web.settings import WebSettings
from core.clock import Clock
from core.i18n import EnglishOnly, Languages
from core.ports import ChatDelivery
from core.service import SessionService

if TYPE_CHECKING:
    from adapters.web.calendar import CalendarFiles
    from adapters.web.feed_calendar import PersonalFeed
    from adapters.web.join_page import JoinPage
    from adapters.web.series_calendar import SeriesCalendarFile
    from adapters.web.session_pages import SessionPages
    from adapters.web.training_pages import TrainingPages

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
        """Add every page's routes to the shared application; each page's module is imported
        and the page built at the first request to one of its routes (`LazyPage`)."""
        self._server = app.get(WEB_SERVER)
        app[LANGUAGES] = self.context.languages
        app[BRANDING] = self.context.branding
        self.links.serve_on(self._server)
        add_asset_routes(app)
        sessions = LazyPage(self._session_pages)
        calendars = LazyPage(self._calendar_files)
        feed = LazyPage(self._personal_feed)
        series = LazyPage(self._series_calendar)
        join = LazyPage(self._join_page)
        training = LazyPage(self._training_pages)
        get = app.router.add_get
        get(f"/sessions/{SESSION_ID}/status.json", sessions.handler(lambda p: p.status_json))
        get(f"/sessions/{SESSION_ID}", sessions.handler(lambda p: p.session_page))
        get(f"/sessions/{SESSION_ID}.ics", calendars.handler(lambda p: p.session_ics))
        get("/calendar.ics", calendars.handler(lambda p: p.feed))
        get(FEED_ROUTE, feed.handler(lambda p: p.feed))
        get(f"/series/{SERIES_ID}.ics", series.handler(lambda p: p.series_ics))
        get("/join/{token}", join.handler(lambda p: p.join))
        get(f"/record/{TOKEN}", training.handler(lambda p: p.page))
        get(f"/record/{TOKEN}/{CHART}.svg", training.handler(lambda p: p.chart))
        self.health.add_routes(app)
        self._mounted = True

    def _session_pages(self) -> SessionPages:
        from adapters.web.session_pages import SessionPages

        return SessionPages(self.context)

    def _calendar_files(self) -> CalendarFiles:
        from adapters.web.calendar import CalendarFiles

        return CalendarFiles(self.context)

    def _personal_feed(self) -> PersonalFeed:
        from adapters.web.feed_calendar import PersonalFeed

        return PersonalFeed(self.context)

    def _series_calendar(self) -> SeriesCalendarFile:
        from adapters.web.series_calendar import SeriesCalendarFile

        return SeriesCalendarFile(self.context)

    def _join_page(self) -> JoinPage:
        from adapters.web.join_page import JoinPage

        return JoinPage(self.context, self.links.signed)

    def _training_pages(self) -> TrainingPages:
        from adapters.web.training_pages import TrainingPages

        return TrainingPages(self.context, self.links.pages)

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
