"""`/metrics` from real Procfile processes: the `web` process on its web server (behind the
bearer token), the `clock` process, which has no web server, on its metrics port."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from tests.reliability.processes import REPO, free_port

READY_WITHIN = 30.0
TOKEN = "metrics-token-for-tests-0123456789"


@asynccontextmanager
async def process(role: str, data_dir: Path, env: dict[str, str]) -> AsyncIterator[list[str]]:
    """`python -m bot <role>` until it logs that it runs; its log lines (drained while it
    runs); SIGTERM on the way out, and a clean exit asserted."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("DOJOBOT_")}
    inherited.pop("DATABASE_URL", None)
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        role,
        env=inherited
        | env
        | {
            "DOJOBOT_DATA_DIR": str(data_dir),
            "DOJOBOT_LOG_LEVEL": "INFO",
            "PYTHONPATH": str(REPO),
        },
        cwd=data_dir,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    lines: list[str] = []
    ready = asyncio.Event()

    async def drain() -> None:
        assert child.stderr is not None
        while line := (await child.stderr.readline()).decode(errors="replace"):
            lines.append(line)
            if f"dojobot {role} process running" in line:
                ready.set()

    reader = asyncio.create_task(drain())
    try:
        waiter = asyncio.create_task(ready.wait())
        await asyncio.wait({waiter, reader}, timeout=READY_WITHIN, return_when="FIRST_COMPLETED")
        waiter.cancel()
        assert ready.is_set(), "".join(lines)
        yield lines
    finally:
        if child.returncode is None:
            child.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(child.wait(), READY_WITHIN)
        await asyncio.wait_for(reader, READY_WITHIN)
        assert code == 0, "".join(lines)
    assert not [line for line in lines if "Traceback" in line], "".join(lines)


async def test_the_web_process_serves_its_metrics_behind_the_token(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "DOJOBOT_WEB__HOST": "127.0.0.1",
        "DOJOBOT_WEB__PORT": str(port),
        "DOJOBOT_METRICS__TOKEN": TOKEN,
    }
    url = f"http://127.0.0.1:{port}"
    async with process("web", tmp_path, env) as log, httpx.AsyncClient(base_url=url) as client:
        assert (await client.get("/healthz")).status_code == 200
        refused = await client.get("/metrics")
        assert refused.status_code == 401 and TOKEN not in refused.text
        scraped = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert scraped.status_code == 200, scraped.text
    text = scraped.text
    assert 'dojobot_process_info{role="web"} 1.0' in text
    assert 'dojobot_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in text
    assert 'dojobot_http_requests_total{method="GET",route="/metrics",status="401"} 1.0' in text
    assert "dojobot_clock_leading 1.0" in text  # SQLite: the one process runs the clock
    assert TOKEN not in text and not any(TOKEN in line for line in log)


async def test_the_clock_process_serves_its_metrics_on_its_own_port(tmp_path: Path) -> None:
    web_port, metrics_port = free_port(), free_port()
    env = {
        "DOJOBOT_WEB__PORT": str(web_port),
        "DOJOBOT_METRICS__PORT": str(metrics_port),
    }
    async with process("clock", tmp_path, env) as log, httpx.AsyncClient() as client:
        scraped = await client.get(f"http://127.0.0.1:{metrics_port}/metrics")
        unknown = await client.get(f"http://127.0.0.1:{metrics_port}/healthz")
        try:
            await client.get(f"http://127.0.0.1:{web_port}/metrics")
            web_served = True
        except httpx.ConnectError:
            web_served = False
    assert scraped.status_code == 200, scraped.text
    assert 'dojobot_process_info{role="clock"} 1.0' in scraped.text
    assert "dojobot_clock_leading 1.0" in scraped.text
    assert "# TYPE dojobot_reminders_sent_total counter" in scraped.text
    assert unknown.status_code == 404  # only /metrics on that port
    assert not web_served  # the clock process has no web server
    assert any(f"metrics served on http://127.0.0.1:{metrics_port}/metrics" in x for x in log)
