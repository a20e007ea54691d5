"""`dojobot export` / `dojobot import` as real processes: SQLite → PostgreSQL → SQLite gives
identical contents; refusals are one line with exit status 1 and leave the target empty; the
progress bar shows on a terminal only."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import pty
import struct
import subprocess
import termios
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from adapters.sql import open_sql_store
from adapters.sql.migrations import head_version
from adapters.sql.schema import metadata
from bot.cli import main
from tests.cli.export_cli import clean_env, dojobot, lines_of, sqlite_settings
from tests.contract.conftest import sqlite_url
from tests.contract.dump_scene import populate
from tests.pg_server import fresh_database, require_server


async def _populated_sqlite(path: Path) -> None:
    store = await open_sql_store(sqlite_url(path))
    try:
        await populate(store)
    finally:
        await store.close()


async def _contents(path: Path) -> dict[str, list[Any]]:
    """Every row of every table of a SQLite database, surrogate ids included, by key."""
    store = await open_sql_store(sqlite_url(path))
    try:
        async with store.engine.connect() as connection:
            return {
                table.name: [
                    tuple(row)
                    for row in await connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ]
                for table in metadata.sorted_tables
            }
    finally:
        await store.close()


async def _run(cwd: Path, *args: str, settings: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(partial(dojobot, cwd, *args, settings=settings))


async def test_sqlite_to_postgresql_to_sqlite_gives_identical_contents(tmp_path: Path) -> None:
    first, last = tmp_path / "first.db", tmp_path / "last.db"
    await _populated_sqlite(first)
    async with fresh_database(require_server()) as pg_url:
        # as Heroku gives it: DATABASE_URL, libpq spelling
        heroku = make_url(pg_url).set(drivername="postgres").render_as_string(hide_password=False)
        steps = [
            (("export", "a.jsonl"), sqlite_settings(first)),
            (("import", "a.jsonl"), {"DATABASE_URL": heroku}),
            (("export", "b.jsonl"), {"DOJOBOT_DATABASE_URL": pg_url}),
            (("import", "b.jsonl"), sqlite_settings(last)),
            (("export", "c.jsonl"), sqlite_settings(last)),
        ]
        for args, settings in steps:
            done = await _run(tmp_path, *args, settings=settings)
            assert done.returncode == 0, done.stderr
            assert done.stderr.strip().endswith(("records to " + args[1], "from " + args[1]))
    a, b, c = (lines_of(tmp_path / name) for name in ("a.jsonl", "b.jsonl", "c.jsonl"))
    assert a[0]["format"] == "dojobot-export" and a[0]["schema"] == head_version()
    assert a[-1] == {"end": True, "records": len(a) - 2} and len(a) > 15
    assert a[1:] == b[1:] == c[1:]
    assert await _contents(first) == await _contents(last)


def _write(path: Path, lines: list[Any]) -> None:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """The lines of an export of the populated scene (written once by the real CLI)."""
    folder = tmp_path_factory.mktemp("export")
    asyncio.run(_populated_sqlite(folder / "source.db"))
    done = dojobot(folder, "export", "scene.jsonl", settings=sqlite_settings(folder / "source.db"))
    assert done.returncode == 0, done.stderr
    return lines_of(folder / "scene.jsonl")


def _import(
    tmp_path: Path, lines: list[Any] | str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> tuple[int, str, str]:
    """Import `lines` into a fresh SQLite store through `bot.cli.main` (in this process: the
    real-process runs are above); its status, its stderr and what the store then exports."""
    file = tmp_path / "in.jsonl"
    if isinstance(lines, str):
        file.write_text(lines)
    else:
        _write(file, lines)
    monkeypatch.chdir(tmp_path)
    for name, value in clean_env(**sqlite_settings(tmp_path / "target.db")).items():
        monkeypatch.setenv(name, value)
    for name in os.environ.keys() - clean_env().keys():
        monkeypatch.delenv(name)
    code = main(["import", "in.jsonl"])
    said = capsys.readouterr().err
    assert main(["export", "after.jsonl"]) == 0
    return code, said, capsys.readouterr().err.strip()


def test_import_into_a_store_holding_sessions_is_refused_in_one_line(
    tmp_path: Path, exported: list[Any]
) -> None:
    _write(tmp_path / "in.jsonl", exported)
    target = sqlite_settings(tmp_path / "target.db")
    assert dojobot(tmp_path, "import", "in.jsonl", settings=target).returncode == 0
    again = dojobot(tmp_path, "import", "in.jsonl", settings=target)
    assert again.returncode == 1
    assert again.stderr == (
        "import refused: the target store already holds 2 sessions; import needs an empty store\n"
    )


def _corrupt_line(lines: list[Any]) -> str:
    text = [json.dumps(line) for line in lines]
    text[6] = text[6][:40]  # line 7, cut in the middle
    return "".join(t + "\n" for t in text)


REFUSED_FILES = {
    "corrupt line": (_corrupt_line, "line 7: not valid JSON"),
    "bad value": (
        lambda ls: [
            line | {"row": line["row"] | {"position": "2"}}
            if line.get("table") == "rsvps"
            else line
            for line in ls
        ],
        "rsvps.position must be a whole number, not '2'",
    ),
    "another format version": (
        lambda ls: [ls[0] | {"version": 2}, *ls[1:]],
        "line 1: export format version 2 is not supported (this dojobot reads version 1)",
    ),
    "another schema": (
        lambda ls: [ls[0] | {"schema": 1}, *ls[1:]],
        "line 1: the file follows schema version 1",
    ),
    "not an export": (lambda ls: [{"sessions": []}], "line 1: not a dojobot export"),
    "cut short": (lambda ls: ls[:-3], "the export was cut short"),
}


@pytest.mark.parametrize("case", list(REFUSED_FILES))
def test_a_refused_file_writes_nothing_and_says_why_in_one_line(
    tmp_path: Path,
    exported: list[Any],
    case: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    corrupt, says = REFUSED_FILES[case]
    code, said, after = _import(tmp_path, corrupt(exported), monkeypatch, capsys)
    assert code == 1
    assert said.startswith("import refused: ") and says in said, said
    assert said.count("\n") == 1
    assert after == "exported 0 records to after.jsonl"


def _stderr_on_a_terminal(cwd: Path, *args: str, settings: dict[str, str]) -> tuple[int, str]:
    master, slave = pty.openpty()
    # a terminal 100 columns wide (a bare pty has no size: tqdm would draw a 0-wide bar)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        done = dojobot(cwd, *args, settings=settings, stderr=slave)
    finally:
        os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's other end is closed and drained
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    return done.returncode, output.decode(errors="replace")


def test_progress_bar_on_a_terminal_only(tmp_path: Path, exported: list[Any]) -> None:
    _write(tmp_path / "in.jsonl", exported)
    target = sqlite_settings(tmp_path / "target.db")
    code, shown = _stderr_on_a_terminal(tmp_path, "import", "in.jsonl", settings=target)
    assert code == 0 and "%|" in shown and "B/s" in shown, shown
    code, shown = _stderr_on_a_terminal(tmp_path, "export", "out.jsonl", settings=target)
    assert code == 0 and "%|" in shown and "rows/s" in shown, shown
    piped = dojobot(tmp_path, "export", "again.jsonl", settings=target)
    assert piped.stderr == f"exported {len(exported) - 2} records to again.jsonl\n"
