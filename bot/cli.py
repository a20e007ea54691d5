"""`dojobot` command line: `run` (everything, with the terminal), the `web`, `discord` and
`clock` processes of the Procfile, and `api-token`. Also `python -m bot`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TextIO

from bot.bootstrap import bootstrap
from bot.config_errors import ConfigError, load_settings
from bot.console_input import read_lines
from bot.roles import ProcessRole, settings_for_role
from bot.settings import Settings
from core.clock import SystemClock
from core.errors import StartRefused
from core.model import Role

BANNER = """dojobot — terminal front end (SQLite + Jitsi, no account needed).
Act as someone with /as <name> <role> [zone]; type /help for every command; /quit to stop.
Times flow from the real clock; /advance <duration> jumps ahead (reminders fire on the way)."""

PROCESS_HELP: dict[ProcessRole, str] = {
    "web": "serve HTTP: Slack requests, RealtimeKit webhooks, join/session pages, REST API",
    "discord": "hold the Discord gateway connection (slash commands, buttons)",
    "clock": "send reminders and run the timed duties (one process leads at a time)",
}


@dataclass(frozen=True)
class Subcommand:
    """A maintenance subcommand living in its own module: it adds its parser and runs."""

    add_parser: Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]
    run: Callable[[argparse.Namespace], int]


def _subcommands() -> dict[str, Subcommand]:
    """Subcommands beyond `run`, the Procfile processes and `api-token`, by name. Each lives
    in a module of its own (imported here, cheaply: the modules import their work lazily)."""
    from bot import cli_check, cli_export, cli_zerodb_check

    return {
        "check": cli_check.SUBCOMMAND,
        "export": cli_export.EXPORT,
        "import": cli_export.IMPORT,
        "zerodb-check": cli_zerodb_check.SUBCOMMAND,
    }


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dojobot",
        description="Schedule live online training sessions from Slack, Discord or a terminal.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser(
        "run",
        help="run everything in one process, with the terminal front end",
        description="Run dojobot: every configured front end, the web server and the clock, "
        "plus the terminal. Reads commands from the terminal, or a script on stdin.",
    )
    run.add_argument(
        "--script",
        type=argparse.FileType("r"),
        help="read commands from this file instead of stdin, then exit",
    )
    for role, text in PROCESS_HELP.items():
        sub.add_parser(role, help=text, description=f"A Procfile process: {text}.")
    token = sub.add_parser(
        "api-token",
        help="print a bearer token for the REST API",
        description="Mint a REST API token signed with DOJOBOT_WEB__API_JWT_SECRET.",
    )
    token.add_argument("--member", required=True, help="stable member id, e.g. web:42")
    token.add_argument("--name", required=True, help="display name")
    token.add_argument("--role", required=True, choices=[r.value for r in Role])
    token.add_argument("--tz", help="IANA time zone, e.g. Europe/Paris")
    token.add_argument("--days", type=int, default=30, help="validity in days (default 30)")
    for subcommand in _subcommands().values():
        subcommand.add_parser(sub)
    return parser


def _configure_logging(settings: Settings, role: ProcessRole = "run") -> None:
    """Text or JSON lines on stderr, stamped with `role` and the ids of the work at hand,
    secrets scrubbed (bot/logging_setup.py)."""
    from bot.logging_setup import configure

    configure(settings, role)


def _prompt() -> None:
    sys.stdout.write("> ")
    sys.stdout.flush()


async def run(stream: TextIO, interactive: bool) -> int:
    """Start everything on the settings' defaults and serve the terminal until EOF, /quit,
    SIGTERM or Ctrl-C (a clean stop, `bot.shutdown`); returns the exit code."""
    from bot.shutdown import stopping

    settings = load_settings()
    _configure_logging(settings)
    app = await bootstrap(settings, role="run", write=lambda line: print(line, flush=True))
    async with stopping(app, settings.shutdown_seconds) as stop:
        if interactive:
            print(BANNER, flush=True)
        await stop.until_requested(app.start())
        lines = read_lines(stream, _prompt if interactive else None)
        await stop.until_requested(app.console.run(lines, echo=not interactive))
    return stop.exit_code


async def serve(role: ProcessRole) -> int:
    """Run one Procfile process until SIGTERM or SIGINT, then stop cleanly (`bot.shutdown`);
    returns the exit code."""
    from bot.shutdown import stopping

    settings = settings_for_role(load_settings(), role)
    _configure_logging(settings, role)
    app = await bootstrap(settings, role=role)
    async with stopping(app, settings.shutdown_seconds) as stop:
        await stop.until_requested(app.start())
        if not stop.requested.is_set():
            logging.getLogger("bot").info("dojobot %s process running", role)
            await stop.requested.wait()
    return stop.exit_code


MAX_TOKEN_DAYS = 3660
"""The longest validity `api-token` mints (ten years)."""


def api_token(args: argparse.Namespace) -> int:
    from adapters.web.api.auth import mint_token

    if not 1 <= args.days <= MAX_TOKEN_DAYS:
        print(
            f"--days must be between 1 and {MAX_TOKEN_DAYS} (got {args.days}): a token valid "
            "for 0 days is already expired. Example: --days 30",
            file=sys.stderr,
        )
        return 2
    secret = load_settings().web.api_jwt_secret
    if secret is None:
        print("Set DOJOBOT_WEB__API_JWT_SECRET (at least 32 bytes) first.", file=sys.stderr)
        return 2
    print(
        mint_token(
            secret,
            args.member,
            args.name,
            Role(args.role),
            SystemClock().now(),
            ttl=timedelta(days=args.days),
            timezone=args.tz,
        )
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `dojobot` script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        if args.command == "api-token":
            return api_token(args)
        extra = _subcommands().get(args.command)
        if extra is not None:
            return extra.run(args)
        if args.command == "run":
            stream = args.script or sys.stdin
            return asyncio.run(run(stream, interactive=stream.isatty()))
        return asyncio.run(serve(args.command))
    except ConfigError as error:
        for line in error.lines:
            print(line, file=sys.stderr)
        return 2
    except StartRefused as error:  # a part refused the start (a setting) or is unreachable
        print(error.message, file=sys.stderr)
        return 2 if error.variable is not None else 1
    except KeyboardInterrupt:  # Ctrl-C before the clean stop's handlers were installed
        return 130
