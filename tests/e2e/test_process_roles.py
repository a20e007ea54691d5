"""The Procfile processes as real subprocesses, and `dojobot api-token`."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx
import jwt
import pytest

from bot.cli import main

READY_WITHIN = 30.0
SECRET = "api-secret-for-tests-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start(role: str, tmp_path: Path, port: int) -> asyncio.subprocess.Process:
    env = os.environ | {
        "DOJOBOT_DATA_DIR": str(tmp_path / "data"),
        "DOJOBOT_WEB__PORT": str(port),
        "DOJOBOT_LOG_LEVEL": "INFO",
    }
    env.pop("DATABASE_URL", None)
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", role, env=env, stderr=asyncio.subprocess.PIPE
    )


async def wait_for_line(process: asyncio.subprocess.Process, text: str) -> list[str]:
    """Read the process's log until a line contains `text`; the lines read."""
    assert process.stderr is not None
    seen: list[str] = []

    async def read() -> None:
        assert process.stderr is not None
        while line := (await process.stderr.readline()).decode():
            seen.append(line)
            if text in line:
                return
        raise AssertionError(f"exited before {text!r}: {''.join(seen)}")

    await asyncio.wait_for(read(), READY_WITHIN)
    return seen


async def stop(process: asyncio.subprocess.Process) -> int:
    process.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(process.wait(), READY_WITHIN)


async def test_web_process_serves_http_and_runs_the_clock_on_sqlite(tmp_path: Path) -> None:
    port = free_port()
    process = await start("web", tmp_path, port)
    try:
        log = await wait_for_line(process, "dojobot web process running")
        async with httpx.AsyncClient() as client:
            health = await client.get(f"http://127.0.0.1:{port}/healthz")
        assert health.status_code == 200, health.text
    finally:
        assert await stop(process) == 0
    assert not any("Traceback" in line for line in log)


async def test_clock_process_serves_no_http(tmp_path: Path) -> None:
    port = free_port()
    process = await start("clock", tmp_path, port)
    try:
        await wait_for_line(process, "dojobot clock process running")
        async with httpx.AsyncClient() as client:
            with pytest.raises(httpx.ConnectError):
                await client.get(f"http://127.0.0.1:{port}/healthz")
    finally:
        assert await stop(process) == 0


def test_api_token_is_signed_with_the_configured_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOJOBOT_WEB__API_JWT_SECRET", SECRET)
    args = ["api-token", "--member", "web:42", "--name", "Ana", "--role", "instructor"]
    assert main(args) == 0
    claims = jwt.decode(capsys.readouterr().out.strip(), SECRET, algorithms=["HS256"])
    assert (claims["sub"], claims["name"], claims["role"]) == ("web:42", "Ana", "instructor")


def test_api_token_without_a_secret_says_what_to_set(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DOJOBOT_WEB__API_JWT_SECRET", raising=False)
    monkeypatch.chdir(Path(__file__).parent)  # no .env here
    assert main(["api-token", "--member", "m", "--name", "M", "--role", "member"]) == 2
    assert "DOJOBOT_WEB__API_JWT_SECRET" in capsys.readouterr().err


@pytest.mark.parametrize("days", ["0", "-3", "99999999"])
def test_api_token_refuses_a_validity_that_cannot_work(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], days: str
) -> None:
    monkeypatch.setenv("DOJOBOT_WEB__API_JWT_SECRET", SECRET)
    args = ["api-token", "--member", "web:42", "--name", "Ana", "--role", "member", "--days", days]
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "--days" in err
