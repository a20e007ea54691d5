"""A part that refuses the start, as a real `dojobot web` process: a revoked Socket Mode
app token is one line naming DOJOBOT_SLACK__APP_TOKEN and exit 2 (a setting to fix); Slack
unreachable is one "cannot reach Slack" line and exit 1 (an outage). No traceback, and the
log never claims a clean stop after a failed start."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET, FakeSlackApi
from tests.fakes.slack_socket_mode import FakeSocketMode
from tests.reliability.processes import REPO

REVOKED = "xapp-1-A0DOJO-1-revoked"
WITHIN = 60.0


@dataclass
class Exited:
    code: int
    stderr: str


async def dojobot_web(tmp_path: Path, **env: str) -> Exited:
    """Run `python -m bot web` with Slack in Socket Mode (plus `env`) until it exits."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("DOJOBOT_", "SLACK_"))}
    inherited.pop("DATABASE_URL", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "web",
        env=inherited
        | {
            "PYTHONPATH": str(REPO),
            "DOJOBOT_DATA_DIR": str(tmp_path / "data"),
            "DOJOBOT_WEB__HOST": "127.0.0.1",
            "DOJOBOT_WEB__PORT": "0",
            "DOJOBOT_LOG_LEVEL": "INFO",
            "DOJOBOT_SLACK__BOT_TOKEN": BOT_TOKEN,
            "DOJOBOT_SLACK__SIGNING_SECRET": SIGNING_SECRET,
            "DOJOBOT_SLACK__APP_TOKEN": REVOKED,
        }
        | env,
        cwd=tmp_path,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, err = await asyncio.wait_for(process.communicate(), WITHIN)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    stderr = err.decode()
    assert "Traceback" not in stderr, stderr
    assert "stopped cleanly" not in stderr, stderr
    assert "Unclosed" not in stderr, stderr  # the Socket Mode handler's session was closed
    assert REVOKED not in stderr and BOT_TOKEN not in stderr, stderr
    return Exited(process.returncode or 0, stderr)


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlackApi]:
    api = FakeSlackApi()
    await api.start()
    socket_mode = FakeSocketMode(api)
    await socket_mode.start()
    try:
        yield api
    finally:
        await socket_mode.close()
        await api.close()


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port bound (so nobody else gets it) but not listening: connections are
    refused for as long as the test runs."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        yield int(bound.getsockname()[1])


async def test_a_revoked_app_token_is_one_line_naming_it_and_exits_2(
    tmp_path: Path, slack: FakeSlackApi
) -> None:
    exited = await dojobot_web(tmp_path, DOJOBOT_SLACK__API_BASE_URL=slack.base_url)
    assert exited.code == 2, exited.stderr
    [line] = [line for line in exited.stderr.splitlines() if "DOJOBOT_SLACK__APP_TOKEN" in line]
    assert line.startswith(
        "Configuration error: DOJOBOT_SLACK__APP_TOKEN: Slack refused the Socket Mode "
        "connection (invalid_auth): set DOJOBOT_SLACK__APP_TOKEN to an app-level token (xapp-…"
    ), line
    assert exited.stderr.rstrip().endswith(line), exited.stderr  # the last word, alone
    assert "stopped after a failure" in exited.stderr
    assert slack.calls_of("apps.connections.open")


async def test_an_unreachable_slack_is_one_line_and_exits_1(
    tmp_path: Path, closed_port: int
) -> None:
    base = f"http://127.0.0.1:{closed_port}/api/"
    exited = await dojobot_web(tmp_path, DOJOBOT_SLACK__API_BASE_URL=base)
    assert exited.code == 1, exited.stderr
    last = exited.stderr.rstrip().splitlines()[-1]
    assert last.startswith(
        f"Cannot reach Slack at {base} to open the Socket Mode connection "
        "(ClientConnectorError): check this machine's network and DOJOBOT_SLACK__API_BASE_URL"
    ), exited.stderr
