"""The composition root: reads settings once and wires adapters into the core.

Every part can be overridden (tests pass fakes and a FakeClock), in the manner of
cosmicpython's bootstrap. Optional parts (Slack, Discord, the web pages and API, RealtimeKit
webhooks) are built by the modules in `bot.wiring`, imported only when configured; the
terminal is built only for `dojobot run` (the `web`, `discord` and `clock` processes have none).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from adapters.i18n import BabelLanguages
from adapters.scheduler import ApschedulerAlarm
from adapters.sql.leader import Leadership
from adapters.web import WebServer
from bot.chat_router import ChatRouter
from bot.clock_runner import ClockRunner
from bot.components import Component, Wiring
from bot.roles import SERVES_HTTP, ProcessRole
from bot.settings import Settings
from bot.wiring.metrics import Metering, metering_for
from bot.wiring.rooms import build_rooms
from bot.wiring.stores import open_store
from core.announcement_copies import AnnouncementCopies
from core.clock import Clock, OffsetClock
from core.duties import Duties, TimedDuty
from core.executor import CommandExecutor
from core.min_attendance_duty import MinAttendanceDuty
from core.offer_duty import OfferDuty
from core.ports import ChatDelivery, SessionStore, VideoRooms
from core.rank_digest_duty import RankDigestDuty
from core.reminder_dispatch import ReminderDispatcher
from core.service import SessionService
from core.substitute_duty import SubstituteDuty

if TYPE_CHECKING:
    from adapters.terminal import TerminalConsole
    from bot.wiring.terminal import TerminalComponent

log = logging.getLogger(__name__)

ComponentFactory = Callable[[Wiring], Component]
SHARED_STORE_RESYNC = timedelta(seconds=30)
"""ZeroDB has no change notifications: the clock re-reads the next due time this often, so
sessions scheduled by other processes are picked up."""


@dataclass
class App:
    """Everything wired: the core, its alarm clock, the components and (`run` only) the
    terminal."""

    settings: Settings
    wiring: Wiring
    components: list[Component] = field(default_factory=list)
    web: WebServer | None = None
    exits: AsyncExitStack = field(default_factory=AsyncExitStack)
    """Everything to stop or close at exit, in reverse order of building (see `bootstrap`)."""
    terminal: TerminalComponent | None = None
    """The terminal front end: built for the `run` role only."""
    metering: Metering | None = None
    """Metrics: `/metrics` on the web server, or on a port of its own without one."""

    @property
    def console(self) -> TerminalConsole:
        """The terminal's prompt (only `dojobot run` has one)."""
        if self.terminal is None:
            raise RuntimeError("this process has no terminal: only `dojobot run` builds one")
        return self.terminal.console

    @property
    def parts(self) -> list[Component]:
        """Every component to mount and start: the configured ones, then the terminal."""
        return [*self.components, *([self.terminal] if self.terminal else [])]

    @property
    def clock(self) -> ClockRunner:
        return self.wiring.clock_runner

    @property
    def store(self) -> SessionStore:
        return self.wiring.store

    @property
    def service(self) -> SessionService:
        return self.wiring.service

    @property
    def duties(self) -> Duties:
        return self.wiring.duties

    @property
    def alarm(self) -> ApschedulerAlarm:
        return self.wiring.alarm

    @property
    def executor(self) -> CommandExecutor:
        return self.wiring.executor

    async def start(self) -> None:
        """Listen for HTTP, start every component, then the alarm clock (which catches up
        on anything missed while down; with several processes, only in the leading one)."""
        if self.web is not None:
            for component in self.parts:
                self.web.mount(component.mount)
            await self.web.start()
        if self.metering is not None:
            await self.metering.start()
        for component in self.parts:
            await component.start()
        await self.clock.start()

    async def close(self) -> None:
        """Stop the clock, the components (last built first) and the web server, then close
        the video rooms and the store: one exit stack, unwound once."""
        await self.exits.aclose()


def configured_components(settings: Settings) -> list[ComponentFactory]:
    """Factories of the optional parts the settings ask for, imported only then."""
    factories: list[ComponentFactory] = []
    if settings.web.enabled:
        from bot.wiring.api import build_api
        from bot.wiring.web import build_web

        factories += [build_web, build_api]
    if settings.slack is not None:
        from bot.wiring.slack import build_slack

        factories.append(build_slack)
    if settings.discord is not None:
        from bot.wiring.discord import build_discord

        factories.append(build_discord)
    if settings.realtimekit is not None:
        from bot.wiring.realtimekit import build_realtimekit_webhooks

        factories.append(build_realtimekit_webhooks)
    return factories


