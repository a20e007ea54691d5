"""Fixtures: no SLACK_* variables leak in; a running dojobot with the Slack front end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.slack.world import SlackWorld, make_world


@pytest.fixture(autouse=True)
def _no_slack_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[SlackWorld]:
    built = await make_world(tmp_path)
    yield built
    await built.close()
