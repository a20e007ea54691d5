"""What the composition root runs besides the core: front ends and servers.

A component may serve one chat platform (its `chat` then receives that platform's DMs, channel
posts and announcements), may add HTTP routes to the shared aiohttp server, and is started and
stopped with the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from aiohttp import web

from adapters.scheduler import ApschedulerAlarm
from bot.chat_router import ChatRouter
from bot.clock_runner import ClockRunner
from bot.settings import Settings
from core.clock import Clock
from core.duties import Duties
from core.executor import CommandExecutor
from core.i18n import EnglishOnly, Languages
from core.ports import ChatDelivery, SessionStore, VideoRooms
from core.service import SessionService

if TYPE_CHECKING:
    from adapters.web.served_links import ServedJoinLinks


class Component(Protocol):
    """A part of the running app with its own lifecycle."""

    name: str
    """Short name for logs, e.g. "slack"."""
    platform: str | None
    """The member-id prefix it serves ("slack", "discord", "terminal"), or None."""
    chat: ChatDelivery | None
    """Delivers the core's messages on `platform`; None when it is not a chat front end."""

    def mount(self, app: web.Application) -> None:
        """Add this component's routes to the shared web server (may add none)."""

    async def start(self) -> None:
        """Connect and start serving (called after the web server is listening)."""

    async def stop(self) -> None:
        """Disconnect and release resources (idempotent)."""


@dataclass
class Wiring:
    """The wired core that front ends and servers are built around."""

    settings: Settings
    clock: Clock
    store: SessionStore
    rooms: VideoRooms
    chat: ChatRouter
    service: SessionService
    executor: CommandExecutor
    duties: Duties
    alarm: ApschedulerAlarm
    clock_runner: ClockRunner
    join_links: ServedJoinLinks | None = None
    """The join links given to the service; the web pages switch them on once served."""
    languages: Languages = field(default_factory=EnglishOnly)
    """The shipped languages: front ends word what members read in each one's language."""

    @property
    def public_url(self) -> str:
        """Base URL of our web server (join links, calendar files, session pages)."""
        return self.settings.public_url
