"""Ctrl-C stops `dojobot run` at once, whether the terminal is a pipe left open or a real
terminal (pty) waiting at the prompt: no need to press Enter first."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

STOPS_WITHIN = 10.0
"""Generous for a loaded CI machine; the old code never stopped (it waited for Enter)."""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJOBOT_")}
    env.pop("DATABASE_URL", None)
    return env | {"DOJOBOT_DATA_DIR": str(tmp_path / "data"), "DOJOBOT_WEB__PORT": "0"}


def _read_until(fd: int, needle: bytes, within: float = 60.0) -> bytes:
    """Read `fd` until `needle` shows up (select-bounded, no sleeping)."""
    seen = b""
    deadline = time.monotonic() + within
    while needle not in seen:
        left = deadline - time.monotonic()
        assert left > 0, seen
        if select.select([fd], [], [], left)[0]:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the pty closed
                chunk = b""
            assert chunk, seen
            seen += chunk
    return seen


def _stopped_by_sigint(process: subprocess.Popen[bytes]) -> tuple[int, float]:
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    try:
        code = process.wait(timeout=STOPS_WITHIN)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise AssertionError(f"still running {STOPS_WITHIN} s after Ctrl-C") from None
    return code, time.monotonic() - sent


def _reap(process: subprocess.Popen[bytes]) -> None:
    """Never leave the child running when an assertion failed before it stopped."""
    if process.poll() is None:
        process.kill()
        process.wait()


def test_ctrl_c_stops_at_once_with_stdin_left_open(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=_env(tmp_path),
        cwd=tmp_path,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write(b"/whoami\n")
        process.stdin.flush()
        _read_until(process.stdout.fileno(), b"You are admin")
        code, _ = _stopped_by_sigint(process)  # stdin is still open: nothing more to read
        assert code == 130
    finally:
        _reap(process)
        process.stdin.close()
        process.stdout.close()


def test_ctrl_c_stops_the_prompt_of_a_real_terminal(tmp_path: Path) -> None:
    leader, follower = os.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=_env(tmp_path),
        cwd=tmp_path,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        start_new_session=True,  # no job-control signals from the test run's own terminal
    )
    os.close(follower)
    try:
        _read_until(leader, b"/quit to stop")  # the banner of an interactive terminal
        os.write(leader, b"/whoami\n")
        answered = _read_until(leader, b"You are admin")
        if b"\n> " not in answered.split(b"You are admin", 1)[1]:
            _read_until(leader, b"> ")  # waiting at the prompt again
        code, _ = _stopped_by_sigint(process)
        assert code == 130
    finally:
        _reap(process)
        os.close(leader)
