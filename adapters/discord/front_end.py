"""The Discord front end as a Component: client, commands, buttons, chat delivery."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import discord
from aiohttp import web
from discord.http import Route

from adapters.discord.buttons import persistent_buttons
from adapters.discord.chat import DiscordChat
from adapters.discord.client import make_client
from adapters.discord.command_buttons import persistent_command_button
from adapters.discord.commands import register_commands
from adapters.discord.directory import DiscordMembers
from adapters.discord.events import EventMirror
from adapters.discord.handlers import InteractionActions
from adapters.discord.ids import PLATFORM
from adapters.discord.interested import InterestedOffers
from adapters.discord.member_commands import MemberActions
from adapters.discord.member_components import member_components
from adapters.discord.memory import DiscordMemory
from adapters.discord.pacing import GlobalPacer
from adapters.discord.paging import persistent_page_button
from adapters.discord.render_common import Links
from adapters.discord.rest import DiscordRest
from adapters.discord.settings import DiscordSettings
from adapters.discord.sync import sync_if_changed
from adapters.discord.tree import DojoCommandTree
from core.clock import Clock
from core.executor import CommandExecutor
from core.i18n import Languages
from core.ports import ChatDelivery

log = logging.getLogger(__name__)


class DiscordFrontEnd:
    """Slash commands, persistent buttons, DMs and Scheduled Events on Discord.

    `start` logs in over REST (enough for sending), runs the set-up (persistent buttons,
    command sync when changed) and, unless `gateway` is off, connects to the gateway in the
    background to receive interactions.
    """

    name = "discord"
    platform: str | None = PLATFORM

    def __init__(
        self,
        settings: DiscordSettings,
        executor: CommandExecutor,
        clock: Clock,
        public_url: str,
        default_timezone: str,
        state_dir: Path | None,
        languages: Languages | None = None,
    ) -> None:
        self.settings = settings
        self.executor = executor
        self.memory = DiscordMemory(state_dir)
        self.pacer = GlobalPacer(
            settings.global_rate_limit,
            settings.rate_window_seconds,
            settings.pace_margin,
            quiet_start=settings.quiet_start,
        )
        self.links = Links(public_url.rstrip("/"))
        self.client = make_client(settings, self._setup)
        self._rest: DiscordRest | None = None
        self.members = DiscordMembers(
            settings, default_timezone, self.rest, executor.service.identify
        )
        self.events = EventMirror(self.rest, self.links, clock)
        self.discord_chat = DiscordChat(
            self.rest,
            self.memory,
            self.events if settings.scheduled_events else None,
            self.links,
            clock,
            languages,
            self.members.channel_locale,
        )
        self.chat: ChatDelivery | None = self.discord_chat
        self.actions = InteractionActions(
            executor,
            self.members,
            clock,
            self.links,
            settings.defer_after_seconds,
            languages,
        )
        self.tree = DojoCommandTree(self.client, self.actions.refuse)
        self.interested = InterestedOffers(
            executor.service, self.rest, self.events, self.links, languages
        )
        register_commands(self.tree, self.actions, executor.service)
        self._gateway: asyncio.Task[None] | None = None
        self.synced: list[str] = []

    def rest(self) -> DiscordRest:
        """The REST client (after `start`)."""
        if self._rest is None:
            raise RuntimeError("the Discord front end is not started")
        return self._rest

    def mount(self, app: web.Application) -> None:
        """Nothing to serve: interactions arrive over the gateway."""

    async def _setup(self, client: discord.Client) -> None:
        """Runs once after login, before the gateway: buttons, commands, raw hooks."""
        client.add_dynamic_items(
            *persistent_buttons(self.actions),
            persistent_command_button(self.actions),
            persistent_page_button(self.actions),
            *member_components(MemberActions(self.actions, self.executor.service)),
        )
        self.interested.hook(client._connection.parsers)
        if self.settings.sync_commands and client.application_id is not None:
            self.synced = await sync_if_changed(
                self.tree, self.memory, client.application_id, self.settings.guild_ids
            )

    async def start(self) -> None:
        if self.settings.api_base:
            Route.BASE = self.settings.api_base.rstrip("/")
        await self.client.login(self.settings.token.get_secret_value())
        self._rest = DiscordRest(self.client.http, self.pacer, self.memory)
        if self.settings.gateway:
            self._gateway = asyncio.create_task(self._connect())

    async def _connect(self) -> None:
        try:
            await self.client.connect(reconnect=True)
        except Exception:
            log.exception("the Discord gateway connection ended")

    async def stop(self) -> None:
        if self._gateway is not None:
            self._gateway.cancel()
            self._gateway = None
        if not self.client.is_closed():
            await self.client.close()
        self.memory.close()
