"""Issue 18, clean stops: a deploy of every Procfile process (web, discord, clock on
PostgreSQL) while reminder DMs are in flight loses none and sends none twice, and what the
stopping clock could not finish is sent by the new processes at once, not after the lease.

The scene: sessions whose 24 h reminder is due, many members going. The fake Slack lets the
first DMs through, then holds the next ones, as a slow platform would: the leading clock
is mid-group when every process gets SIGTERM. Of the held DMs, half reach the platform
anyway (their requests were sent: the fake answers them after the old process is gone) and
half never do. The new set must send the second half and find the first half on the
platform (the released claims count as attempts, so it looks them up), once each.

The `discord` process runs without a Discord front end: discord.py's gateway needs a
websocket server the fakes do not have (the e2e stories feed gateway payloads in-process),
so here it is the Procfile's third process, campaigning for the clock like the others.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

from aiohttp import web

from adapters.sql import SqlSessionStore
from core.model import DeliveryKey, Origin, ReminderKind, TrainingSession
from core.ports import SessionStore
from core.reminder_dispatch import CLAIM_LEASE
from core.reminders import plan_reminders
from tests.fakes.slack_api import TEAM, FakeSlackApi
from tests.reliability.conftest import SENSEI, slack_env
from tests.reliability.processes import WebProcess, running

SESSIONS = 4
MEMBERS = 30
"""Members going to each session: 120 reminder DMs, five groups of 25 sends."""
LET_THROUGH = 30
"""DMs the platform answers before it starts holding them: the second group is mid-send."""
HOLDING = 20
"""Held DMs the test waits for before the deploy (the rest of that group of 25)."""
SHUTDOWN_SECONDS = 6.0
"""The processes' DOJOBOT_SHUTDOWN_SECONDS: 3 s for the held sends, then they are handed back."""
EXIT_MARGIN = 4.0
"""Seconds past it for the interpreter to exit on a loaded machine (exit code 0 already says
the stop itself ended in time: an overdue one exits 1)."""
WITHIN = 30.0
"""Bound of each wait. The handed-back DMs must all be out well before CLAIM_LEASE (2 min):
claims left to their lease would not be retried within it."""
ROLES = ("web", "discord", "clock")