async def bootstrap(
    settings: Settings,
    *,
    role: ProcessRole = "run",
    write: Callable[[str], None] = print,
    clock: Clock | None = None,
    store: SessionStore | None = None,
    rooms: VideoRooms | None = None,
    chat: ChatDelivery | None = None,
    components: list[ComponentFactory] | None = None,
    serve_http: bool | None = None,
    leader: Leadership | None = None,
) -> App:
    """Build the app for a process `role`; any part given explicitly replaces the default.

    Only the `run` role builds the terminal (printing through `write`); `chat` replaces the
    terminal's chat; `components` replaces the configured optional parts; `serve_http=False`
    builds no web server (default: whether the role serves HTTP); `leader` replaces the clock's
    leadership (default: from the database URL).
    """
    clock = clock or OffsetClock()
    metering = metering_for(settings, role)
    store = metering.watch_store(store or await open_store(settings))
    rooms = metering.watch_rooms(rooms or build_rooms(settings, clock))
    copies = AnnouncementCopies(store, clock, settings.channel_map)
    router = ChatRouter(copies if settings.channel_map else None)
    join_links = None
    if settings.web.enabled:
        from bot.wiring.web import build_join_links

        join_links = build_join_links(settings)

    async def replan() -> None:  # the alarm is built below, from duties that need the service
        await alarm.replan()

    reminder_defaults = settings.reminder_defaults()
    service = SessionService(
        store,
        rooms,
        router,
        clock,
        join_links=join_links,
        page_links=join_links.pages if join_links is not None else None,
        timing_listener=replan,
        telemetry=metering.telemetry,
        reminder_defaults=reminder_defaults,
        offer_rules=settings.offers.rules(),
        min_attendance=settings.min_attendance.rules(),
        substitute_rules=settings.substitutes.rules(),
        no_show_rules=settings.no_shows.rules(),
        association_timezone=settings.default_timezone,
        feed_links=join_links,  # feeds are served by the same pages, at the same base URL
        rank_ladder=settings.ranks.rank_ladder(),
        training_rules=settings.training.rules(),
        audit_rules=settings.audit.rules(),
    )
    dispatcher = ReminderDispatcher(
        store, router, telemetry=metering.telemetry, defaults=reminder_defaults
    )
    # the fair-seats deadlines (docs/fair-seats.md); each costs one indexed MIN query per
    # wake-up while it has nothing due, and offers made before the feature was switched off
    # still lapse on time
    timed: list[TimedDuty] = [
        OfferDuty(service),
        MinAttendanceDuty(service),
        SubstituteDuty(service),
        RankDigestDuty(service, settings.ranks.digest_schedule(settings.default_timezone)),
    ]
    duties = Duties(service, dispatcher, timed)
    alarm = ApschedulerAlarm(
        duties, clock, resync_every=SHARED_STORE_RESYNC if settings.zerodb is not None else None
    )
    executor = CommandExecutor(service)
    runner = ClockRunner(alarm, settings.effective_database_url, leader)
    metering.watch_leadership(runner.leading.is_set)
    wiring = Wiring(
        settings, clock, store, rooms, router, service, executor, duties, alarm, runner, join_links
    )
    wiring.languages = BabelLanguages(settings.default_language)
    terminal = None
    if role == "run":
        from bot.wiring.terminal import build_terminal

        terminal = build_terminal(wiring, write)
        terminal.chat = chat or terminal.chat
    factories = configured_components(settings) if components is None else components
    built = [factory(wiring) for factory in factories]
    metering.watch_components(built)
    for component in [*([terminal] if terminal else []), *built]:
        if component.platform and component.chat is not None:
            router.connect(component.platform, component.chat)
    for platform in router.unreachable_links():
        log.warning(
            "DOJOBOT_CHANNEL_MAP links %s channels, but %s is not set up", platform, platform
        )
    serving = (SERVES_HTTP[role] if serve_http is None else serve_http) and settings.web.enabled
    limits = settings.web.connection_limits()
    web = (
        WebServer(
            settings.web.host,
            settings.web.port,
            limits=limits,
            shutdown_timeout=settings.shutdown_seconds / 2,  # the in-flight share (bot.shutdown)
        )
        if serving
        else None
    )
    metering.serve(web.app if web is not None else None)
    exits = AsyncExitStack()
    exits.push_async_callback(store.close)
    exits.push_async_callback(rooms.close)
    exits.push_async_callback(metering.stop)
    if web is not None:
        exits.push_async_callback(web.stop)
    if terminal is not None:
        exits.push_async_callback(_stop_logged, terminal)
    for component in built:
        exits.push_async_callback(_stop_logged, component)
    exits.push_async_callback(runner.stop)
    return App(settings, wiring, built, web, exits, terminal, metering)


async def _stop_logged(component: Component) -> None:
    """Stop one component; a failure is logged and the others still stop."""
    try:
        await component.stop()
    except Exception:
        log.exception("stopping %s failed", component.name)
