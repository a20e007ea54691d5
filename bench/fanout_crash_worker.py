"""One dispatcher process of `bench.fanout_crash`: sends due reminders until none is left.

    python -m bench.fanout_crash_worker DB_URL {slack|discord} API_BASE NOW STATE_DIR SCALE [blind]

The production path: the SQL store (SQLite or PostgreSQL), ReminderDispatcher (claim →
[ask the platform about re-claims] → send → mark), SlackChat or DiscordChat over the real
slack_sdk / discord.py client, to a fake running in another process. The clock is frozen at
NOW (ISO) and jumps to the next due time when a reminder was postponed (held claims of the
killed process, failed sends), so re-claims happen as they would after the lease. Prints
`done` and exits 0 when no reminder is left; the parent SIGKILLs it at random points before.
`blind` (the control run): the platform is never asked, as before the marker look-up existed.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

from core.model import Origin
from core.notices import Notice
from core.ports import ChatDelivery
from core.views import AnnouncementView

Closer = Callable[[], Awaitable[None]]


class Blind:
    """A ChatDelivery that never finds an earlier delivery (the control run)."""

    def __init__(self, chat: ChatDelivery) -> None:
        self.chat = chat

    async def send_dm(self, member_id: str, notice: Notice) -> None:
        await self.chat.send_dm(member_id, notice)

    async def already_delivered(self, member_id: str, marker: str) -> bool:
        return False

    async def post_to_channel(self, origin: Origin, notice: Notice) -> None:
        await self.chat.post_to_channel(origin, notice)

    async def send_file(self, member_id: str, file: object) -> None:
        """Exports are not part of this benchmark."""

    async def publish_announcement(self, view: AnnouncementView) -> str | None:
        return await self.chat.publish_announcement(view)


async def slack_chat(base: str) -> tuple[ChatDelivery, Closer]:
    import aiohttp

    from adapters.slack.chat import SlackChat
    from adapters.slack.pacing import ChannelPacer
    from adapters.slack.settings import SlackSettings
    from adapters.slack.web_api import build_web_client
    from core.clock import SystemClock
    from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET

    settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_base_url=base)
    http = aiohttp.ClientSession()
    client = build_web_client(settings, http)
    pacer = ChannelPacer(settings.channel_post_interval_seconds)
    return SlackChat(client, SystemClock(), "https://dojo.example", pacer), http.close


async def discord_chat(base: str, state: Path, scale: float) -> tuple[ChatDelivery, Closer]:
    from discord.http import HTTPClient, Route

    from adapters.discord.chat import DiscordChat
    from adapters.discord.memory import DiscordMemory
    from adapters.discord.pacing import GlobalPacer
    from adapters.discord.render_common import Links
    from adapters.discord.rest import DiscordRest
    from core.clock import SystemClock

    Route.BASE = base
    http = HTTPClient(asyncio.get_running_loop())
    await http.static_login("bench-token")
    rest = DiscordRest(http, GlobalPacer(50, 1.0 / scale), DiscordMemory(state))
    links = Links("https://dojo.example")
    return DiscordChat(lambda: rest, rest.memory, None, links, SystemClock()), http.close


async def run(
    url: str, platform: str, base: str, now: datetime, state: Path, scale: float, blind: bool
) -> None:
    from adapters.sql.store import open_sql_store
    from core.reminder_dispatch import ReminderDispatcher

    store = await open_sql_store(url)
    if platform == "slack":
        chat, close = await slack_chat(base)
    else:
        chat, close = await discord_chat(base, state, scale)
    try:
        dispatcher = ReminderDispatcher(store, Blind(chat) if blind else chat)
        while True:
            await dispatcher.run_due(now)
            due = await store.next_reminder_due()
            if due is None:
                break
            now = max(now, due)
    finally:
        await close()
        await store.close()
    print("done", flush=True)


def main() -> None:
    url, platform, base, now, state, scale = sys.argv[1:7]
    blind = sys.argv[7:] == ["blind"]
    when = datetime.fromisoformat(now)
    asyncio.run(run(url, platform, base, when, Path(state), float(scale), blind))


if __name__ == "__main__":
    main()
