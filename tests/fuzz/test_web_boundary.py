"""The web pages: an unexpected error is a 500 page with a ref (logged once with it), and
the server keeps serving; fuzzed paths never reach that boundary."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from urllib.parse import quote

import httpx
from hypothesis import given
from hypothesis import strategies as st

from adapters.web import WebSettings
from bot.bootstrap import App, bootstrap
from bot.settings import Settings
from core.failures import FAILURE_PREFIX
from core.testing.clock import FakeClock
from tests.fuzz.inputs import EXAMPLES, FUZZ, Failures, tokens
from tests.fuzz.rigs import START, BreakableStore


async def web_app(tmp_path: Path, store: BreakableStore) -> App:
    settings = Settings(data_dir=tmp_path / "data", web=WebSettings(port=0), _env_file=None)
    app = await bootstrap(settings, write=lambda _: None, clock=FakeClock(START), store=store)
    await app.start()
    return app


async def test_an_unexpected_error_is_a_500_page_with_a_ref(tmp_path: Path) -> None:
    store = BreakableStore()
    app = await web_app(tmp_path, store)
    assert app.web is not None
    try:
        async with httpx.AsyncClient(base_url=app.web.base_url) as client:
            store.broken = True
            with Failures() as failures:
                failed = await client.get("/calendar.ics")
            assert failed.status_code == 500
            found = re.search(r"Something went wrong \(ref ([0-9A-F]{6})\)", failed.text)
            assert found, failed.text
            [record] = failures.records
            assert found.group(1) in record.getMessage() and record.exc_info is not None
            assert "Traceback" not in failed.text and "RuntimeError" not in failed.text
            store.broken = False
            assert (await client.get("/calendar.ics")).status_code == 200
            assert (await client.get("/healthz")).status_code == 200
    finally:
        await app.close()


def test_fuzzed_paths_never_reach_the_boundary(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    app = loop.run_until_complete(web_app(tmp_path, BreakableStore()))
    assert app.web is not None
    client = httpx.AsyncClient(base_url=app.web.base_url)
    prefixes = ["/join/", "/sessions/", "/sessions/x.ics?", "/calendar.ics?tz=", "/assets/"]

    tried: list[int] = []

    @FUZZ
    @given(prefix=st.sampled_from(prefixes), word=tokens)
    def served(prefix: str, word: str) -> None:
        tried.append(1)
        response = loop.run_until_complete(client.get(prefix + quote(word, safe="")))
        assert response.status_code < 500 or response.status_code == 503, (prefix, word)
        assert FAILURE_PREFIX not in response.text

    try:
        with Failures() as failures:
            served()
        assert len(tried) >= EXAMPLES  # every input was tried
        assert not failures.records, [r.getMessage() for r in failures.records[:3]]
    finally:
        loop.run_until_complete(client.aclose())
        loop.run_until_complete(app.close())
        loop.close()