class SlowSlack(FakeSlackApi):
    """The fake Slack holding DMs past the first `let_through` while `slow`; of the held
    requests, every other one is handled even if its sender is gone by then."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.slow = True
        self.let_through = LET_THROUGH
        self.passed = 0
        self.held = 0
        self.landing: list[asyncio.Task[web.StreamResponse]] = []
        """Held DMs that reach the platform whatever happens to their sender."""
        self._open = asyncio.Event()

    def open(self) -> None:
        """Answer every held request now, and the next ones at once."""
        self.slow = False
        self._open.set()

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] != "chat.postMessage" or not self.slow:
            return await super()._api(request)
        if self.passed < self.let_through:
            self.passed += 1
            return await super()._api(request)
        await request.read()  # the whole request arrived: the platform has it
        self.held += 1
        self._changed.set()
        if self.held % 2:
            return await self._after_opening(request)
        landing = asyncio.ensure_future(self._after_opening(request))
        self.landing.append(landing)
        return cast(web.Response, await asyncio.shield(landing))

    async def _after_opening(self, request: web.Request) -> web.Response:
        await self._open.wait()
        return await super()._api(request)

    def dm_counts(self, users: list[str]) -> dict[str, int]:
        return {user: len(self.messages_in(f"D{user}")) for user in users}


@dataclass
class Scene:
    sessions: list[TrainingSession]
    users: list[str]

    def delivery_keys(self) -> list[DeliveryKey]:
        return [
            DeliveryKey(
                session_id=s.id,
                recipient_id=member_id(user),
                kind=ReminderKind.BEFORE_24H,
                start_time=s.start_time,
            )
            for s in self.sessions
            for user in self.users_of(s)
        ]

    def users_of(self, session: TrainingSession) -> list[str]:
        per_session = len(self.users) // len(self.sessions)
        index = self.sessions.index(session)
        return self.users[index * per_session : (index + 1) * per_session]


def member_id(user: str) -> str:
    return f"slack:{TEAM}:{user}"


async def seed(
    store: SessionStore, slack: FakeSlackApi, sessions_count: int = SESSIONS, members: int = MEMBERS
) -> Scene:
    """Sessions starting in a day less a minute or more, `members` going to each: their
    24 h reminder is due now (only that one is planned). DMs only, no channel post."""
    wall = datetime.now(UTC)  # the processes' clock is the real one
    start = (wall + timedelta(hours=24) - timedelta(minutes=1)).replace(microsecond=0)
    planned_at = start - timedelta(days=2)
    sessions, users = [], []
    for n in range(sessions_count):
        session = TrainingSession(
            id=f"deploy{n}",
            title=f"Kata {n}",
            instructor_id=member_id(SENSEI),
            instructor_name="Sensei",
            start_time=start - timedelta(minutes=n),
            duration_minutes=60,
            origin=Origin(platform="slack", workspace_id=TEAM, channel_id=None),
            created_at=planned_at,
            updated_at=planned_at,
        )
        await store.add_session(session)
        for m in range(members):
            user = f"U{n:02d}M{m:03d}"
            slack.add_user(user, f"Member {n}-{m}")
            users.append(user)
            await store.rsvp_going(session.id, member_id(user), f"Member {n}-{m}", planned_at)
        due = [r for r in plan_reminders(session, planned_at) if r.kind is ReminderKind.BEFORE_24H]
        await store.replace_reminders(session.id, due)
        sessions.append(session)
    return Scene(sessions, users)


def processes(tmp_path: Path, env: dict[str, str], generation: str) -> list[WebProcess]:
    return [
        WebProcess(f"{role}-{generation}", env, tmp_path / f"{role}-{generation}", role=role)
        for role in ROLES
    ]


async def test_a_deploy_during_a_reminder_fan_out_loses_nothing_and_repeats_nothing(
    tmp_path: Path, pg_url: str, pg_store: SqlSessionStore
) -> None:
    slack = SlowSlack()
    await slack.start()
    try:
        slack.add_user(SENSEI, "Sensei", "Europe/Berlin")
        scene = await seed(pg_store, slack)
        env = slack_env(pg_url, slack) | {"DOJOBOT_SHUTDOWN_SECONDS": str(SHUTDOWN_SECONDS)}
        old = processes(tmp_path, env, "old")
        async with running(*old):
            await slack.wait_for(lambda: slack.held >= HOLDING, WITHIN)
            # the deploy: every process told to stop at once, DMs in flight
            stopping_since = time.monotonic()
            codes = await asyncio.gather(*(p.stop() for p in old))
            stopped_within = time.monotonic() - stopping_since
        assert codes == [0, 0, 0], "\n".join(p.log() for p in old)
        assert stopped_within < SHUTDOWN_SECONDS + EXIT_MARGIN, stopped_within
        logs = "".join(line for p in old for line in p.lines)
        assert "reminder deliveries handed back" in logs, logs
        assert not [t for p in old for t in p.tracebacks()], logs

        # The requests still held reach the platform or not (their sender is gone) …
        slack.open()
        await asyncio.gather(*slack.landing)
        landed = sum(1 for n in slack.dm_counts(scene.users).values() if n)
        assert landed == LET_THROUGH + len(slack.landing)
        # … and the new set finishes the fan-out: each member's DM exactly once, at once.
        new = processes(tmp_path, env, "new")
        async with running(*new):
            started = time.monotonic()
            try:
                await slack.wait_for(lambda: all(slack.dm_counts(scene.users).values()), WITHIN)
            except TimeoutError:
                missing = [u for u, n in slack.dm_counts(scene.users).items() if not n]
                logs = "\n".join(p.log() for p in new)
                raise AssertionError(f"{len(missing)} DMs never sent:\n{logs}") from None
            resent_after = time.monotonic() - stopping_since
            for key in scene.delivery_keys():
                assert await pg_store.delivery_sent(key), key
        for process in new:
            assert not process.tracebacks(), process.log()
        counts = slack.dm_counts(scene.users)
        assert sorted(set(counts.values())) == [1], {u: n for u, n in counts.items() if n != 1}
        assert resent_after < CLAIM_LEASE.total_seconds(), resent_after
        print(
            f"stopped in {stopped_within:.1f} s; all DMs out {resent_after:.1f} s after "
            f"SIGTERM, {resent_after - (started - stopping_since):.1f} s after the new start"
        )
        # the held ones were handed back: claimed again (2 attempts), not left to the lease
        attempts = [await pg_store.delivery_attempts(key) for key in scene.delivery_keys()]
        assert attempts.count(2) >= HOLDING, attempts
    finally:
        await slack.close()
