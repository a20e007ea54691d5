"""`dojobot` command line: `dojobot run`, `dojobot --help`, `python -m bot`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Sequence
from typing import TextIO

from bot.bootstrap import bootstrap
from bot.settings import Settings

BANNER = """dojobot — terminal front end (SQLite + Jitsi, no account needed).
Act as someone with /as <name> <role> [zone]; type /help for every command; /quit to stop.
Times flow from the real clock; /advance <duration> jumps ahead (reminders fire on the way)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dojobot",
        description="Schedule live online training sessions from Slack, Discord or a terminal.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser(
        "run",
        help="run dojobot (terminal front end on the embedded default)",
        description="Run dojobot. Reads commands from the terminal, or a script on stdin.",
    )
    run.add_argument(
        "--script",
        type=argparse.FileType("r"),
        help="read commands from this file instead of stdin, then exit",
    )
    return parser


async def _lines(stream: TextIO, prompt: bool) -> AsyncIterator[str]:
    while True:
        if prompt:
            sys.stdout.write("> ")
            sys.stdout.flush()
        line = await asyncio.to_thread(stream.readline)
        if not line:
            return
        yield line


async def run(stream: TextIO, interactive: bool) -> None:
    """Start everything on the settings' defaults and serve the terminal until EOF or /quit."""
    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    app = await bootstrap(settings, write=lambda line: print(line, flush=True))
    try:
        if interactive:
            print(BANNER, flush=True)
        await app.start()
        await app.console.run(_lines(stream, interactive), echo=not interactive)
    finally:
        await app.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `dojobot` script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    stream = args.script or sys.stdin
    try:
        asyncio.run(run(stream, interactive=stream.isatty()))
    except KeyboardInterrupt:
        return 130
    return 0
