"""The attendance CSV export measured from outside: a server process, a streaming client.

`ExportClient.find()` is the client when the REST API has `GET /api/attendance.csv` (else
why not). `serving(url, secret)` starts `bench.training_export_server` on the store and
yields a `Served` whose `export(first_day, last_day)` streams one export as an admin:
rows counted as the body arrives, the server process's RSS read before and at its peak
(VmHWM after a `clear_refs` reset, and VmRSS sampled every 20 ms meanwhile).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jwt  # noqa: F401  # before pygal, whose import hook warns on missing optional modules
from pydantic import SecretStr

from bench.report import REPO
from bench.training_data import ADMIN_ID, NOW

PATH = "/api/attendance.csv"
FIRST_DAY, LAST_DAY = "from", "to"
"""The export's query parameters: inclusive days in the association's time zone."""
SAMPLE_EVERY = 0.02


@dataclass
class Export:
    """One streamed export: rows, time, and the server's memory (bytes)."""

    rows: int
    seconds: float
    rss_before: int
    rss_peak: int
    cpu: float = 0.0
    """The server process's CPU time (user + system) during the export."""

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def rows_per_cpu_second(self) -> float:
        return self.rows / self.cpu if self.cpu else 0.0

    @property
    def growth(self) -> int:
        return max(0, self.rss_peak - self.rss_before)


class ExportClient:
    """Starts export servers and reads their exports."""

    @classmethod
    def find(cls) -> ExportClient | str:
        """The client, or why the export cannot be measured."""
        from adapters.web.api.paths import ROUTES

        if not any(route.path == PATH and route.method == "GET" for route in ROUTES):
            return f"not available (no GET {PATH} in the REST API)"
        return cls()

    @contextlib.asynccontextmanager
    async def serving(self, url: str, secret: SecretStr) -> AsyncIterator[Served]:
        """A server process on `url`'s store for as long as the block runs."""
        from bench.training_export_server import SECRET_ENV

        env = dict(os.environ, **{SECRET_ENV: secret.get_secret_value()})
        env["PYTHONPATH"] = str(REPO)
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.training_export_server",
            url,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=env,
            cwd=REPO,
        )
        try:
            assert process.stdout is not None
            line = (await process.stdout.readline()).decode()
            if not line.startswith("READY "):
                raise RuntimeError(f"the export server did not start: {line!r}")
            yield Served(process.pid, int(line.split()[1]), secret)
        finally:
            if process.stdin is not None:
                process.stdin.close()
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()


@dataclass
class Served:
    """A running export server."""

    pid: int
    port: int
    secret: SecretStr

    def token(self) -> str:
        from adapters.web.api.auth import mint_token
        from core.model import Role

        return mint_token(self.secret, ADMIN_ID, "Admin", Role.ADMIN, NOW)

    async def export(self, first_day: date, last_day: date) -> Export:
        """Stream one export; rows are the body's lines after the header."""
        import aiohttp

        headers = {"Authorization": f"Bearer {self.token()}"}
        params = {FIRST_DAY: first_day.isoformat(), LAST_DAY: last_day.isoformat()}
        url = f"http://127.0.0.1:{self.port}{PATH}"
        timeout = aiohttp.ClientTimeout(total=None, sock_read=600)
        async with aiohttp.ClientSession(timeout=timeout) as client:
            before = rss(self.pid, "VmRSS")
            reset = reset_peak(self.pid)
            peak = Peak(self.pid)
            sampler = asyncio.create_task(peak.sample())
            lines = 0
            cpu = cpu_seconds(self.pid)
            began = time.perf_counter()
            try:
                async with client.get(url, params=params, headers=headers) as response:
                    if response.status != 200:
                        body = (await response.text())[:300]
                        raise RuntimeError(f"{PATH} answered {response.status}: {body}")
                    async for chunk in response.content.iter_chunked(1 << 16):
                        lines += chunk.count(b"\n")
                seconds = time.perf_counter() - began
                cpu = cpu_seconds(self.pid) - cpu
            finally:
                sampler.cancel()
            top = max(peak.highest, rss(self.pid, "VmHWM") if reset else 0)
        return Export(max(0, lines - 1), seconds, before, top, cpu)


class Peak:
    """The highest VmRSS seen while sampling."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.highest = 0

    async def sample(self) -> None:
        while True:
            self.highest = max(self.highest, rss(self.pid, "VmRSS"))
            await asyncio.sleep(SAMPLE_EVERY)


def rss(pid: int, field: str) -> int:
    """A `/proc/<pid>/status` memory field (VmRSS, VmHWM) in bytes (0 when unreadable)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        return 0
    return 0


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user + system, `/proc/<pid>/stat`)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_peak(pid: int) -> bool:
    """Reset the process's VmHWM to its current RSS (Linux `clear_refs` 5); False when not
    permitted (then only the 20 ms samples see the peak)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True
