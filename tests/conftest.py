"""Fixtures shared by every test package."""

from __future__ import annotations

import pytest

from tests.pg_server import stop_shared_server


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the throwaway PostgreSQL server if a test started one (tests/pg_server.py)."""
    stop_shared_server()
