"""Malformed HTTP from anyone: answered 4xx by the real server, logged as one bounded line."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from tests.adapters.web.pages.test_slow_clients import serve

MALFORMED = [
    b"GET /healthz HTTP/1.1\r\nHost: dojo\r\nX-Long: " + b"a" * 9000 + b"\r\n\r\n",
    b"POST /api/training/sessions HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: dojo\r\nBad Header\r\n\r\n",
    b"GET /\x00 HTTP/1.1\r\n\r\n",
]


async def test_malformed_requests_are_4xx_and_one_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = await serve(tmp_path)
    assert app.web is not None
    caplog.set_level(logging.DEBUG)
    try:
        for _ in range(10):
            for raw in MALFORMED:
                reader, writer = await asyncio.open_connection("127.0.0.1", app.web.port)
                writer.write(raw)
                reply = await asyncio.wait_for(reader.read(), 5)
                writer.close()
                assert reply.split(b" ")[1].startswith(b"4"), reply[:60]
    finally:
        await app.close()
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert len([r for r in caplog.records if "malformed HTTP request" in r.getMessage()]) == 1
