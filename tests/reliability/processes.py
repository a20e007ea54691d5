"""Real `python -m bot web` processes for the reliability suite: started with an environment,
ready once they log that they run (bounded wait, no sleeps), their log drained while they
run (a full pipe would block them), stopped with SIGTERM.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

READY_WITHIN = 20.0
READY_LINE = "dojobot web process running"
REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class WebProcess:
    """One `dojobot web` subprocess on its own port (or another Procfile `role`)."""

    def __init__(self, name: str, env: dict[str, str], data_dir: Path, role: str = "web") -> None:
        self.name = name
        self.role = role
        self.port = free_port()
        self.data_dir = data_dir
        self.env = env
        self.lines: list[str] = []
        self._stopped_at: int | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._drain: asyncio.Task[None] | None = None
        self._logged = asyncio.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Start the process and return once it serves (its log says so)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("DOJOBOT_")}
        inherited.pop("DATABASE_URL", None)
        env = inherited | self.env
        env |= {
            "DOJOBOT_DATA_DIR": str(self.data_dir),
            "DOJOBOT_WEB__HOST": "127.0.0.1",
            "DOJOBOT_WEB__PORT": str(self.port),
            "DOJOBOT_LOG_LEVEL": "INFO",
            "PYTHONPATH": str(REPO),
        }
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            self.role,
            env=env,
            cwd=self.data_dir,  # no .env of the developer's is read
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        ready = asyncio.Event()
        self._drain = asyncio.create_task(self._read_log(ready))
        waiter = asyncio.create_task(ready.wait())
        await asyncio.wait(
            {waiter, self._drain}, timeout=READY_WITHIN, return_when=asyncio.FIRST_COMPLETED
        )
        waiter.cancel()
        if not ready.is_set():
            raise AssertionError(f"{self.name} did not start:\n{self.log()}")

    async def _read_log(self, ready: asyncio.Event) -> None:
        assert self._process is not None and self._process.stderr is not None
        stream = self._process.stderr
        while line := (await stream.readline()).decode(errors="replace"):
            self.lines.append(line)
            self._logged.set()
            if f"dojobot {self.role} process running" in line:
                ready.set()
        self._logged.set()  # the end of the log: waiters see it

    async def wait_for_line(self, text: str, within: float = READY_WITHIN) -> None:
        """Return once a logged line contains `text` (bounded; fails at the end of the log)."""
        async with asyncio.timeout(within):
            while not any(text in line for line in self.lines):
                assert self._drain is not None and not self._drain.done(), self.log()
                self._logged.clear()
                await self._logged.wait()

    def send(self, signum: int) -> None:
        """Send `signum` to the running process (`stop` waits for it to end)."""
        assert self._process is not None and self._process.returncode is None
        self._process.send_signal(signum)

    def log(self) -> str:
        return "".join(self.lines[-200:])

    def tracebacks(self) -> list[str]:
        """Tracebacks logged while serving (before `stop` was asked)."""
        serving = self.lines[: self._stopped_at]
        return [line for line in serving if "Traceback" in line]

    async def stop(self, signum: int = signal.SIGTERM) -> int:
        """SIGTERM (or `signum`), then wait (bounded) for the exit code and the end of
        the log."""
        if self._process is None:
            return 0
        process, self._process = self._process, None
        self._stopped_at = len(self.lines)
        if process.returncode is None:
            process.send_signal(signum)
        try:
            code = await asyncio.wait_for(process.wait(), READY_WITHIN)
        except TimeoutError:
            process.kill()
            code = await process.wait()
        if self._drain is not None:
            await asyncio.wait_for(self._drain, READY_WITHIN)
        return code


@asynccontextmanager
async def running(*processes: WebProcess) -> AsyncIterator[tuple[WebProcess, ...]]:
    """Start the processes together; stop them all on the way out (even after a failure)."""
    async with AsyncExitStack() as stack:
        for process in processes:
            stack.push_async_callback(process.stop)
        await asyncio.gather(*(p.start() for p in processes))
        yield processes
