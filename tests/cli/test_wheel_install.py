"""`pip install .` gives a working `dojobot`: the wheel is built from a copy of the sources,
installed with its runtime dependencies only into a fresh virtualenv (one per test session),
and run from a directory outside the repository, so nothing is imported from the source tree.
Its web server then serves a page and the pages' assets from the installed package."""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "core", "adapters", "bot")
"""What the build reads (pyproject's readme and packages)."""
INSTALL_TIMEOUT = 900


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _clean_env(home: Path) -> dict[str, str]:
    """The machine's environment without dojobot settings or a path into the sources."""
    dropped = ("DOJOBOT_", "DATABASE_URL", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    return env | {"DOJOBOT_DATA_DIR": str(home / "data")}


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `bin` directory of a fresh virtualenv with the dojobot wheel installed."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    source.mkdir()
    for name in SOURCES:
        origin = REPO / name
        if origin.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
            shutil.copytree(origin, source / name, ignore=ignore)
        else:
            shutil.copy2(origin, source / name)
    python = sys.executable
    _run([python, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(root / "dist"), "."], source)
    [wheel] = (root / "dist").glob("dojobot-*.whl")
    # No pip inside the new virtualenv (ours installs into it) and no byte-compiling: faster.
    _run([python, "-m", "venv", "--without-pip", str(root / "venv")], root)
    bin_dir = root / "venv" / "bin"
    target = ["--python", str(bin_dir / "python")]
    _run([python, "-m", "pip", *target, "install", "-q", "--no-compile", str(wheel)], root)
    return bin_dir


def _read_until(fd: int, pattern: re.Pattern[bytes], within: float = 120.0) -> re.Match[bytes]:
    """Read `fd` until `pattern` matches what was read (select-bounded, no sleeping)."""
    seen = b""
    deadline = time.monotonic() + within
    while (found := pattern.search(seen)) is None:
        left = deadline - time.monotonic()
        assert left > 0, seen
        if select.select([fd], [], [], left)[0]:
            chunk = os.read(fd, 4096)
            assert chunk, seen
            seen += chunk
    return found


def _planned(target: str, tmp_path: Path) -> str:
    """What `make <target>` would run on a fresh clone (no virtualenv yet): `make -n`."""
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(REPO / name, tmp_path / name)
    # --no-print-directory: under `make test` (MAKELEVEL set) make would add its
    # "Entering directory" lines around the plan
    return _run(["make", "-n", "--no-print-directory", target], tmp_path)


def test_make_run_installs_only_what_running_needs(tmp_path: Path) -> None:
    run = _planned("run", tmp_path)
    assert "pip install --quiet -e .\n" in run, run
    assert "[dev]" not in run, run
    assert run.rstrip().endswith(".venv/bin/dojobot run"), run


def test_make_test_installs_the_rest(tmp_path: Path) -> None:
    test = _planned("test", tmp_path)
    installs = [line for line in test.splitlines() if "pip install --quiet -e" in line]
    assert [line.rsplit(" ", 1)[-1] for line in installs] == [".", "'.[dev]'"], test
    assert "pytest" in test and "mypy" in test and "ruff check" in test, test


@pytest.mark.timeout(INSTALL_TIMEOUT)
def test_the_installed_command_runs_outside_the_sources(installed: Path, tmp_path: Path) -> None:
    env = _clean_env(tmp_path)
    assert "usage: dojobot" in _run([str(installed / "dojobot"), "--help"], tmp_path, env)
    where = _run(
        [str(installed / "python"), "-c", "import bot, adapters; print(bot.__file__)"],
        tmp_path,
        env,
    )
    assert where.startswith(str(installed.parent)), where  # the venv's copy, not the repo's
    check = _run([str(installed / "dojobot"), "check", "--skip", "web"], tmp_path, env)
    assert check.splitlines()[1].startswith(f"ok   database  sqlite at {tmp_path}/data/"), check
    # only what running needs was installed: no test or type-checking tools
    probe = "import importlib.util as u; print([m for m in ('pytest', 'mypy', 'selenium', "
    probe += "'schemathesis', 'hypothesis') if u.find_spec(m)])"
    assert _run([str(installed / "python"), "-c", probe], tmp_path, env).strip() == "[]"


@pytest.mark.timeout(INSTALL_TIMEOUT)
def test_run_script_serves_a_page_and_its_assets_from_the_wheel(
    installed: Path, tmp_path: Path
) -> None:
    # port 0: the system picks a free port as the server binds (no probe-then-release race);
    # the server's log line says which
    env = _clean_env(tmp_path) | {"DOJOBOT_WEB__PORT": "0", "DOJOBOT_LOG_LEVEL": "INFO"}
    script = tmp_path / "script.fifo"
    os.mkfifo(script)
    # Held open for writing (and reading, so opening never blocks) until the pages are
    # fetched: closing it is the script's end of file, and dojobot then exits.
    writer = os.open(script, os.O_RDWR)
    os.write(writer, b'/schedule-session "Kata basics" tomorrow 18:00 public\n')
    process = subprocess.Popen(
        [str(installed / "dojobot"), "run", "--script", str(script)],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # the log, in order with what the terminal prints
    )
    assert process.stdout is not None
    try:
        scheduled = _read_until(process.stdout.fileno(), re.compile(rb"\(id ([a-z0-9-]+)\)"))
        session_id = scheduled.group(1).decode()
        # logged while starting, before the terminal reads the script
        listening = re.search(rb"web server listening on http://[^:\s]+:(\d+)", scheduled.string)
        assert listening is not None, scheduled.string
        base = f"http://127.0.0.1:{int(listening.group(1))}"
        style = httpx.get(f"{base}/assets/style.css", timeout=30)
        assert style.status_code == 200, style
        assert style.headers["content-type"].startswith("text/css")
        assert style.content == (REPO / "adapters" / "web" / "assets" / "style.css").read_bytes()
        page = httpx.get(f"{base}/sessions/{session_id}", timeout=30)
        assert page.status_code == 200, page
        assert "Kata basics" in page.text and "/assets/" in page.text
    finally:
        os.close(writer)
        try:
            code = process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
    assert code == 0


@pytest.mark.timeout(INSTALL_TIMEOUT)
def test_the_wheel_ships_the_message_catalogues(installed: Path, tmp_path: Path) -> None:
    """The .po files are package data: a text renders in Japanese from the installed copy."""
    probe = (
        "from adapters.i18n import BabelLanguages; from core.i18n import t; "
        "print(t('Nothing to change.').render(BabelLanguages().translator('ja-JP')))"
    )
    said = _run([str(installed / "python"), "-c", probe], tmp_path, _clean_env(tmp_path))
    assert said.strip() == "変更する内容がありません。"
