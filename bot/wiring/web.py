"""Builds the web pages component: join links, session pages, calendar files, /healthz."""

from __future__ import annotations

from adapters.web.join_secret import load_join_secret
from adapters.web.pages import WebPages
from adapters.web.served_links import ServedJoinLinks
from bot.components import Component, Wiring
from bot.settings import Settings
from core.model import SessionFilter


def build_join_links(settings: Settings) -> ServedJoinLinks:
    """The join links the service hands out once the pages are served, signed with the
    configured or persisted key (built before the service, switched on by the pages)."""
    return ServedJoinLinks(settings.web, load_join_secret(settings.web, settings.data_dir))


def build_web(wiring: Wiring) -> Component:
    """The pages on the shared web server; once it listens, the service hands out join links
    (`{public_url}/join/<token>`) signed with the configured or persisted key."""
    settings = wiring.settings
    store = wiring.store

    async def store_ping() -> object:
        return await store.count_sessions(SessionFilter(limit=1))

    links = wiring.join_links or build_join_links(settings)
    return WebPages(
        wiring.service,
        wiring.clock,
        settings.web,
        links,
        default_timezone=settings.default_timezone,
        store_ping=store_ping,
        scheduler_running=lambda: wiring.clock_runner.healthy,
        languages=wiring.languages,
        branding=settings.branding,
    )
