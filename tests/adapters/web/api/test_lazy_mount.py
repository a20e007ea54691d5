"""The API as the wiring mounts it (`LazyRestApi`): its routes answer from the start, the API
is built at the first request that needs it, once, and it answers what `RestApi.mount` does."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.web.api import LazyRestApi, RestApi
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.adapters.web.api.conftest import SECRET, SENSEI, token

REQUESTS: list[tuple[str, str]] = [
    ("GET", "/api/no-such-route"),
    ("PUT", "/api/training/sessions"),
    ("GET", "/api/training/sessions"),
    ("GET", "/api/training/sessions/not%20an%20id"),
    ("POST", "/api/training/sessions/abc/start"),
    ("GET", "/api/openapi.json"),
]
"""A 404 and a 405 of the router, a 401, a 404 and a 401 of the handlers, the document."""


def _service(clock: FakeClock) -> SessionService:
    return SessionService(
        InMemorySessionStore(), InMemoryVideoRooms(), RecordingChatDelivery(), clock
    )


@asynccontextmanager
async def _served(mount: Callable[[web.Application], None]) -> AsyncIterator[TestClient[Any, Any]]:
    app = web.Application()
    mount(app)
    client = TestClient(TestServer(app, host="127.0.0.1", port=0))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


async def _answers(client: TestClient[Any, Any], headers: dict[str, str]) -> list[Any]:
    seen = []
    for method, path in REQUESTS:
        async with client.request(method, path, headers=headers) as response:
            seen.append((response.status, response.headers.get("Allow"), await response.json()))
    return seen


async def test_routes_answer_before_the_api_is_built_and_it_is_built_once() -> None:
    clock = FakeClock()
    service = _service(clock)
    builds: list[RestApi] = []

    def build() -> RestApi:
        builds.append(RestApi(service, clock, SECRET))
        return builds[-1]

    lazy = LazyRestApi(build)
    async with _served(lazy.mount) as client:
        assert not lazy.built
        async with client.get("/api/no-such-route") as missing:
            assert missing.status == 404
            assert (await missing.json())["error"]["code"] == "not_found"
        assert builds == []  # the router's own 404 needs no schema
        async with client.get("/api/openapi.json") as document:
            assert document.status == 200
            assert (await document.json())["paths"].keys() == builds[0].document["paths"].keys()
        headers = {"Authorization": f"Bearer {token(SENSEI, clock)}"}
        async with client.get("/api/training/sessions", headers=headers) as listed:
            assert listed.status == 200
            assert (await listed.json())["items"] == []
    assert len(builds) == 1


async def test_the_lazy_mount_answers_what_the_eager_mount_answers() -> None:
    clock = FakeClock()
    headers = {"Authorization": "Bearer not-a-token"}
    eager = RestApi(_service(clock), clock, SECRET)
    async with _served(eager.mount) as client:
        expected = await _answers(client, headers)
    lazy = LazyRestApi(lambda: RestApi(_service(clock), clock, SECRET))
    async with _served(lazy.mount) as client:
        assert await _answers(client, headers) == expected
    assert [status for status, _allow, _body in expected] == [404, 405, 401, 401, 401, 200]
