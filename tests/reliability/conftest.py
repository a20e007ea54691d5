"""Fixtures of the reliability suite: an empty PostgreSQL database, the fake Slack and the
fake RealtimeKit on loopback, and the environment of `dojobot web` processes using them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.sql import SqlSessionStore, open_sql_store
from tests.fakes.realtimekit_api import (
    ACCOUNT,
    APP,
    TOKEN,
    FakeRealtimeKit,
    WebhookSigner,
    running_fake_realtimekit,
)
from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, FakeSlackApi
from tests.pg_server import fresh_database, require_server
from tests.reliability.processes import WebProcess

SENSEI = "U0SENSEI"
CHANNEL = "C0DOJO"
SIGNER = WebhookSigner()


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """An empty database on the test PostgreSQL server, dropped afterwards."""
    async with fresh_database(require_server()) as url:
        yield url


@pytest.fixture
async def pg_store(pg_url: str) -> AsyncIterator[SqlSessionStore]:
    """The test's own view of the processes' database (migrated)."""
    store = await open_sql_store(pg_url)
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackApi]:
    """The fake Slack Web API both processes call (one workspace, one instructor)."""
    api = FakeSlackApi()
    await api.start()
    api.add_user(SENSEI, "Sensei", "Europe/Berlin")
    try:
        yield api
    finally:
        await api.close()


@pytest.fixture
async def realtimekit() -> AsyncIterator[FakeRealtimeKit]:
    async with running_fake_realtimekit() as fake:
        yield fake


def slack_env(pg_url: str, api: FakeSlackApi) -> dict[str, str]:
    """A `dojobot web` on the database with the Slack front end on the fake."""
    return {
        "DOJOBOT_DATABASE_URL": pg_url,
        "DOJOBOT_SLACK__BOT_TOKEN": BOT_TOKEN,
        "DOJOBOT_SLACK__SIGNING_SECRET": SIGNING_SECRET,
        "DOJOBOT_SLACK__API_BASE_URL": api.base_url,
        "DOJOBOT_SLACK__INSTRUCTORS": json.dumps([SENSEI]),
        "DOJOBOT_SLACK__CHANNEL_POST_INTERVAL_SECONDS": "0",
    }


def realtimekit_env(fake: FakeRealtimeKit) -> dict[str, str]:
    """…plus RealtimeKit rooms on the fake and webhooks signed by `SIGNER`."""
    return {
        "DOJOBOT_REALTIMEKIT__ACCOUNT_ID": ACCOUNT,
        "DOJOBOT_REALTIMEKIT__APP_ID": APP,
        "DOJOBOT_REALTIMEKIT__API_TOKEN": TOKEN,
        "DOJOBOT_REALTIMEKIT__BASE_URL": fake.base_url,
        "DOJOBOT_REALTIMEKIT__WEBHOOK_PUBLIC_KEY": SIGNER.public_pem,
        "DOJOBOT_REALTIMEKIT__BACKOFF_SECONDS": "0",
    }


def web_processes(tmp_path: Path, env: dict[str, str], count: int = 2) -> list[WebProcess]:
    return [WebProcess(f"web{n}", env, tmp_path / f"web{n}") for n in range(count)]
