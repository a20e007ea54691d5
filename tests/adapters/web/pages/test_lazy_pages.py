"""`LazyPage`: a page is built at the first request to one of its routes, once."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from adapters.web.lazy_pages import LazyPage


class Counter:
    """A page that counts how often it was built and answers with its build number."""

    builds = 0

    def __init__(self) -> None:
        Counter.builds += 1
        self.number = Counter.builds

    async def hello(self, request: web.Request) -> web.StreamResponse:
        return web.Response(text=f"{request.path} from page {self.number}")


async def test_the_page_is_built_at_the_first_request_and_kept() -> None:
    Counter.builds = 0
    lazy = LazyPage(Counter)
    first, second = lazy.handler(lambda p: p.hello), lazy.handler(lambda p: p.hello)
    assert Counter.builds == 0  # mounting builds nothing
    one = await first(make_mocked_request("GET", "/a"))
    two = await second(make_mocked_request("GET", "/b"))
    assert Counter.builds == 1
    assert isinstance(one, web.Response) and isinstance(two, web.Response)
    assert (one.text, two.text) == ("/a from page 1", "/b from page 1")
