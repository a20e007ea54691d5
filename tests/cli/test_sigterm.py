"""Issue 18, clean stops, as real subprocesses: SIGTERM stops an idle process at once with
0; a second SIGTERM during a stop that is still waiting on in-flight work exits at once; a
stop that hangs past DOJOBOT_SHUTDOWN_SECONDS says what was still running and exits 1."""

from __future__ import annotations

import asyncio
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from adapters.sql import open_sql_store
from bot import shutdown
from tests.fakes.slack_api import FakeSlackApi
from tests.pg_server import fresh_database, require_server
from tests.reliability.conftest import SENSEI
from tests.reliability.processes import REPO, WebProcess
from tests.reliability.test_deploy import SlowSlack, seed

DEFAULT_SECONDS = 10.0
WITHIN = 30.0


def read_until(stream: IO[str] | None, needle: str, within: float = WITHIN) -> str:
    """Read the child's `stream` until `needle` shows up: select-bounded (no sleeping), and
    failing at once on end of file (the child died) instead of spinning or blocking."""
    assert stream is not None
    seen = b""
    deadline = time.monotonic() + within
    while needle.encode() not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {needle!r} within {within} s: {seen!r}"
        if select.select([stream.fileno()], [], [], left)[0]:
            chunk = os.read(stream.fileno(), 4096)
            assert chunk, f"end of file before {needle!r}: {seen!r}"
            seen += chunk
    return seen.decode()


def slack_on(url: str, api: FakeSlackApi) -> dict[str, str]:
    """Slack on the fake, the store at `url`."""
    return {
        "DOJOBOT_DATABASE_URL": url,
        "DOJOBOT_SLACK__BOT_TOKEN": "xoxb-test-token",
        "DOJOBOT_SLACK__SIGNING_SECRET": "test-signing-secret",
        "DOJOBOT_SLACK__API_BASE_URL": api.base_url,
        "DOJOBOT_SLACK__CHANNEL_POST_INTERVAL_SECONDS": "0",
    }


async def test_an_idle_process_stops_cleanly_on_sigterm_within_the_deadline(
    tmp_path: Path,
) -> None:
    process = WebProcess("clock", {}, tmp_path / "clock", role="clock")
    await process.start()
    began = time.monotonic()
    code = await process.stop()
    took = time.monotonic() - began
    assert code == 0, process.log()
    assert took < DEFAULT_SECONDS, took
    assert "SIGTERM received: stopping within 10.0 s" in process.log()
    assert "stopped cleanly" in process.log()
    assert "Traceback" not in process.log()


async def test_ctrl_c_stops_a_procfile_process_cleanly_with_130(tmp_path: Path) -> None:
    process = WebProcess("web", {}, tmp_path / "web")
    await process.start()
    assert await process.stop(signal.SIGINT) == 130, process.log()
    assert "SIGINT received" in process.log() and "stopped cleanly" in process.log()


async def test_a_second_sigterm_exits_at_once_while_the_stop_waits_on_a_send(
    tmp_path: Path,
) -> None:
    slack = SlowSlack()
    slack.let_through = 0  # every reminder DM hangs at the platform
    await slack.start()
    try:
        slack.add_user(SENSEI, "Sensei")
        async with fresh_database(require_server()) as url:
            store = await open_sql_store(url)
            try:
                await seed(store, slack, sessions_count=1, members=3)
            finally:
                await store.close()
            env = slack_on(url, slack) | {"DOJOBOT_SHUTDOWN_SECONDS": "60"}
            process = WebProcess("clock", env, tmp_path / "clock", role="clock")
            await process.start()
            await slack.wait_for(lambda: slack.held >= 3, WITHIN)
            process.send(signal.SIGTERM)
            await process.wait_for_line("SIGTERM received", WITHIN)
            again = time.monotonic()
            code = await process.stop()  # again: the stop would wait 30 s for the sends
        took = time.monotonic() - again
        assert code == 128 + signal.SIGTERM, process.log()
        assert took < 5.0, took
        assert "SIGTERM received again: exiting at once" in process.log()
        assert "stopped cleanly" not in process.log()
    finally:
        slack.open()
        await asyncio.gather(*slack.landing)
        await slack.close()


def test_reading_a_dead_childs_output_fails_at_once_instead_of_spinning() -> None:
    child = [sys.executable, "-c", "print('starting')"]
    with (
        subprocess.Popen(child, stdout=subprocess.PIPE, text=True) as process,
        pytest.raises(AssertionError, match="end of file before 'You are'"),
    ):
        read_until(process.stdout, "You are")


class QuickApp:
    """An app whose every part stops at once."""

    class Clock:
        async def hand_over(self, within: float) -> bool:
            return True

    clock, web = Clock(), None

    async def close(self) -> None:
        return None


async def test_a_clean_stop_cancels_its_deadline_and_watchdog(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """In process (a test driver, a bench, a slow interpreter exit): once the stop returned,
    neither the loop's deadline nor the watchdog thread may end the process later."""
    exits: list[int] = []
    monkeypatch.setattr(shutdown, "_exit", exits.append)  # record instead of os._exit
    before = set(threading.enumerate())
    async with shutdown.stopping(QuickApp(), 0.05) as stop:  # type: ignore[arg-type]
        pass
    timers = [t for t in threading.enumerate() if t not in before]
    # past both deadlines: a timer still armed fires (and records) before its thread ends
    for timer in timers:
        await asyncio.to_thread(timer.join, WITHIN)
        assert not timer.is_alive()
    await asyncio.sleep(0)  # the loop runs any callback whose time has come
    assert exits == []
    assert stop.deadline is not None and stop.deadline.cancelled()
    assert stop.watchdog is not None and stop.watchdog.finished.is_set()


STUCK = """
import asyncio, logging, sys
from bot.shutdown import stopping

class Clock:
    async def hand_over(self, within):
        return True

class App:
    clock, web = Clock(), None

    async def close(self):
        await asyncio.Event().wait()  # a part that never finishes closing

async def main():
    async with stopping(App(), float(sys.argv[1])) as stop:
        print("ready", flush=True)
        await stop.requested.wait()

logging.basicConfig(level=logging.INFO)
asyncio.run(main())
"""


def test_a_stop_past_the_deadline_logs_what_still_runs_and_exits_non_zero() -> None:
    env = os.environ | {"PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-c", STUCK, "1.5"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        read_until(process.stdout, "ready\n")
        began = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=WITHIN)
        took = time.monotonic() - began
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 1, err
    assert 1.5 <= took < 5.0, took
    assert "still stopping after 1.5 s (DOJOBOT_SHUTDOWN_SECONDS)" in err
    assert "dojobot-stop waiting in stop_app:" in err and "> App.close:" in err, err


def test_dojobot_run_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJOBOT_")}
    env.pop("DATABASE_URL", None)
    env |= {
        "DOJOBOT_DATA_DIR": str(tmp_path / "data"),
        "DOJOBOT_WEB__PORT": "0",
        "DOJOBOT_LOG_LEVEL": "INFO",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.PIPE,  # left open: the terminal waits for input
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write("/whoami\n")
        process.stdin.flush()
        read_until(process.stdout, "You are")
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=WITHIN)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "SIGTERM received" in err and "stopped cleanly" in err, err
