"""Issue 11, item 2: a RealtimeKit delivery heard by two `web` processes at once is applied
once (one attendance interval, one "live" post, one "ended" summary): the delivery is claimed
in PostgreSQL, joins are unique per stay and status changes are compare-and-set.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from adapters.sql import SqlSessionStore
from core.model import Origin, Room, RoomState, SessionStatus, TrainingSession
from tests.fakes.realtimekit_api import FakeRealtimeKit, payload
from tests.fakes.slack_api import TEAM, FakeSlackApi
from tests.reliability.conftest import (
    CHANNEL,
    SENSEI,
    SIGNER,
    realtimekit_env,
    slack_env,
    web_processes,
)
from tests.reliability.processes import WebProcess, running

WITHIN = 15.0
MEETING = "mtg-reliability-1"
INSTRUCTOR = f"slack:{TEAM}:{SENSEI}"


def iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


async def deliver(http: httpx.AsyncClient, to: WebProcess, body: bytes) -> int:
    """One delivery of `body` (its own rtk-uuid, as a redelivery may have); answered 503 while
    another process applies it, it is retried once that one answered, as Cloudflare would."""
    headers = SIGNER.headers(body, str(uuid.uuid4()))
    response = await http.post(f"{to.url}/webhooks/realtimekit", content=body, headers=headers)
    return response.status_code


async def deliver_everywhere(
    http: httpx.AsyncClient, processes: tuple[WebProcess, ...], *bodies: bytes
) -> None:
    """Every body to every process at once; then the 503s again (by now the others finished)."""
    sends = [(p, b) for b in bodies for p in processes]
    statuses = await asyncio.gather(*(deliver(http, p, b) for p, b in sends))
    assert set(statuses) <= {200, 503}, statuses
    assert 200 in statuses
    retries = [deliver(http, p, b) for (p, b), s in zip(sends, statuses, strict=True) if s == 503]
    assert set(await asyncio.gather(*retries)) <= {200}


def posts_containing(api: FakeSlackApi, text: str) -> int:
    return sum(1 for call in api.channel_posts(CHANNEL) if text in str(call.args.get("text")))


async def test_deliveries_heard_by_two_processes_apply_once(
    tmp_path: Path,
    pg_url: str,
    pg_store: SqlSessionStore,
    slack_api: FakeSlackApi,
    realtimekit: FakeRealtimeKit,
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    await pg_store.add_session(
        TrainingSession(
            id="rtk1",
            title="Randori",
            instructor_id=INSTRUCTOR,
            instructor_name="Sensei",
            start_time=now + timedelta(minutes=5),
            duration_minutes=60,
            room=Room(provider="realtimekit", room_id=MEETING, state=RoomState.READY),
            origin=Origin(platform="slack", workspace_id=TEAM, channel_id=CHANNEL),
            created_at=now,
            updated_at=now,
        )
    )
    env = slack_env(pg_url, slack_api) | realtimekit_env(realtimekit)
    processes = tuple(web_processes(tmp_path, env))
    joined = {"customParticipantId": INSTRUCTOR, "userDisplayName": "Sensei"}
    joined |= {"joinedAt": iso(now)}
    join = payload("meeting.participantJoined", MEETING, participant=joined)
    ended = [  # two different deliveries of the end (their bodies differ)
        payload("meeting.ended", MEETING, meeting={"endedAt": iso(now + timedelta(minutes=n))})
        for n in (50, 51)
    ]
    async with running(*processes), httpx.AsyncClient(timeout=WITHIN) as http:
        await deliver_everywhere(http, processes, join)
        intervals = await pg_store.list_attendance("rtk1")
        assert [(i.member_id, i.joined_at) for i in intervals] == [(INSTRUCTOR, now)]
        session = await pg_store.get_session("rtk1")
        assert session is not None and session.status is SessionStatus.LIVE

        await deliver_everywhere(http, processes, *ended)
        session = await pg_store.get_session("rtk1")
        assert session is not None and session.status is SessionStatus.ENDED
        assert len(await pg_store.list_attendance("rtk1")) == 1
        for process in processes:
            assert not process.tracebacks(), process.log()
    assert posts_containing(slack_api, "is live now") == 1
    assert posts_containing(slack_api, "” ended.") == 1
