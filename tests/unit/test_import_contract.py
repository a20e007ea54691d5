"""core/ imports only the stdlib, pydantic and itself; adapters reach it only through its door.

No framework, database driver, HTTP library or scheduler may reach the core.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "core"
ALLOWED_THIRD_PARTY = {"pydantic", "pydantic_core", "annotated_types"}
FORBIDDEN = {
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "httpx",
    "aiohttp",
    "requests",
    "apscheduler",
    "slack_bolt",
    "slack_sdk",
    "discord",
    "jwt",
    "adapters",
    "bot",
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


CORE_FILES = sorted(CORE.rglob("*.py"))


def test_core_has_modules() -> None:
    assert len(CORE_FILES) > 10


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_imports_only_stdlib_pydantic_and_core(path: Path) -> None:
    roots = imported_roots(path)
    outside = {
        r
        for r in roots
        if r not in sys.stdlib_module_names and r not in ALLOWED_THIRD_PARTY and r != "core"
    }
    assert not outside, f"{path.name} imports {sorted(outside)}"
    assert not roots & FORBIDDEN


def test_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlalchemy\nfrom apscheduler.schedulers import x\n")
    assert imported_roots(bad) == {"sqlalchemy", "apscheduler"}


# adapters reach the core only through its public surface -------------------------------

ROOT = CORE.parent
ADAPTERS = ROOT / "adapters"
ADAPTER_MAY_IMPORT: dict[str, set[str] | None] = {
    # the door, and what drives it (commands, the alarm's duties, the room provider's events)
    "core.service": {"SessionService"},
    "core.executor": None,
    "core.duties": None,
    "core.room_events": None,
    # the model and the language the door speaks
    "core.model": None,
    "core.series": None,  # weekly classes: the series, standing RSVPs, skipped days
    "core.members": None,  # member profiles, platform facts, reminder preferences, codes
    "core.member_commands": None,
    "core.member_outcomes": {"MemberOutcome", "MemberAction", "member_lines"},
    "core.reply_outcome": None,  # the lines-and-buttons reply of the fair-seats commands
    "core.views": None,
    "core.commands": None,
    "core.errors": None,
    "core.notices": None,
    "core.clock": None,
    "core.time_travel": None,
    "core.timeparse": None,
    "core.grammar": None,
    "core.catalogue": None,
    # pure rules and wording a front end renders or checks early with
    "core.rules": None,
    "core.recurrence": None,  # a timetable's days and times (previews)
    "core.local_days": {"week_of"},  # the training record's weeks (the pages' charts)
    "core.permissions": None,
    "core.messages": None,
    "core.replies": None,
    "core.series_replies": None,
    "core.i18n": None,  # translatable texts, the Translator and Languages ports
    "core.failures": None,
    "core.joining": None,
    "core.log_context": None,  # the ids on log lines (request, delivery, session)
    # for the implementers of the ports
    "core.ports": None,
    "core.announcement_copy": None,  # a session's card in a linked channel (stores keep it)
    "core.rsvp_policy": None,
    "core.offers": None,  # waitlist offers: their rules, a claim's outcome (stores decide it)
    "core.substitutes": None,  # substitute requests: the record the stores keep, their rules
    "core.min_attendance": None,  # minimum attendance: its rules, the decision (stores keep it)
    "core.seat_marks": None,  # no-show policy marks: the record the stores keep
    "core.calendar_feed": {"CalendarFeed"},  # a personal calendar feed as the stores keep it
    "core.member_merge": None,  # which row survives when a member's records move (stores)
    "core.instants": None,  # an exported file's instants (every store's import reads them)
    "core.reminders": None,
    "core.reminder_preferences": {"ReminderDefaults"},  # what service.reminder_defaults() gives
    "core.join_pass": None,
    "core.page_pass": None,  # personal training-page links: the pass, its signing (web pages)
    "core.ledger_summary": None,  # the overview's aggregated ledger read (stores answer it)
    "core.telemetry": None,  # the metrics port
    "core.audit": None,  # the audit log: its entries and queries (stores keep them)
    "core.audit_values": None,  # the audit log's JSON values and their stored text
    "core.audit_commands": None,  # `/audit`'s command (the REST API builds it too)
    "core.ranks": None,  # rank promotions (stores keep them) and the ladder
    "core.training_ledger": None,  # the verified ledger: entries, queries, the attended rule
    "core.ledger_reads": None,  # the ledger's read order and filter (stores apply them)
    "core.export_file": None,  # a file handed to a member (ChatDelivery.send_file)
    "core.export_commands": None,  # the export command (the REST API builds it from a query)
    "core.attendance_csv": {"CONTENT_TYPE", "COLUMNS", "HEADER"},  # the export's media type
}
"""Core modules an adapter may import (None: any name; else only those names). Everything
else in core (notifier, room keeper, reminder dispatch, attendance sums, core.testing) is
the service's inside, wired only by the composition root (bot/)."""

