"""Lazy imports that are true: the default `dojobot run` (SQLite + Jitsi + terminal + web),
run as a real process on a one-line script, never loads an SDK nobody configured, nor what
is built only at its first use (the REST API's schemas and OpenAPI document, the pages)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.fresh_process import run_and_dump

UNCONFIGURED = ("discord", "slack_sdk", "slack_bolt", "httpx")
"""Top-level packages only a configured Slack, Discord, RealtimeKit or ZeroDB needs."""

FIRST_USE = ("jwt", "cryptography", "icalendar", "pygal", "babel", "tomllib")
"""Libraries imported at their first use (a token, a calendar file, a training page's chart,
a language other than English, a TOML rank file), not at start."""

BUILT_AT_FIRST_REQUEST = (
    "adapters.web.api.app",
    "adapters.web.api.handlers",
    "adapters.web.api.openapi",
    "adapters.web.api.routes",
    "adapters.web.api.schemas",
)
"""The REST API itself: its routes are mounted at start (`LazyRestApi`), the API is built at
its first request."""

PAGES = (
    "adapters.web.session_pages",
    "adapters.web.calendar",
    "adapters.web.feed_calendar",
    "adapters.web.series_calendar",
    "adapters.web.join_page",
    "adapters.web.training_pages",
    "adapters.web.training_views",
    "adapters.web.training_charts",
    "adapters.web.chart_data",
)
"""The pages and calendar files: mounted at start (`LazyPage`), each imported and built at
the first request to one of its routes."""

POSTGRESQL = ("sqlalchemy.dialects.postgresql", "asyncpg", "psycopg2", "psycopg")
"""SQLAlchemy's PostgreSQL dialect and the drivers: a process on SQLite loads none of them."""

DRIVER = """
import json, sys
from bot.cli import main
status = main(["run"])
with open(sys.argv[1], "w") as out:
    json.dump({"status": status, "modules": sorted(sys.modules)}, out)
"""

SETTINGS_ONLY = """
import json, sys
from bot.settings import Settings
Settings()
with open(sys.argv[1], "w") as out:
    json.dump({"status": 0, "modules": sorted(sys.modules)}, out)
"""


def _loaded(tmp_path: Path, code: str, stdin: str) -> list[str]:
    """Run `code` in a fresh interpreter with no DOJOBOT_* setting; its `sys.modules` at exit."""
    modules: list[str] = run_and_dump(tmp_path, code, stdin)["modules"]
    return modules


def _sdks(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in UNCONFIGURED]


def test_the_default_run_loads_no_unconfigured_sdk(tmp_path: Path) -> None:
    modules = _loaded(tmp_path, DRIVER, "/quit\n")
    assert "adapters.terminal.console" in modules  # the run really happened
    assert _sdks(modules) == []
    front_ends = [m for m in modules if m.startswith(("adapters.discord.", "adapters.slack."))]
    assert set(front_ends) <= {"adapters.discord.settings", "adapters.slack.settings"}
    assert [m for m in modules if m.split(".")[0] in FIRST_USE] == []
    assert "sqlalchemy.dialects.sqlite.aiosqlite" in modules  # the store is on SQLite
    assert [m for m in modules if m.startswith(POSTGRESQL)] == []


def test_the_default_run_mounts_the_rest_api_without_building_it(tmp_path: Path) -> None:
    modules = _loaded(tmp_path, DRIVER, "/quit\n")
    assert "adapters.web.api.lazy" in modules  # the API's routes are mounted
    assert [m for m in modules if m in BUILT_AT_FIRST_REQUEST] == []


def test_the_default_run_mounts_the_pages_without_importing_them(tmp_path: Path) -> None:
    modules = _loaded(tmp_path, DRIVER, "/quit\n")
    assert "adapters.web.lazy_pages" in modules  # the pages' routes are mounted
    assert [m for m in modules if m in PAGES] == []


def test_reading_the_settings_loads_no_sdk(tmp_path: Path) -> None:
    modules = _loaded(tmp_path, SETTINGS_ONLY, "")
    assert _sdks(modules) == []
    assert not any(m.startswith(("adapters.discord.f", "adapters.slack.front")) for m in modules)
