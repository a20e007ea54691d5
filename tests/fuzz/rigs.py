"""Front ends wired on the in-memory core for the fuzz and error-boundary tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from adapters.web import WebSettings
from bot.bootstrap import App, bootstrap
from bot.settings import Settings
from core.model import SessionFilter, TrainingSession
from core.testing.clock import FakeClock
from core.testing.store import InMemorySessionStore

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class BreakableStore(InMemorySessionStore):
    """The in-memory store, whose session listing fails on demand (an unexpected bug)."""

    def __init__(self) -> None:
        super().__init__()
        self.broken = False

    async def list_sessions(self, criteria: SessionFilter) -> list[TrainingSession]:
        if self.broken:
            raise RuntimeError("the store broke")
        return await super().list_sessions(criteria)


async def terminal_app(tmp_path: Path, output: list[str], store: InMemorySessionStore) -> App:
    """The whole app with only the terminal front end (no HTTP), on a FakeClock."""
    settings = Settings(data_dir=tmp_path / "data", web=WebSettings(enabled=False), _env_file=None)
    app = await bootstrap(settings, write=output.append, clock=FakeClock(START), store=store)
    await app.start()
    return app
