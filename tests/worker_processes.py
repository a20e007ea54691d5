"""Worker processes for the two-process tests: a Python script run with `python -c`, that
prints `ready`, then answers each JSON task line on its stdin with one JSON line on its
stdout. Tasks are written to every worker before any answer is read (released at once, no
sleeps); every wait is bounded."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

READY_WITHIN = 60.0
REPO = Path(__file__).resolve().parents[1]


class Worker:
    """One worker process: `send` it a task, read its JSON answer with `line`."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, script: str, *args: str) -> Worker:
        """Run `script` with `args` (its `sys.argv[1:]`) and wait for its `ready`."""
        process = await asyncio.create_subprocess_exec(
            *(sys.executable, "-c", script, *args),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=os.environ | {"PYTHONPATH": str(REPO)},
            cwd=REPO,
        )
        worker = cls(process)
        assert await worker.line() == "ready"
        return worker

    async def line(self) -> str:
        """The next line the worker printed (bounded wait)."""
        assert self.process.stdout is not None
        read = self.process.stdout.readline()
        return (await asyncio.wait_for(read, READY_WITHIN)).decode().strip()

    def send(self, task: Any) -> None:
        """Write `task` as one JSON line (not yet drained)."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(task).encode() + b"\n")

    async def stop(self) -> None:
        """Close its stdin and wait (bounded) for it to end."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        await asyncio.wait_for(self.process.wait(), READY_WITHIN)


async def at_once(workers: Sequence[Worker], tasks: Sequence[Any]) -> list[Any]:
    """Write each worker its task (all before any answer is read), then read every answer."""
    for worker, task in zip(workers, tasks, strict=True):
        worker.send(task)
    for worker in workers:
        assert worker.process.stdin is not None
        await worker.process.stdin.drain()
    return [json.loads(await worker.line()) for worker in workers]


async def both(workers: Sequence[Worker], task: Any) -> list[Any]:
    """The same task to every worker at once; every answer."""
    return await at_once(workers, [task] * len(workers))


@asynccontextmanager
async def workers_running(script: str, *argvs: Sequence[str]) -> AsyncIterator[list[Worker]]:
    """One worker of `script` per argument list in `argvs`, stopped on the way out."""
    workers = [await Worker.start(script, *argv) for argv in argvs]
    try:
        yield workers
    finally:
        for worker in workers:
            await worker.stop()
