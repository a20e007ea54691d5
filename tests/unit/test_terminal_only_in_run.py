"""Only `dojobot run` has a terminal: the `web`, `discord` and `clock` processes build none."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.web import WebSettings
from bot.bootstrap import App, bootstrap
from bot.roles import ProcessRole
from bot.settings import Settings
from core.errors import DeliveryRefused
from core.testing.clock import FakeClock
from core.testing.store import InMemorySessionStore


async def _app(role: ProcessRole, tmp_path: Path, printed: list[str]) -> App:
    settings = Settings(data_dir=tmp_path, web=WebSettings(port=0), _env_file=None)
    return await bootstrap(
        settings,
        role=role,
        write=printed.append,
        clock=FakeClock(),
        store=InMemorySessionStore(),
    )


@pytest.mark.parametrize("role", ["web", "discord", "clock"])
async def test_the_other_processes_build_no_terminal(role: ProcessRole, tmp_path: Path) -> None:
    printed: list[str] = []
    app = await _app(role, tmp_path, printed)
    try:
        await app.start()
        assert app.terminal is None
        assert all(part.platform != "terminal" for part in app.parts)
        with pytest.raises(RuntimeError, match="only `dojobot run`"):
            app.console  # noqa: B018
        with pytest.raises(DeliveryRefused):  # the chat router knows no terminal here
            await app.wiring.chat.already_delivered("terminal:ana", "marker")
        assert printed == []
    finally:
        await app.close()


async def test_run_builds_the_terminal_as_a_component(tmp_path: Path) -> None:
    printed: list[str] = []
    app = await _app("run", tmp_path, printed)
    try:
        await app.start()
        assert app.terminal is not None
        assert [part.name for part in app.parts] == ["web", "api", "terminal"]
        assert app.console is app.terminal.console
        assert not await app.wiring.chat.already_delivered("terminal:ana", "marker")
        assert await app.console.handle("/whoami")
        assert printed == ["  [only you] You are admin (admin, UTC)."]
    finally:
        await app.close()
