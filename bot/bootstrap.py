"""The composition root: reads settings once and wires adapters into the core.

Every part can be overridden (tests pass fakes and a FakeClock), in the manner of
cosmicpython's bootstrap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from adapters.jitsi import JitsiRooms
from adapters.scheduler import ApschedulerAlarm
from adapters.sql import open_sql_store
from adapters.terminal import TerminalChat, TerminalConsole, TerminalDirectory
from bot.settings import Settings
from core.clock import Clock, OffsetClock
from core.duties import Duties
from core.executor import CommandExecutor
from core.ports import ChatDelivery, SessionStore, VideoRooms
from core.reminder_dispatch import ReminderDispatcher
from core.service import SessionService


@dataclass
class App:
    """Everything wired: the service, its alarm clock and the terminal front end."""

    settings: Settings
    store: SessionStore
    service: SessionService
    duties: Duties
    alarm: ApschedulerAlarm
    executor: CommandExecutor
    console: TerminalConsole

    async def start(self) -> None:
        """Start the alarm clock (it catches up on anything missed while down)."""
        await self.alarm.start()

    async def close(self) -> None:
        await self.alarm.stop()
        close = getattr(self.store, "close", None)
        if close is not None:
            await close()


async def bootstrap(
    settings: Settings,
    *,
    write: Callable[[str], None] = print,
    clock: Clock | None = None,
    store: SessionStore | None = None,
    rooms: VideoRooms | None = None,
    chat: ChatDelivery | None = None,
) -> App:
    """Build the app from settings; any part given explicitly replaces the default."""
    clock = clock or OffsetClock()
    if store is None:
        if settings.effective_database_url.startswith("sqlite"):
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = await open_sql_store(settings.effective_database_url)
    rooms = rooms or JitsiRooms(settings.jitsi)
    directory = TerminalDirectory(settings.default_timezone)
    chat = chat or TerminalChat(write, directory, clock)
    service = SessionService(store, rooms, chat, clock)
    duties = Duties(service, ReminderDispatcher(store, chat))
    alarm = ApschedulerAlarm(duties, clock)
    service.timing_listeners.append(alarm.replan)
    executor = CommandExecutor(service)
    console = TerminalConsole(executor, alarm, directory, write, settings.terminal_channel)
    return App(settings, store, service, duties, alarm, executor, console)
