"""Builds the terminal front end: only `dojobot run` has one (the other processes have no
prompt; their messages for `terminal:` members go through the chat router like any other
platform it is not connected to)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

from adapters.terminal import TerminalChat, TerminalConsole, TerminalDirectory
from adapters.terminal.directory import PLATFORM
from bot.components import Wiring
from core.ports import ChatDelivery


@dataclass
class TerminalComponent:
    """The prompt (`console`) and what it prints as chat (`chat`); no routes, nothing to
    connect: `dojobot run` feeds the console its lines."""

    console: TerminalConsole
    chat: ChatDelivery | None
    name: str = "terminal"
    platform: str | None = PLATFORM

    def mount(self, app: web.Application) -> None:
        """No routes: the terminal is read from stdin or a script."""

    async def start(self) -> None:
        """Nothing to connect: `dojobot run` feeds the console its lines."""

    async def stop(self) -> None:
        """Nothing to release."""


def build_terminal(wiring: Wiring, write: Callable[[str], None]) -> TerminalComponent:
    """The terminal on the wired core; `/advance` moves time through the alarm."""
    settings = wiring.settings
    directory = TerminalDirectory(settings.default_timezone)
    chat = TerminalChat(
        write, directory, wiring.clock, wiring.languages, settings.data_dir / "exports"
    )
    console = TerminalConsole(
        wiring.executor,
        wiring.alarm,
        directory,
        write,
        settings.terminal_channel,
        languages=wiring.languages,
    )
    return TerminalComponent(console, chat)
