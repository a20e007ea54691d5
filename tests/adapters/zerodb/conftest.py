"""Fixtures of the ZeroDB adapter tests: a stand-in of the table API on a loopback port."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.zerodb import ZeroDBSessionStore
from tests.fakes.zerodb_standin import ZeroDBStandIn, open_standin_store

CROSS_PROCESS_LOCK_TRIES = 200


@pytest.fixture(autouse=True)
def _no_zerodb_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real credentials in the environment must never reach these tests."""
    import os

    for name in list(os.environ):
        if name.startswith(("ZERODB_", "AINATIVE_", "DOJOBOT_ZERODB")):
            monkeypatch.delenv(name)


@pytest.fixture
async def standin() -> AsyncIterator[tuple[ZeroDBStandIn, str]]:
    """The stand-in (default dialect) and its base URL."""
    fake = ZeroDBStandIn()
    base_url = await fake.start()
    yield fake, base_url
    await fake.close()


@pytest.fixture
async def two_stores(
    standin: tuple[ZeroDBStandIn, str],
) -> AsyncIterator[tuple[ZeroDBSessionStore, ZeroDBSessionStore]]:
    """Two stores with their own HTTP clients and locks on one project: two processes.

    Their pauses don't wait, so a session lock's retries are counted in round trips, not
    seconds: one store may hold the lock for its whole queue of RSVPs in a row (about six
    round trips each), so the other gets enough tries to outlast it, whatever the load.
    """
    fake, base_url = standin
    first = await open_standin_store(base_url, fake, lock_tries=CROSS_PROCESS_LOCK_TRIES)
    second = await open_standin_store(base_url, fake, lock_tries=CROSS_PROCESS_LOCK_TRIES)
    yield first, second
    await first.close()
    await second.close()
