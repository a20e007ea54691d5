"""The shared server: a taken port is logged, not fatal; join links only when served."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import httpx
import pytest

from adapters.web.pages import WebPages
from adapters.web.served_links import ServedJoinLinks
from adapters.web.server import WEB_SERVER, WebServer
from adapters.web.settings import WebSettings
from core.model import SessionFilter
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


class JoinLinksOf:
    """What `join` hands out: join-page links only while the pages switched them on."""

    def __init__(self, links: ServedJoinLinks) -> None:
        self.links = links

    @property
    def join_links(self) -> ServedJoinLinks | None:
        return self.links if self.links.available() else None


def pages_for(settings: WebSettings) -> tuple[JoinLinksOf, WebPages]:
    store = InMemorySessionStore()
    clock = FakeClock()
    links = ServedJoinLinks(settings, b"k" * 32)
    service = SessionService(
        store, InMemoryVideoRooms(), RecordingChatDelivery(), clock, join_links=links
    )

    async def ping() -> object:
        return await store.count_sessions(SessionFilter(limit=1))

    pages = WebPages(
        service,
        clock,
        settings,
        links,
        default_timezone="UTC",
        store_ping=ping,
        scheduler_running=lambda: True,
    )
    return JoinLinksOf(links), pages


async def test_a_taken_port_is_logged_and_join_links_stay_off(
    taken_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    service, pages = pages_for(WebSettings(port=taken_port))
    server = WebServer("127.0.0.1", taken_port)
    server.mount(pages.mount)
    with caplog.at_level(logging.WARNING):
        await server.start()
        await pages.start()
    assert not server.listening
    assert service.join_links is None
    assert any("NOT started" in r.message and str(taken_port) in r.message for r in caplog.records)
    assert any("hand out room links directly" in r.message for r in caplog.records)
    await server.stop()
    await pages.stop()


async def test_port_zero_links_carry_the_port_listened_on() -> None:
    service, pages = pages_for(WebSettings(port=0))
    server = WebServer("127.0.0.1", 0)
    assert server.app[WEB_SERVER] is server
    server.mount(pages.mount)
    await server.start()
    try:
        await pages.start()
        assert server.listening and server.port != 0
        assert service.join_links is pages.links
        assert pages.base_url() == f"http://localhost:{server.port}"
        async with httpx.AsyncClient(base_url=server.base_url) as client:
            assert (await client.get("/healthz")).status_code == 200
    finally:
        await pages.stop()
        await server.stop()
    assert service.join_links is None and not server.listening


async def test_pages_never_mounted_leave_join_links_off() -> None:
    service, pages = pages_for(WebSettings())
    await pages.start()
    assert service.join_links is None
