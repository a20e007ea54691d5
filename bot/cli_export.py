"""`dojobot export [FILE|-]` and `dojobot import FILE`: the whole store to one file of JSON
lines and back, into an empty store of any kind (moving from SQLite to PostgreSQL).

The store is the configured one (DOJOBOT_DATABASE_URL / DATABASE_URL, or ZeroDB). A progress
bar goes to stderr when it is a terminal. Exit status: 0 done, 1 refused or failed (one line
saying why), 2 invalid configuration. The file format is in docs/operations.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Never

from bot.cli import Subcommand

if TYPE_CHECKING:
    from tqdm import tqdm

    from bot.settings import Settings
    from core.ports import SessionStore, StoreDump


def _add_export(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "export",
        help="write the whole store to a file of JSON lines",
        description="Write every session, RSVP, reminder, delivery, attendance stay, event and "
        "webhook id of the configured store to FILE (JSON lines; - for stdout), streamed. "
        "Load it into another store with `dojobot import`.",
    )
    parser.add_argument("file", nargs="?", default="-", metavar="FILE", help="default: stdout")


def _add_import(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "import",
        help="load a `dojobot export` file into an empty store",
        description="Check every line of FILE and load it into the configured store, which "
        "must be empty; in one transaction on SQLite and PostgreSQL (nothing is written when "
        "a line is refused).",
    )
    parser.add_argument("file", metavar="FILE", help="a file written by `dojobot export`")


def dump_of(store: SessionStore) -> StoreDump:
    """The export/import side of an opened store."""
    from adapters.sql import SqlSessionStore
    from adapters.sql.dump import SqlStoreDump
    from adapters.zerodb import ZeroDBSessionStore
    from adapters.zerodb.dump import ZeroDBStoreDump

    if isinstance(store, SqlSessionStore):
        return SqlStoreDump(store.engine)
    if isinstance(store, ZeroDBSessionStore):
        return ZeroDBStoreDump(store)
    dump: StoreDump = store  # type: ignore[assignment]  # the in-memory store is its own
    return dump


def _bar(total: int | None, unit: str) -> tqdm[Never]:
    """A progress bar on stderr, shown only when stderr is a terminal."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        unit=unit,
        unit_scale=True,
        file=sys.stderr,
        disable=not sys.stderr.isatty(),
        leave=False,
    )


def run_export(args: argparse.Namespace) -> int:
    """`dojobot export`: the exit status. A FILE is written as FILE.partial, renamed once
    complete (an interrupted export leaves no FILE behind)."""
    from bot.config_errors import load_settings

    settings = load_settings()
    target = str(args.file)
    try:
        if target == "-":
            count = asyncio.run(_export(settings, sys.stdout.buffer))
        else:
            partial = Path(target + ".partial")
            try:
                with partial.open("wb") as out:
                    count = asyncio.run(_export(settings, out))
                partial.replace(target)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    partial.unlink()
    except OSError as error:
        print(f"export failed: cannot write {target}: {error.strerror or error}", file=sys.stderr)
        return 1
    where = "stdout" if target == "-" else target
    print(f"exported {count} records to {where}", file=sys.stderr)
    return 0


async def _export(settings: Settings, out: IO[bytes]) -> int:
    from adapters.dump_file import write_dump
    from adapters.sql.migrations import head_version
    from bot.wiring.stores import open_store
    from core.clock import SystemClock

    store = await open_store(settings)
    try:
        dump = dump_of(store)
        with _bar(await dump.count_records(), " rows") as bar:
            now = SystemClock().now()
            return await write_dump(dump.export_records(), out, head_version(), now, bar.update)
    finally:
        await store.close()


def run_import(args: argparse.Namespace) -> int:
    """`dojobot import FILE`: the exit status."""
    from bot.config_errors import load_settings
    from core.ports import ImportRefused

    settings = load_settings()
    source = Path(args.file)
    try:
        with source.open("rb") as stream:
            count = asyncio.run(_import(settings, stream, source.stat().st_size))
    except OSError as error:
        print(f"import failed: cannot read {source}: {error.strerror or error}", file=sys.stderr)
        return 1
    except ImportRefused as error:
        print(f"import refused: {error}", file=sys.stderr)
        return 1
    print(f"imported {count} records from {source}", file=sys.stderr)
    return 0


async def _import(settings: Settings, stream: IO[bytes], size: int) -> int:
    from adapters.dump_file import read_dump
    from adapters.sql.migrations import head_version
    from bot.wiring.stores import open_store

    store = await open_store(settings)
    try:
        with _bar(size, "B") as bar:
            records = read_dump(stream, head_version(), bar.update)
            return await dump_of(store).import_records(records)
    finally:
        await store.close()


EXPORT = Subcommand(add_parser=_add_export, run=run_export)
IMPORT = Subcommand(add_parser=_add_import, run=run_import)
