"""Slow clients: stalled headers or bodies are dropped on deadlines; the cap evicts them first.

Real sockets against the real server (`bootstrap` with the web pages and the REST API).
Waits are deadlines (`asyncio.wait_for`), never sleeps.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from adapters.web import WebSettings
from adapters.web.api import mint_token
from bot.bootstrap import App, bootstrap
from bot.settings import Settings
from core.model import Role
from core.testing.clock import FakeClock

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SECRET = SecretStr("test-secret-that-is-long-enough-for-hs256")
Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def serve(tmp_path: Path, **web: Any) -> App:
    settings = Settings(
        data_dir=tmp_path / "data",
        web=WebSettings(port=0, api_jwt_secret=SECRET, **web),
        _env_file=None,
    )
    app = await bootstrap(settings, write=lambda _: None, clock=FakeClock(START))
    await app.start()
    assert app.web is not None and app.web.listening
    return app


@pytest.fixture
async def closing() -> AsyncIterator[list[Conn]]:
    opened: list[Conn] = []
    yield opened
    for _, writer in opened:
        writer.close()


async def stalled_body(port: int, opened: list[Conn]) -> Conn:
    """Headers of a POST announcing 1000 bytes, then one byte, then nothing."""
    token = mint_token(SECRET, "web:sensei", "Sensei", Role.INSTRUCTOR, START)
    conn = await asyncio.open_connection("127.0.0.1", port)
    conn[1].write(
        b"POST /api/training/sessions HTTP/1.1\r\nHost: dojo\r\n"
        b"Authorization: Bearer " + token.encode() + b"\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
    )
    await conn[1].drain()
    opened.append(conn)
    return conn


async def stalled_headers(port: int, opened: list[Conn]) -> Conn:
    """Half a request line's headers, then nothing."""
    conn = await asyncio.open_connection("127.0.0.1", port)
    conn[1].write(b"POST /api/training/sessions HTTP/1.1\r\nHost: dojo\r\nContent-Le")
    await conn[1].drain()
    opened.append(conn)
    return conn


async def healthz(app: App) -> int:
    assert app.web is not None
    async with httpx.AsyncClient(base_url=app.web.base_url) as client:
        response = await asyncio.wait_for(client.get("/healthz"), 1.0)
    return response.status_code


async def test_300_stalled_clients_neither_block_healthz_nor_stay(
    tmp_path: Path, closing: list[Conn], caplog: pytest.LogCaptureFixture
) -> None:
    app = await serve(tmp_path, header_timeout_seconds=2, body_timeout_seconds=2)
    assert app.web is not None
    try:
        port = app.web.port
        stalled = [await stalled_body(port, closing) for _ in range(150)]
        stalled += [await stalled_headers(port, closing) for _ in range(150)]
        assert await healthz(app) == 200
        replies = await asyncio.wait_for(asyncio.gather(*(r.read() for r, _ in stalled)), 10)
        assert all(reply.startswith(b"HTTP/1.1 408 ") for reply in replies)
        assert app.web.guard.dropped == 300 and app.web.guard.open_connections == 0
        assert await healthz(app) == 200
        assert not [r for r in caplog.records if r.exc_info]
    finally:
        await app.close()


async def test_beyond_the_cap_the_oldest_stalled_client_makes_room(
    tmp_path: Path, closing: list[Conn]
) -> None:
    app = await serve(tmp_path, max_connections=20)
    assert app.web is not None
    try:
        stalled = [await stalled_body(app.web.port, closing) for _ in range(40)]
        oldest = await asyncio.wait_for(asyncio.gather(*(r.read() for r, _ in stalled[:20])), 5)
        assert all(reply.startswith(b"HTTP/1.1 408 ") for reply in oldest)
        assert app.web.guard.open_connections <= 20
        assert await healthz(app) == 200
    finally:
        for _, writer in closing:
            writer.close()
        await app.close()


async def test_a_slow_but_timely_body_is_served(tmp_path: Path) -> None:
    app = await serve(tmp_path, body_timeout_seconds=5)
    assert app.web is not None
    token = mint_token(SECRET, "web:sensei", "Sensei", Role.INSTRUCTOR, START)
    body = b'{"title": "Kata", "start_time": "2026-12-02T18:00:00Z"}'

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(len(body)):
            yield body[i : i + 1]

    try:
        async with httpx.AsyncClient(base_url=app.web.base_url) as client:
            response = await client.post(
                "/api/training/sessions",
                content=chunks(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
        assert response.status_code == 201
        assert app.web.guard.dropped == 0
    finally:
        await app.close()
