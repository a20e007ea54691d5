"""One contract for every `VideoRooms` implementation.

Add a provider by adding one `RoomsCase` to `REGISTRY`; `open` is an async context manager so
an adapter can start its in-process vendor fake first (RealtimeKit).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from adapters.jitsi import JitsiRooms, JitsiSettings
from adapters.realtimekit import RealtimeKitRooms, RealtimeKitSettings
from core.errors import InvalidState, RoomUnavailable
from core.model import Member, Role, Room, RoomState, TrainingSession
from core.ports import VideoRooms
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from tests.fakes.realtimekit_api import ACCOUNT as RTK_ACCOUNT
from tests.fakes.realtimekit_api import APP as RTK_APP
from tests.fakes.realtimekit_api import TOKEN as RTK_TOKEN
from tests.fakes.realtimekit_api import FakeRealtimeKit, running_fake_realtimekit

SECRET = "contract-secret-0123456789abcdef-0123456789abcdef"


@dataclass(frozen=True)
class RoomsCase:
    """One implementation under contract, and what its links can express."""

    name: str
    open: Callable[[], AbstractAsyncContextManager[VideoRooms]]
    personal_links: bool
    """Each member gets a link of their own."""
    host_links: bool
    """The host's link differs from a member's."""
    can_record: bool = False
    """The bot can start and stop recordings."""


def _simple(
    factory: Callable[[], VideoRooms],
) -> Callable[[], AbstractAsyncContextManager[VideoRooms]]:
    @asynccontextmanager
    async def open_rooms() -> AsyncIterator[VideoRooms]:
        yield factory()

    return open_rooms


def realtimekit_rooms(
    first_page: int = 0, max_per_page: int | None = None
) -> Callable[[], AbstractAsyncContextManager[VideoRooms]]:
    """RealtimeKitRooms against a fake paging one way (the docs leave the numbering open)."""

    @asynccontextmanager
    async def open_rooms() -> AsyncIterator[VideoRooms]:
        fake = FakeRealtimeKit(first_page=first_page, max_per_page=max_per_page)
        async with open_realtimekit_rooms(fake) as rooms:
            yield rooms

    return open_rooms


@asynccontextmanager
async def open_realtimekit_rooms(
    fake: FakeRealtimeKit | None = None,
) -> AsyncIterator[VideoRooms]:
    """RealtimeKitRooms over real httpx against the fake RealtimeKit API on loopback."""
    async with running_fake_realtimekit(fake) as fake:
        settings = RealtimeKitSettings(
            account_id=RTK_ACCOUNT, app_id=RTK_APP, api_token=RTK_TOKEN, base_url=fake.base_url
        )
        rooms = RealtimeKitRooms(settings, page_url="https://dojo.example")
        try:
            yield rooms
        finally:
            await rooms.close()


REGISTRY = [
    RoomsCase(
        "memory",
        _simple(InMemoryVideoRooms),
        personal_links=True,
        host_links=True,
        can_record=True,
    ),
    RoomsCase("jitsi-public", _simple(JitsiRooms), personal_links=False, host_links=False),
    RoomsCase(
        "jitsi-jwt",
        _simple(
            lambda: JitsiRooms(
                JitsiSettings(
                    base_url="https://meet.example.com", app_id="dojobot", app_secret=SECRET
                )
            )
        ),
        personal_links=True,
        host_links=True,
    ),
    RoomsCase(
        "realtimekit",
        open_realtimekit_rooms,
        personal_links=True,
        host_links=False,  # one participant per member: the preset changes, not the link
        can_record=True,
    ),
    RoomsCase(
        "realtimekit-pages-from-1-of-2",
        realtimekit_rooms(first_page=1, max_per_page=2),
        personal_links=True,
        host_links=False,
        can_record=True,
    ),
]


@pytest.fixture(params=REGISTRY, ids=[case.name for case in REGISTRY])
def rooms_case(request: pytest.FixtureRequest) -> RoomsCase:
    case: RoomsCase = request.param
    return case


@pytest.fixture
async def rooms(rooms_case: RoomsCase) -> AsyncIterator[VideoRooms]:
    async with rooms_case.open() as implementation:
        yield implementation


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))


def make_session(
    clock: FakeClock, session_id: str = "s1", title: str = "Judo randori"
) -> TrainingSession:
    now = clock.now()
    return TrainingSession(
        id=session_id,
        title=title,
        instructor_id="slack:T1:U1",
        instructor_name="Sensei Kano",
        start_time=now + timedelta(days=1),
        duration_minutes=60,
        created_at=now,
        updated_at=now,
    )


async def with_room(rooms: VideoRooms, session: TrainingSession) -> TrainingSession:
    room_id = await rooms.create_room(session)
    room = Room(provider=rooms.provider, room_id=room_id, state=RoomState.READY)
    return session.model_copy(update={"room": room})


ANN = Member(id="slack:T1:U2", display_name="Ann")
BOB = Member(id="slack:T1:U3", display_name="Bob")
HOST = Member(id="slack:T1:U1", display_name="Sensei Kano", role=Role.INSTRUCTOR)


def test_provider_is_named(rooms: VideoRooms) -> None:
    assert isinstance(rooms.provider, str)
    assert rooms.provider


async def test_create_returns_distinct_unguessable_ids(rooms: VideoRooms, clock: FakeClock) -> None:
    first = await rooms.create_room(make_session(clock, "s1"))
    second = await rooms.create_room(make_session(clock, "s2"))
    assert first != second
    assert len(first) >= 20
    assert len(second) >= 20


@pytest.mark.parametrize(
    "since_start",
    [timedelta(days=-1), timedelta(minutes=30), timedelta(days=1)],
    ids=["early", "during", "late"],
)
async def test_join_url_is_https_and_not_expired(
    rooms: VideoRooms, clock: FakeClock, since_start: timedelta
) -> None:
    session = await with_room(rooms, make_session(clock))
    now = session.start_time + since_start
    link = await rooms.join_url(session, ANN, False, now)
    assert urlsplit(link.url).scheme == "https"
    assert link.expires_at is None or link.expires_at > now


async def test_links_per_member(rooms: VideoRooms, rooms_case: RoomsCase, clock: FakeClock) -> None:
    session = await with_room(rooms, make_session(clock))
    now = session.start_time
    ann = await rooms.join_url(session, ANN, False, now)
    bob = await rooms.join_url(session, BOB, False, now)
    if rooms_case.personal_links:
        assert ann.url != bob.url
    else:
        assert urlsplit(ann.url)[:4] == urlsplit(bob.url)[:4]


async def test_links_for_host(rooms: VideoRooms, rooms_case: RoomsCase, clock: FakeClock) -> None:
    session = await with_room(rooms, make_session(clock))
    now = session.start_time
    as_host = await rooms.join_url(session, HOST, True, now)
    as_member = await rooms.join_url(session, HOST, False, now)
    assert (as_host.url != as_member.url) == rooms_case.host_links


async def test_links_of_two_sessions_differ(rooms: VideoRooms, clock: FakeClock) -> None:
    one = await with_room(rooms, make_session(clock, "s1"))
    two = await with_room(rooms, make_session(clock, "s2"))
    link_one = await rooms.join_url(one, ANN, False, one.start_time)
    link_two = await rooms.join_url(two, ANN, False, two.start_time)
    assert link_one.url != link_two.url


async def test_join_url_without_room_raises(rooms: VideoRooms, clock: FakeClock) -> None:
    session = make_session(clock)
    with pytest.raises(RoomUnavailable) as caught:
        await rooms.join_url(session, ANN, False, clock.now())
    assert caught.value.message


async def test_delete_is_idempotent(rooms: VideoRooms, clock: FakeClock) -> None:
    room_id = await rooms.create_room(make_session(clock))
    await rooms.delete_room(room_id)
    await rooms.delete_room(room_id)
    await rooms.delete_room("never-created-room-0000000000")


async def test_end_is_idempotent(rooms: VideoRooms, clock: FakeClock) -> None:
    room_id = await rooms.create_room(make_session(clock))
    await rooms.end_room(room_id)
    await rooms.end_room(room_id)
    await rooms.end_room("never-created-room-0000000000")
    await rooms.delete_room(room_id)


async def test_recording_start_stop(
    rooms: VideoRooms, rooms_case: RoomsCase, clock: FakeClock
) -> None:
    room_id = await rooms.create_room(make_session(clock))
    if not rooms_case.can_record:
        with pytest.raises(RoomUnavailable) as caught:
            await rooms.start_recording(room_id)
        assert "RealtimeKit" in (caught.value.hint or "")
        with pytest.raises(RoomUnavailable):
            await rooms.stop_recording(room_id)
        return
    with pytest.raises(InvalidState):
        await rooms.stop_recording(room_id)
    await rooms.start_recording(room_id)
    await rooms.stop_recording(room_id)
    with pytest.raises(InvalidState, match="No recording"):
        await rooms.stop_recording(room_id)


# InMemoryVideoRooms extras: the failure injection and records core tests rely on ---------


async def test_memory_fail_creates_counts_down(clock: FakeClock) -> None:
    rooms = InMemoryVideoRooms(fail_creates=2)
    session = make_session(clock)
    for _ in range(2):
        with pytest.raises(RoomUnavailable, match="video provider unavailable"):
            await rooms.create_room(session)
    room_id = await rooms.create_room(session)
    assert rooms.created == [room_id]
    assert rooms.fail_creates == 0


async def test_memory_down_fails_everything_until_back(clock: FakeClock) -> None:
    rooms = InMemoryVideoRooms()
    session = await with_room(rooms, make_session(clock))
    rooms.down = True
    with pytest.raises(RoomUnavailable, match="video provider unavailable"):
        await rooms.create_room(session)
    with pytest.raises(RoomUnavailable, match="video provider unavailable"):
        await rooms.join_url(session, ANN, False, clock.now())
    with pytest.raises(RoomUnavailable, match="video provider unavailable"):
        await rooms.delete_room(session.room.room_id or "")
    rooms.down = False
    assert (await rooms.join_url(session, ANN, False, clock.now())).url


async def test_memory_records_links_and_deletions(clock: FakeClock) -> None:
    rooms = InMemoryVideoRooms()
    session = await with_room(rooms, make_session(clock))
    room_id = session.room.room_id
    assert room_id is not None
    link = await rooms.join_url(session, HOST, True, session.start_time)
    assert link.url == f"https://rooms.invalid/{room_id}?member=slack%3AT1%3AU1&host=1"
    assert link.expires_at == session.end_time + timedelta(minutes=15)
    assert rooms.issued == [(room_id, HOST.id, True)]
    await rooms.delete_room(room_id)
    await rooms.delete_room(room_id)
    assert rooms.deleted == [room_id]
    with pytest.raises(RoomUnavailable, match="closed"):
        await rooms.join_url(session, ANN, False, session.start_time)


async def test_can_record_is_declared_and_kept(rooms: VideoRooms, clock: FakeClock) -> None:
    """The core promises a recording only where `can_record`; rooms that can't, refuse."""
    assert rooms.can_record is {"jitsi": False}.get(rooms.provider, True)
    if not rooms.can_record:
        session = await with_room(rooms, make_session(clock))
        assert session.room.room_id is not None
        with pytest.raises(RoomUnavailable):
            await rooms.start_recording(session.room.room_id)


async def test_withdraw_host_then_the_next_link_is_a_participants(
    rooms: VideoRooms, clock: FakeClock
) -> None:
    session = await with_room(rooms, make_session(clock))
    now = session.start_time
    await rooms.join_url(session, HOST, True, now)
    await rooms.withdraw_host(session, HOST.id)
    await rooms.withdraw_host(session, HOST.id)  # nothing left to withdraw: no error
    await rooms.withdraw_host(session, BOB.id)  # never joined: no error
    link = await rooms.join_url(session, HOST, False, now)
    assert urlsplit(link.url).scheme == "https"
    no_room = make_session(clock, "s2")
    await rooms.withdraw_host(no_room, HOST.id)  # no room yet: nothing to withdraw
