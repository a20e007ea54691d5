"""POST /webhooks/realtimekit: signatures, dedupe, order, durability, effects on sessions."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.realtimekit import RealtimeKitWebhooks, SignatureVerifier
from core.commands import ScheduleSession
from core.model import Member, Origin, Role, SessionStatus, TrainingSession, Visibility
from core.room_events import RoomEvents
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.fakes.realtimekit_api import (
    FakeRealtimeKit,
    WebhookSigner,
    key_url,
    payload,
    running_fake_realtimekit,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SENSEI = Member(id="terminal:sensei", display_name="Sensei", role=Role.INSTRUCTOR)
ANA = Member(id="terminal:ana", display_name="Ana")
ORIGIN = Origin(platform="terminal", channel_id="dojo")
SIGNER = WebhookSigner()


def iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


@dataclass
class World:
    clock: FakeClock
    store: InMemorySessionStore
    chat: RecordingChatDelivery
    service: SessionService
    client: TestClient[web.Request, web.Application]
    session: TrainingSession
    http: httpx.AsyncClient

    async def close(self) -> None:
        await self.client.close()
        await self.http.aclose()

    @property
    def room(self) -> str:
        return self.session.room.room_id or ""

    async def send(
        self, body: bytes, delivery: str | None = None, **headers: str
    ) -> tuple[int, dict[str, Any]]:
        sent = SIGNER.headers(body, delivery) | headers
        response = await self.client.post("/webhooks/realtimekit", data=body, headers=sent)
        return response.status, await response.json()

    async def joined(self, member: Member, at: datetime, delivery: str | None = None) -> int:
        body = payload(
            "meeting.participantJoined",
            self.room,
            participant={
                "peerId": "p",
                "userDisplayName": member.display_name,
                "customParticipantId": member.id,
                "joinedAt": iso(at),
            },
        )
        return (await self.send(body, delivery))[0]

    async def left(self, member: Member, joined: datetime, left: datetime) -> int:
        body = payload(
            "meeting.participantLeft",
            self.room,
            participant={
                "userDisplayName": member.display_name,
                "customParticipantId": member.id,
                "joinedAt": iso(joined),
                "leftAt": iso(left),
            },
        )
        return (await self.send(body))[0]

    async def fresh(self) -> TrainingSession:
        return await self.service.get(self.session.id)


async def make_world(
    verifier_for: Callable[[FakeClock], SignatureVerifier] | None = None, **fields: Any
) -> World:
    clock = FakeClock(T0)
    store = InMemorySessionStore()
    chat = RecordingChatDelivery()
    service = SessionService(store, InMemoryVideoRooms(), chat, clock)
    command = ScheduleSession.model_validate(
        {"title": "Kata", "start_time": T0 + timedelta(minutes=5)} | fields
    )
    session = await service.schedule(SENSEI, command, ORIGIN)
    await service.rsvp(ANA, session.id)
    http = httpx.AsyncClient()
    verifier = (
        verifier_for(clock)
        if verifier_for
        else SignatureVerifier(
            public_key_pem=SIGNER.public_pem,
            key_url="https://keys.invalid/webhooks.json",
            http=http,
            clock=clock,
            refetch_after=timedelta(minutes=5),
        )
    )
    webhooks = RealtimeKitWebhooks(verifier, RoomEvents(service), store, clock)
    app = web.Application()
    webhooks.mount(app)
    client: TestClient[web.Request, web.Application] = TestClient(TestServer(app))
    await client.start_server()
    return World(clock, store, chat, service, client, session, http)


@pytest.fixture
async def world() -> AsyncIterator[World]:
    made = await make_world()
    try:
        yield made
    finally:
        await made.close()


async def test_valid_join_records_attendance(world: World) -> None:
    assert await world.joined(ANA, T0) == 200
    [row] = await world.store.list_attendance(world.session.id)
    assert (row.member_id, row.member_name, row.joined_at) == (ANA.id, "Ana", T0)


@pytest.mark.parametrize(
    "headers",
    [
        {"rtk-signature": ""},
        {"rtk-signature": "not base64!"},
        {"rtk-signature": WebhookSigner().sign(b"{}")},
    ],
    ids=["unsigned", "garbage", "forged"],
)
async def test_bad_signature_is_401_without_effect(world: World, headers: dict[str, str]) -> None:
    body = payload(
        "meeting.participantJoined",
        world.room,
        participant={"customParticipantId": ANA.id, "joinedAt": iso(T0)},
    )
    status, _ = await world.send(body, **headers)
    assert status == 401
    assert await world.store.list_attendance(world.session.id) == []


async def test_tampered_body_is_401(world: World) -> None:
    body = payload(
        "meeting.participantJoined",
        world.room,
        participant={"customParticipantId": ANA.id, "joinedAt": iso(T0)},
    )
    headers = SIGNER.headers(body)
    tampered = body.replace(b"terminal:ana", b"terminal:eve")
    response = await world.client.post("/webhooks/realtimekit", data=tampered, headers=headers)
    assert response.status == 401
    assert await world.store.list_attendance(world.session.id) == []


async def test_the_signature_covers_the_raw_bytes(world: World) -> None:
    body = json.dumps(
        json.loads(
            payload(
                "meeting.participantJoined",
                world.room,
                participant={"customParticipantId": ANA.id, "joinedAt": iso(T0)},
            )
        ),
        indent=3,
    ).encode()  # not the canonical serialisation: must still verify
    assert (await world.send(body))[0] == 200


async def test_redelivery_adds_no_second_row(world: World) -> None:
    assert await world.joined(ANA, T0, delivery="d-1") == 200
    assert await world.joined(ANA, T0, delivery="d-1") == 200
    assert await world.joined(ANA, T0, delivery="d-2") == 200  # new uuid, same body
    assert len(await world.store.list_attendance(world.session.id)) == 1
    assert await world.store.webhook_seen("rtk-uuid:d-1")


async def test_leave_before_join_records_the_stay(world: World) -> None:
    joined, left = T0, T0 + timedelta(minutes=40)
    assert await world.left(ANA, joined, left) == 200
    assert await world.joined(ANA, joined) == 200
    [row] = await world.store.list_attendance(world.session.id)
    assert (row.joined_at, row.left_at) == (joined, left)
    assert await world.left(ANA, joined, left + timedelta(minutes=1)) == 200  # again: no change
    [row] = await world.store.list_attendance(world.session.id)
    assert row.left_at == left


async def test_instructor_in_and_meeting_started_makes_it_live_once(world: World) -> None:
    started = payload("meeting.started", world.room, meeting={"startedAt": iso(T0)})
    assert (await world.send(started))[0] == 200
    assert (await world.fresh()).status is SessionStatus.SCHEDULED  # instructor not in yet
    assert await world.joined(SENSEI, T0 + timedelta(minutes=1)) == 200
    live = await world.fresh()
    assert live.status is SessionStatus.LIVE
    assert (await world.send(payload("meeting.started", world.room)))[0] == 200  # second one
    assert (await world.fresh()).started_at == live.started_at
    assert len([s for s in world.chat.of_kind("channel") if "is live" in s.text]) == 1


async def test_meeting_ended_ends_the_session_with_a_summary(world: World) -> None:
    await world.joined(SENSEI, T0)
    world.clock.advance(timedelta(minutes=50))
    ended = payload("meeting.ended", world.room, reason="HOST_ENDED_MEETING")
    assert (await world.send(ended))[0] == 200
    session = await world.fresh()
    assert session.status is SessionStatus.ENDED
    [summary] = [s for s in world.chat.of_kind("channel") if "ended" in s.text]
    assert "Attended (1): Sensei 50 min" in summary.text
    assert "RSVP'd but absent (1): Ana" in summary.text
    assert (await world.send(payload("meeting.ended", world.room, x=1)))[0] == 200  # late again


def recording(room: str, status: str, url: str | None) -> bytes:
    return payload(
        "recording.statusUpdate",
        room,
        recording={"id": "r1", "status": status, "downloadUrl": url, "meetingId": room},
    )


async def test_uploaded_recording_is_dmed_to_attendees_of_members_only_sessions(
    world: World,
) -> None:
    await world.joined(ANA, T0)
    assert (await world.send(recording(world.room, "UPLOADING", None)))[0] == 200
    url = "https://rec.example/r1.mp4"
    assert (await world.send(recording(world.room, "UPLOADED", url)))[0] == 200
    assert (await world.fresh()).recording_url == url
    assert [s.to for s in world.chat.sent if url in s.text] == sorted([SENSEI.id, ANA.id])
    assert (await world.send(recording(world.room, "UPLOADED", url) + b" "))[0] == 200
    assert len([s for s in world.chat.sent if url in s.text]) == 2


async def test_uploaded_recording_of_a_public_session_is_posted() -> None:
    world = await make_world(visibility=Visibility.PUBLIC)
    url = "https://rec.example/r2.mp4"
    assert (await world.send(recording(world.room, "UPLOADED", url)))[0] == 200
    await world.close()
    assert [(s.kind, s.to) for s in world.chat.sent if url in s.text] == [("channel", "dojo")]


async def test_failure_is_5xx_and_the_redelivery_is_applied(world: World) -> None:
    world.store.record_join = _broken  # type: ignore[method-assign,assignment]
    assert await world.joined(ANA, T0, delivery="d-9") == 500
    assert not await world.store.webhook_seen("rtk-uuid:d-9")
    del world.store.record_join
    assert await world.joined(ANA, T0, delivery="d-9") == 200
    assert len(await world.store.list_attendance(world.session.id)) == 1


async def _broken(*_: object) -> None:
    raise ConnectionError("database went away")


async def test_unknown_room_event_and_malformed_body(world: World) -> None:
    assert (await world.send(payload("meeting.chatSynced", world.room)))[0] == 200
    assert (await world.send(payload("meeting.started", "some-other-meeting")))[0] == 200
    assert (await world.send(b"not json"))[0] == 400


# the published key --------------------------------------------------------------------


@pytest.fixture
async def key_server() -> AsyncIterator[FakeRealtimeKit]:
    async with running_fake_realtimekit() as fake:
        yield fake


async def published_world(fake: FakeRealtimeKit, http: httpx.AsyncClient) -> World:
    def verifier_for(clock: FakeClock) -> SignatureVerifier:
        return SignatureVerifier(
            public_key_pem=None,
            key_url=key_url(fake),
            http=http,
            clock=clock,
            refetch_after=timedelta(minutes=5),
        )

    return await make_world(verifier_for)


async def test_published_key_is_fetched_once_and_cached(key_server: FakeRealtimeKit) -> None:
    key_server.public_key_pem = SIGNER.public_pem
    async with httpx.AsyncClient() as http:
        world = await published_world(key_server, http)
        assert await world.joined(ANA, T0) == 200
        assert await world.joined(SENSEI, T0) == 200
        await world.close()
    assert key_server.key_fetches == 1


async def test_rotated_key_is_refetched_once_per_failed_check(
    key_server: FakeRealtimeKit,
) -> None:
    old, new = WebhookSigner(), SIGNER
    key_server.public_key_pem = old.public_pem
    async with httpx.AsyncClient() as http:
        world = await published_world(key_server, http)
        body = payload("meeting.started", world.room)
        assert (await world.send(body, **{"rtk-signature": old.sign(body)}))[0] == 200
        key_server.public_key_pem = new.public_pem
        world.clock.advance(timedelta(minutes=10))
        assert (await world.send(body + b" "))[0] == 200  # signed with the new key
        forged = WebhookSigner().sign(body)
        assert (await world.send(body, **{"rtk-signature": forged}))[0] == 401
        assert (await world.send(body, **{"rtk-signature": forged}))[0] == 401
        await world.close()
    assert key_server.key_fetches == 2  # forged ones don't refetch within 5 minutes


async def test_key_unavailable_is_503_so_cloudflare_retries(key_server: FakeRealtimeKit) -> None:
    async with httpx.AsyncClient() as http:
        world = await published_world(key_server, http)
        assert await world.joined(ANA, T0) == 503
        await world.close()


async def test_forgeries_fetch_a_failing_key_once_per_window(key_server: FakeRealtimeKit) -> None:
    async with httpx.AsyncClient() as http:
        world = await published_world(key_server, http)
        body = payload("meeting.started", world.room)
        forged = WebhookSigner().sign(body)
        for _ in range(20):
            assert (await world.send(body, **{"rtk-signature": forged}))[0] == 503
        assert key_server.key_fetches == 1
        world.clock.advance(timedelta(minutes=5))
        assert (await world.send(body, **{"rtk-signature": forged}))[0] == 503
        assert key_server.key_fetches == 2
        key_server.public_key_pem = SIGNER.public_pem
        world.clock.advance(timedelta(minutes=5))
        assert (await world.send(body))[0] == 200
        await world.close()
    assert key_server.key_fetches == 3


async def test_a_bad_signature_stays_401_while_the_key_url_fails(
    key_server: FakeRealtimeKit,
) -> None:
    key_server.public_key_pem = SIGNER.public_pem
    async with httpx.AsyncClient() as http:
        world = await published_world(key_server, http)
        body = payload("meeting.started", world.room)
        assert (await world.send(body))[0] == 200
        key_server.public_key_pem = None  # the key URL now answers 404
        world.clock.advance(timedelta(minutes=10))
        forged = WebhookSigner().sign(body)
        for _ in range(5):
            assert (await world.send(body + b" ", **{"rtk-signature": forged}))[0] == 401
        assert (await world.send(body + b"  "))[0] == 200  # the cached key still verifies
        await world.close()
    assert key_server.key_fetches == 2


def never_applicable(room: str) -> dict[str, bytes]:
    """Signed deliveries whose values can never be applied, however often they are retried."""
    joined = {"customParticipantId": ANA.id, "joinedAt": iso(T0)}
    return {
        "overflowing offset": payload(
            "meeting.started", room, meeting={"startedAt": "9999-12-31T23:59:59-14:00"}
        ),
        "year 1": payload(
            "meeting.participantLeft", room, participant=joined | {"leftAt": "0001-01-01T00:00:00Z"}
        ),
        "year 9999": payload(
            "meeting.participantJoined",
            room,
            participant=joined | {"joinedAt": "9999-01-01T00:00Z"},
        ),
        "number as time": payload(
            "meeting.participantJoined", room, participant=joined | {"joinedAt": 1e18}
        ),
        "NUL in an id": payload(
            "meeting.participantJoined", room, participant=joined | {"customParticipantId": "a\0"}
        ),
        "id as number": payload(
            "meeting.participantJoined", room, participant=joined | {"customParticipantId": 7}
        ),
        "nested arrays": b"[" * 100_000,
        "huge body": payload("meeting.started", room, reason="x" * 300_000),
    }


@pytest.mark.parametrize("case", list(never_applicable("r")))
async def test_signed_bodies_that_can_never_apply_are_4xx(
    world: World, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    status, _ = await world.send(never_applicable(world.room)[case])
    assert status in (400, 413, 422)
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert await world.store.list_attendance(world.session.id) == []
    assert (await world.fresh()).status is SessionStatus.SCHEDULED


async def test_forged_deliveries_log_one_line(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    body = payload("meeting.started", world.room)
    forged = WebhookSigner().sign(body)
    for _ in range(30):
        assert (await world.send(body, **{"rtk-signature": forged}))[0] == 401
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1
