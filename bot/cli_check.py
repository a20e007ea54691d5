"""`dojobot check`: validate the configuration, then reach every configured part with a
harmless call and print one line per part (ok / what is wrong and what to do).

Exit status: 0 when nothing failed (warnings allowed), 1 when a part failed, 2 when the
configuration itself is invalid (then nothing is reached). Secrets are never printed.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.cli import Subcommand

if TYPE_CHECKING:
    from adapters.checks import CheckResult
    from bot.settings import Settings

PARTS = ("database", "zerodb", "jitsi", "realtimekit", "slack", "discord", "web")
"""Every part a check may reach, in the order the lines are printed."""
PART_TIMEOUT_SECONDS = 30.0
"""A part that has not answered by then fails (each check also bounds its own calls)."""


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`dojobot check [--skip PART]…`."""
    parser = sub.add_parser(
        "check",
        help="check the configuration and reach every configured part",
        description="Validate the settings, then reach the database (and its migrations' "
        "state), Slack, Discord, RealtimeKit, ZeroDB and the public web address with harmless "
        "calls. One line per part; exit status 1 when a part fails, 2 when the settings are "
        "invalid.",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=PARTS,
        metavar="PART",
        help=f"do not reach this part (repeatable): {', '.join(PARTS)}",
    )


def run(args: argparse.Namespace) -> int:
    """Print the verdicts; the exit status (see the module docstring)."""
    from adapters.checks import fail, ok
    from bot.config_errors import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as error:
        for text in error.lines:
            print(fail("config", text.removeprefix("Configuration error: ")).line(), flush=True)
        return 2
    print(ok("config", _summary(settings)).line(), flush=True)
    results = asyncio.run(_reach(settings, set(args.skip)))
    for result in results:
        print(result.line(), flush=True)
    return 1 if any(result.failed for result in results) else 0


def _summary(settings: Settings) -> str:
    store = "zerodb" if settings.zerodb else settings.effective_database_url.split(":")[0]
    rooms = "realtimekit" if settings.realtimekit else "jitsi"
    fronts = [name for name in ("slack", "discord") if getattr(settings, name) is not None]
    return (
        f"settings valid: store {store.split('+')[0]}, rooms {rooms}, front ends "
        f"{', '.join([*fronts, 'terminal (dojobot run only)'])}"
    )


async def _reach(settings: Settings, skipped: set[str]) -> list[CheckResult]:
    """Run every configured part's check at once; results in PARTS order."""
    from adapters.checks import ok

    checks = {part: make for part, make in _checks(settings).items() if part not in skipped}
    found = await asyncio.gather(*(_bounded(part, make) for part, make in checks.items()))
    skipped_lines = [ok(part, "skipped (--skip)") for part in PARTS if part in skipped]
    return [*found, *skipped_lines]


def _checks(settings: Settings) -> dict[str, Callable[[], Awaitable[CheckResult]]]:
    """The configured parts' checks (imported here: each pulls in its vendor's SDK)."""
    from adapters.checks import ok
    from bot.config_errors import variable

    checks: dict[str, Callable[[], Awaitable[CheckResult]]] = {}
    if settings.zerodb is not None:
        from adapters.zerodb.check import check_zerodb

        zerodb = settings.zerodb
        checks["zerodb"] = lambda: check_zerodb(zerodb)
    else:
        from adapters.sql.check import check_database

        name = variable(("database_url",)) if settings.database_url else "DOJOBOT_DATA_DIR"
        url = settings.effective_database_url
        checks["database"] = lambda: check_database(url, name)
    if settings.realtimekit is not None:
        from adapters.realtimekit.check import check_realtimekit

        rtk, page = settings.realtimekit, settings.public_url
        checks["realtimekit"] = lambda: check_realtimekit(rtk, page)
    else:
        jitsi = settings.jitsi
        auth = "with token auth" if jitsi.app_id else "without token auth"
        text = f"rooms are links to {jitsi.base_url} {auth} (nothing to call)"
        checks["jitsi"] = lambda: _done(ok("jitsi", text))
    if settings.slack is not None:
        from adapters.slack.check import check_slack

        slack = settings.slack
        checks["slack"] = lambda: check_slack(slack)
    if settings.discord is not None:
        from adapters.discord.check import check_discord

        discord = settings.discord
        checks["discord"] = lambda: check_discord(discord)
    from adapters.web.check import check_web

    outsiders = any(x is not None for x in (settings.slack, settings.discord, settings.realtimekit))
    checks["web"] = lambda: check_web(settings.web, outsiders)
    return {part: checks[part] for part in PARTS if part in checks}


async def _done(result: CheckResult) -> CheckResult:
    return result


async def _bounded(part: str, make: Callable[[], Awaitable[CheckResult]]) -> CheckResult:
    """The check's verdict; no answer in time, or a crash, is a failure line too."""
    from adapters.checks import fail

    try:
        async with asyncio.timeout(PART_TIMEOUT_SECONDS):
            return await make()
    except TimeoutError:
        return fail(part, f"no answer within {PART_TIMEOUT_SECONDS:.0f} s")
    except Exception as error:  # a check must never crash the others
        return fail(part, f"the check itself failed ({type(error).__name__}): please report it")


SUBCOMMAND = Subcommand(add_parser=add_parser, run=run)
"""Registered in `bot.cli._subcommands`."""
