"""Discord reminder fan-out: N reminder DMs due at the same moment, through the real
discord.py HTTP client to the fake Discord API, which enforces Discord's limits.

    python -m bench.discord_fanout [--members 10000] [--time-scale 5] [--restart-at 0.5]

The fake allows 50 requests per window (sliding) across all non-interaction routes and
per-route buckets (5 messages per 5 s per channel, …) with `X-RateLimit-*` headers, answering
429 + `retry_after` when exceeded. `--time-scale 5` runs Discord's clock five times faster
(window 0.2 s, all buckets and retry_after shrunk alike) so 10,000 DMs take ~1.5 min per run;
rates are reported in Discord seconds (wall seconds × scale).

Ceiling: each member needs a DM channel opened once (POST /users/@me/channels, cached after)
and one message (POST /channels/{id}/messages): 2 requests under the global 50/s, so at most
25 delivered DMs per second for members never DMed before (50/s once channels are cached).

The fake runs in its own process (as Discord is remote), so its work does not slow the client.
The path is the production one: ReminderDispatcher (claim → send → mark) → DiscordChat →
DiscordRest (GlobalPacer, DM-channel cache) → discord.py HTTPClient. The "restart" run
cancels the dispatcher half-way (in-flight requests dropped), starts a new HTTP client and
chat (the DM-channel cache survives in its state file; the new pacer starts with an empty
bucket), lets the claims' lease pass on the fake clock and sends the rest; the DMs claimed
but not recorded at the cancel are looked up in their DM channel (marker in the embed footer)
before being re-sent. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
from discord.http import HTTPClient, Route

from adapters.discord.chat import DiscordChat
from adapters.discord.memory import DiscordMemory
from adapters.discord.pacing import GlobalPacer
from adapters.discord.render_common import Links
from adapters.discord.rest import DiscordRest
from core.model import Origin, TrainingSession
from core.notices import Notice
from core.reminder_dispatch import CLAIM_LEASE, ReminderDispatcher
from core.reminders import plan_reminders
from core.testing.clock import FakeClock
from core.testing.store import InMemorySessionStore
from core.views import AnnouncementView

GLOBAL_LIMIT = 50
FIRST_USER = 10**17
START = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


@dataclass
class Result:
    label: str
    members: int
    delivered: int
    duplicates: int
    lost: int
    requests: int
    dm_opens: int
    too_many: int
    discord_seconds: float

    @property
    def rate(self) -> float:
        return self.delivered / self.discord_seconds

    @property
    def ceiling(self) -> float:
        """Deliveries/s the global limit allows for the requests this run needed."""
        per_delivery = (self.requests - self.too_many) / max(self.delivered, 1)
        return GLOBAL_LIMIT / per_delivery


async def seed(store: InMemorySessionStore, members: int) -> TrainingSession:
    now = START - timedelta(days=2)
    session = TrainingSession(
        id="fanout",
        title="Fan-out",
        instructor_id="discord:1",
        instructor_name="sensei",
        start_time=START,
        duration_minutes=60,
        origin=Origin(platform="discord", workspace_id="1", channel_id=None),
        created_at=now,
        updated_at=now,
    )
    await store.add_session(session)
    for i in range(members):
        await store.rsvp_going(session.id, f"discord:{FIRST_USER + i}", f"m{i}", now)
    await store.replace_reminders(session.id, plan_reminders(session, now))
    return session


async def chat_for(state: Path, scale: float) -> tuple[DiscordChat, HTTPClient]:
    http = HTTPClient(asyncio.get_running_loop())
    await http.static_login("bench-token")
    rest = DiscordRest(http, GlobalPacer(GLOBAL_LIMIT, 1.0 / scale, 0.0), DiscordMemory(state))
    chat = DiscordChat(lambda: rest, rest.memory, None, Links("https://dojo.example"), FakeClock())
    return chat, http


class CountingChat:
    """Passes DMs through and fires `reached` once `threshold` were sent."""

    def __init__(self, chat: DiscordChat, threshold: int) -> None:
        self.chat = chat
        self.threshold = threshold
        self.sent = 0
        self.reached = asyncio.Event()

    async def send_dm(self, member_id: str, notice: Notice) -> None:
        await self.chat.send_dm(member_id, notice)
        self.sent += 1
        if self.sent >= self.threshold:
            self.reached.set()

    async def already_delivered(self, member_id: str, marker: str) -> bool:
        return await self.chat.already_delivered(member_id, marker)

    async def post_to_channel(self, origin: Origin, notice: Notice) -> None:
        await self.chat.post_to_channel(origin, notice)

    async def send_file(self, member_id: str, file: object) -> None:
        """Exports are not part of this benchmark."""

    async def publish_announcement(self, view: AnnouncementView) -> str | None:
        return None


async def start_fake(scale: float) -> tuple[asyncio.subprocess.Process, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakes.discord_api",
        str(GLOBAL_LIMIT),
        str(1.0 / scale),
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    base = (await process.stdout.readline()).decode().strip()
    return process, base


async def fake_stats(base: str) -> dict[str, Any]:
    url = base.replace("/api/v10", "/_fake/stats")
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        data: dict[str, Any] = await response.json()
        return data


async def run(members: int, scale: float, restart_at: float | None) -> Result:
    process, base = await start_fake(scale)
    Route.BASE = base
    store = InMemorySessionStore()
    await seed(store, members)
    clock = FakeClock(START - timedelta(hours=1))  # the 1 h reminder is due
    state = Path(tempfile.mkdtemp(prefix="discord-fanout-"))
    chat, http = await chat_for(state, scale)
    counting = CountingChat(chat, int(members * (restart_at or 2)))
    began = time.perf_counter()
    try:
        if restart_at is None:
            await ReminderDispatcher(store, chat).run_due(clock.now())
        else:
            task = asyncio.create_task(ReminderDispatcher(store, counting).run_due(clock.now()))
            await asyncio.wait(
                [task, asyncio.ensure_future(counting.reached.wait())],
                return_when=asyncio.FIRST_COMPLETED,
            )
            task.cancel()  # the crash: requests in flight are dropped
            await asyncio.gather(task, return_exceptions=True)
            await http.close()
            chat.memory.close()
            chat, http = await chat_for(state, scale)
            dispatcher = ReminderDispatcher(store, chat)
            await dispatcher.run_due(clock.now())  # claims still leased: held, postponed
            clock.advance(CLAIM_LEASE)
            await dispatcher.run_due(clock.now())
        elapsed = time.perf_counter() - began
        stats = await fake_stats(base)
    finally:
        await http.close()
        chat.memory.close()
        process.terminate()
        await process.wait()
    per_user = [int(n) for n in stats["dm_messages"].values()]
    delivered = sum(1 for n in per_user if n >= 1)
    return Result(
        label="restart half-way" if restart_at is not None else "one run",
        members=members,
        delivered=delivered,
        duplicates=sum(n - 1 for n in per_user if n > 1),
        lost=members - delivered,
        requests=int(stats["requests"]) - 1,  # minus the login
        dm_opens=int(stats["dm_opens"]),
        too_many=int(stats["global_429s"]) + int(stats["route_429s"]),
        discord_seconds=elapsed * scale,
    )


def table(results: list[Result], scale: float) -> str:
    head = (
        "| run | DMs due | delivered | DM/s (Discord time) | ceiling DM/s | share of ceiling "
        "| requests | DM-channel opens | 429s | 429 share | duplicates | lost |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    rows = [
        f"| {r.label} | {r.members:,} | {r.delivered:,} | {r.rate:.1f} | {r.ceiling:.1f} | "
        f"{r.rate / r.ceiling:.1%} | {r.requests:,} | {r.dm_opens:,} | {r.too_many} | "
        f"{r.too_many / r.requests:.2%} | {r.duplicates} | {r.lost} |"
        for r in results
    ]
    note = f"(time scale ×{scale:g}: Discord seconds = wall seconds × {scale:g})"
    return "\n".join([head, *rows, "", note])


async def main_async(args: argparse.Namespace) -> None:
    results = []
    for restart in (None, args.restart_at):
        print(f"running {args.members} members, restart={restart} …", file=sys.stderr)
        results.append(await run(args.members, args.time_scale, restart))
    print(table(results, args.time_scale))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--time-scale", type=float, default=5.0)
    parser.add_argument("--restart-at", type=float, default=0.5)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
