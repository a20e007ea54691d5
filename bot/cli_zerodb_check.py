"""`dojobot zerodb-check`: find which table-API shape (dialect) a real ZeroDB project answers,
and print the settings to use (adapters/zerodb/probe.py does the calls).

Read-only calls, plus writes to scratch tables it creates and drops. Exit status: 0 when a
dialect answered (its env lines printed; the API key never: `<unchanged>`), 1 when none did
(one line per failing call: method, path, HTTP status, the vendor's message), 2 when ZeroDB is
not configured or the settings are invalid.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING, get_args

from bot.cli import Subcommand

if TYPE_CHECKING:
    from adapters.zerodb.probe import Verdict
    from adapters.zerodb.settings import ZeroDBSettings

NOT_CONFIGURED = (
    "ZeroDB is not configured: set DOJOBOT_ZERODB__PROJECT_ID and DOJOBOT_ZERODB__API_KEY "
    "(and DOJOBOT_ZERODB__BASE_URL unless it is https://api.ainative.studio) in the "
    "environment or .env, then run `dojobot zerodb-check` again."
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`dojobot zerodb-check [--preset NAME]…`."""
    from adapters.zerodb.dialect import DialectName

    names = list(get_args(DialectName))
    parser = sub.add_parser(
        "zerodb-check",
        help="find which ZeroDB dialect the configured project answers",
        description="Probe the ZeroDB project of DOJOBOT_ZERODB__* with each dialect preset: "
        "read-only calls, then writes to a scratch table it creates and drops. Prints which "
        "preset answers and the settings to use; exit status 1 when none does.",
    )
    parser.add_argument(
        "--preset",
        action="append",
        default=[],
        choices=names,
        metavar="NAME",
        help=f"try only this preset (repeatable): {', '.join(names)}",
    )


def run(args: argparse.Namespace) -> int:
    """Probe, print the verdicts and the settings; the exit status (module docstring)."""
    from adapters.zerodb.probe import Candidate, candidates, probe
    from bot.config_errors import load_settings

    settings = load_settings().zerodb
    if settings is None:
        print(NOT_CONFIGURED, file=sys.stderr)
        return 2
    chosen = [Candidate(name) for name in args.preset] or candidates(settings)
    print(
        f"ZeroDB check of {settings.base_url} (project {settings.project_id}): "
        f"{len(chosen)} dialect(s); scratch tables {settings.table_prefix}zerodb_check_…, "
        "dropped after use.",
        flush=True,
    )
    verdicts = asyncio.run(probe(settings, chosen))
    for verdict in verdicts:
        for text in _lines(verdict):
            print(text, flush=True)
    answering = [v for v in verdicts if v.answered]
    if not answering:
        print(
            "No dialect answered every call the store makes (failing calls above). Check "
            "DOJOBOT_ZERODB__BASE_URL, __PROJECT_ID and __API_KEY; if they are right, the "
            "service speaks a shape no preset knows: see docs/storage.md (ZeroDB, Dialects).",
            file=sys.stderr,
        )
        return 1
    _print_settings(settings, answering)
    return 0


def _lines(verdict: Verdict) -> list[str]:
    label = verdict.candidate.label
    found: list[str] = []
    if verdict.failure is not None:
        found.append(f"  FAIL {verdict.failure.line(label)}")
    else:
        notes = f" ({'; '.join(verdict.notes)})" if verdict.notes else ""
        found.append(f"  OK   {label}: every call answered as the store needs{notes}")
    found += [
        f"  WARN {label}: the scratch table may be left behind, delete it by hand: "
        f"{failure.line('cleanup')}"
        for failure in verdict.cleanup
    ]
    return found


def _print_settings(settings: ZeroDBSettings, answering: list[Verdict]) -> None:
    best = answering[0].candidate
    if len(answering) > 1:
        others = ", ".join(v.candidate.label for v in answering[1:])
        print(f"Also answering: {others}; the first one is used below.")
    current = best.dialect == settings.dialect and best.overrides == settings.dialect_overrides
    print(
        f"Use the {best.label} dialect"
        + (" (already configured)" if current else "")
        + ". Settings (environment or .env):"
    )
    print(f"DOJOBOT_ZERODB__BASE_URL={settings.base_url}")
    print(f"DOJOBOT_ZERODB__PROJECT_ID={settings.project_id}")
    print("DOJOBOT_ZERODB__API_KEY=<unchanged>")
    print(f"DOJOBOT_ZERODB__DIALECT={best.dialect}")
    print(f"DOJOBOT_ZERODB__DIALECT_OVERRIDES={json.dumps(best.overrides, sort_keys=True)}")


SUBCOMMAND = Subcommand(add_parser=add_parser, run=run)