RETIRED = {"store", "rooms", "chat", "clock", "notifier", "room_keeper", "join_links"}
RETIRED |= {"timing_listeners"}
"""The service's collaborators, once public attributes: private now, and never read from
outside core/service.py."""


def core_import_violations(path: Path) -> list[str]:
    """The imports in `path` that reach past the core's public surface."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "core" and alias.name not in ADAPTER_MAY_IMPORT:
                    found.append(f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            module = node.module
            if module == "core":
                for alias in node.names:
                    if f"core.{alias.name}" not in ADAPTER_MAY_IMPORT:
                        found.append(f"from core import {alias.name}")
            elif module.split(".")[0] == "core":
                if module not in ADAPTER_MAY_IMPORT:
                    found.append(f"from {module} import …")
                    continue
                names = ADAPTER_MAY_IMPORT[module]
                for alias in node.names:
                    if names is not None and alias.name not in names:
                        found.append(f"from {module} import {alias.name}")
    return found


def service_reaches(path: Path) -> list[str]:
    """`service.<private or retired collaborator>` reads in `path` (any `….service.x`)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        owner = node.value
        named_service = (isinstance(owner, ast.Name) and owner.id == "service") or (
            isinstance(owner, ast.Attribute) and owner.attr == "service"
        )
        private = node.attr.startswith("_") and not node.attr.startswith("__")
        if named_service and (private or node.attr in RETIRED):
            found.append((node.lineno, f"line {node.lineno}: service.{node.attr}"))
    return [text for _, text in sorted(found)]


ADAPTER_FILES = sorted(ADAPTERS.rglob("*.py"))
OUTSIDE_SERVICE = sorted(
    p
    for folder in ("adapters", "bot", "core", "bench")
    for p in (ROOT / folder).rglob("*.py")
    if p != CORE / "service.py"
)


@pytest.mark.parametrize("path", ADAPTER_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_adapters_import_only_the_core_public_surface(path: Path) -> None:
    assert not core_import_violations(path), f"{path.name}: {core_import_violations(path)}"


@pytest.mark.parametrize("path", OUTSIDE_SERVICE, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_outside_the_service_reaches_its_collaborators(path: Path) -> None:
    assert not service_reaches(path), f"{path.name}: {service_reaches(path)}"


def test_checker_catches_an_adapter_reaching_past_the_door(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from core.notifier import Notifier\n"
        "from core.service import SessionService, room_retry_at\n"
        "from core import room_keeper\n"
        "import core.testing.store\n"
        "from core.model import SessionFilter\n"
    )
    assert core_import_violations(bad) == [
        "from core.notifier import …",
        "from core.service import room_retry_at",
        "from core import room_keeper",
        "import core.testing.store",
    ]


def test_checker_catches_a_reach_into_the_service(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "async def feed(context, service):\n"
        "    await context.service._store.list_sessions()\n"
        "    service.store\n"
        "    service.join_links = None\n"
        "    await service.public_feed(10)\n"
    )
    assert service_reaches(bad) == [
        "line 2: service._store",
        "line 3: service.store",
        "line 4: service.join_links",
    ]


# the terminal is a front end like the others: no other adapter behind its back ---------------

TERMINAL = ADAPTERS / "terminal"


def other_adapters_imported(path: Path, own: str) -> list[str]:
    """The modules of adapter packages other than `own` that `path` imports (shared helper
    modules such as adapters/http_retry.py are not adapters)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    modules: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.append(node.module)
            if node.module == "adapters":
                modules += [f"adapters.{alias.name}" for alias in node.names]
    return [
        m
        for m in modules
        if m.split(".")[0] == "adapters"
        and len(m.split(".")) > 1
        and m.split(".")[1] != own
        and (ADAPTERS / m.split(".")[1]).is_dir()
    ]


@pytest.mark.parametrize("path", sorted(TERMINAL.rglob("*.py")), ids=lambda p: p.name)
def test_the_terminal_imports_no_other_adapter(path: Path) -> None:
    assert not other_adapters_imported(path, "terminal")


def test_checker_catches_an_adapter_importing_another(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from adapters.scheduler.alarm import ApschedulerAlarm\n"
        "from adapters import web\n"
        "import adapters.sql.store\n"
        "from adapters.terminal.render import outcome_lines\n"
        "from adapters.http_retry import retry_after_seconds\n"
    )
    assert other_adapters_imported(bad, "terminal") == [
        "adapters.scheduler.alarm",
        "adapters.web",
        "adapters.sql.store",
    ]
