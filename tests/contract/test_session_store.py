"""The SessionStore contract, run against every implementation in conftest.STORE_FACTORIES.

Time never flows by itself here: every instant is a fixed datetime passed explicitly.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol, cast

import pytest
from sqlalchemy import func, select, text

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql import queries as q
from adapters.sql.batching import CHUNK
from adapters.sql.migrations import head_version, migrate, schema_version
from adapters.sql.schema import deliveries
from core.errors import InvalidInput, InvalidState, NotFound
from core.model import (
    CHANNEL_RECIPIENT,
    DeliveryKey,
    Event,
    Origin,
    Reminder,
    ReminderKind,
    Room,
    RoomState,
    RsvpChange,
    RsvpStatus,
    SessionFilter,
    SessionStatus,
    TrainingSession,
    Visibility,
)
from core.ports import SessionStore
from core.testing.store import InMemorySessionStore
from tests.contract.conftest import sqlite_url

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


class Diagnostics(Protocol):
    """What every implementation exposes beyond the port, for these tests."""

    async def delivery_attempts(self, key: DeliveryKey) -> int: ...


LEASE = timedelta(minutes=5)
PLUS2 = timezone(timedelta(hours=2))


def at(minutes: float) -> datetime:
    """T0 shifted by `minutes`."""
    return T0 + timedelta(minutes=minutes)


def make_session(session_id: str = "s1", **changes: Any) -> TrainingSession:
    """A minimal valid session starting a day after T0."""
    values: dict[str, Any] = {
        "id": session_id,
        "title": "Judo basics",
        "instructor_id": "slack:T1:U1",
        "instructor_name": "Sensei Kano",
        "start_time": at(24 * 60),
        "duration_minutes": 60,
        "created_at": T0,
        "updated_at": T0,
    }
    values.update(changes)
    return TrainingSession(**values)


def full_session(session_id: str = "full") -> TrainingSession:
    """A session with every field set to something other than its default."""
    return make_session(
        session_id,
        title="Grading prep — kata",
        description="Bring a belt.\nLine two ✓",
        event_id="ev1",
        start_time=datetime(2027, 1, 2, 20, 30, 15, 123456, tzinfo=PLUS2),
        duration_minutes=95,
        capacity=12,
        recording_enabled=True,
        chat_enabled=False,
        visibility=Visibility.PUBLIC,
        tags=["kata", "grading", "ünïcode"],
        status=SessionStatus.ENDED,
        room=Room(
            provider="jitsi",
            room_id="dojo-abc",
            state=RoomState.FAILED,
            last_error="HTTP 503",
            attempts=3,
            last_attempt_at=at(1.000001),
        ),
        started_at=at(10),
        ended_at=at(70),
        canceled_at=at(80),
        canceled_by="slack:T1:U9",
        cancel_reason="storm",
        archived_at=at(90),
        origin=Origin(
            platform="slack", workspace_id="T1", channel_id="C1", message_ref="1700000000.0001"
        ),
        sequence=7,
        created_at=at(-5),
        updated_at=at(-4),
    )


def assert_all_utc(session: TrainingSession) -> None:
    instants = [
        session.start_time,
        session.started_at,
        session.ended_at,
        session.canceled_at,
        session.archived_at,
        session.created_at,
        session.updated_at,
        session.room.last_attempt_at,
    ]
    for instant in instants:
        if instant is not None:
            assert instant.tzinfo is UTC


async def ids(store: SessionStore, **criteria: Any) -> list[str]:
    return [s.id for s in await store.list_sessions(SessionFilter(**criteria))]


# sessions ---------------------------------------------------------------------------------


async def test_every_session_field_round_trips(store: SessionStore) -> None:
    original = full_session()
    await store.add_session(original)
    loaded = await store.get_session("full")
    assert loaded == original
    assert loaded is not None
    assert loaded.start_time == datetime(2027, 1, 2, 18, 30, 15, 123456, tzinfo=UTC)
    assert_all_utc(loaded)


async def test_minimal_session_round_trips_defaults(store: SessionStore) -> None:
    original = make_session()
    await store.add_session(original)
    loaded = await store.get_session("s1")
    assert loaded == original
    assert loaded is not None
    assert loaded.origin is None
    assert loaded.room == Room()
    assert loaded.tags == []
    assert loaded.capacity is None
    assert_all_utc(loaded)


async def test_get_unknown_session_is_none(store: SessionStore) -> None:
    assert await store.get_session("nope") is None


async def test_adding_a_taken_id_is_refused(store: SessionStore) -> None:
    await store.add_session(make_session())
    with pytest.raises(InvalidState):
        await store.add_session(make_session(title="Other"))
    loaded = await store.get_session("s1")
    assert loaded is not None
    assert loaded.title == "Judo basics"


async def test_get_sessions_returns_those_that_exist(store: SessionStore) -> None:
    for session_id in ("a", "b", "c"):
        await store.add_session(make_session(session_id))
    found = await store.get_sessions(["c", "ghost", "a", "c"])
    assert sorted(s.id for s in found) == ["a", "c"]
    assert found[0] == make_session(found[0].id)
    assert await store.get_sessions([]) == []


async def test_save_overwrites_every_field(store: SessionStore) -> None:
    await store.add_session(make_session("full"))
    changed = full_session()
    await store.save_session(changed)
    assert await store.get_session("full") == changed
    cleared = make_session("full", origin=None, tags=[])
    await store.save_session(cleared)
    assert await store.get_session("full") == cleared


async def test_save_unknown_session_raises_not_found(store: SessionStore) -> None:
    with pytest.raises(NotFound):
        await store.save_session(make_session("ghost"))
    assert await store.get_session("ghost") is None


async def test_stored_sessions_are_detached_copies(store: SessionStore) -> None:
    original = make_session(tags=["a"])
    await store.add_session(original)
    original.tags.append("mutated-after-add")
    original.room.attempts = 99
    loaded = await store.get_session("s1")
    assert loaded is not None
    loaded.tags.append("mutated-after-get")
    loaded.title = "changed"
    (listed,) = await store.list_sessions(SessionFilter())
    listed.room.state = RoomState.READY
    again = await store.get_session("s1")
    assert again is not None
    assert again.tags == ["a"]
    assert again.title == "Judo basics"
    assert again.room == Room()


async def test_list_orders_by_start_time_then_id_and_pages(store: SessionStore) -> None:
    for session_id, minutes in [("c", 30), ("a", 10), ("b", 30), ("d", 20), ("e", 40)]:
        await store.add_session(make_session(session_id, start_time=at(minutes)))
    assert await ids(store) == ["a", "d", "b", "c", "e"]
    assert await ids(store, descending=True) == ["e", "c", "b", "d", "a"]
    assert await ids(store, limit=2) == ["a", "d"]
    assert await ids(store, limit=2, offset=2) == ["b", "c"]
    assert await ids(store, limit=2, offset=4) == ["e"]
    assert await ids(store, offset=5) == []
    assert await ids(store, limit=2, offset=1, descending=True) == ["c", "b"]
    assert await store.count_sessions(SessionFilter(limit=1, offset=3)) == 5


async def test_list_of_empty_store(store: SessionStore) -> None:
    assert await store.list_sessions(SessionFilter()) == []
    assert await store.count_sessions(SessionFilter()) == 0


async def test_filters_by_status_instructor_event_and_room_state(store: SessionStore) -> None:
    await store.add_session(make_session("a", status=SessionStatus.LIVE, event_id="ev1"))
    await store.add_session(make_session("b", instructor_id="discord:G1:42", event_id="ev2"))
    await store.add_session(
        make_session("c", status=SessionStatus.ENDED, room=Room(state=RoomState.READY))
    )
    assert await ids(store, status=[SessionStatus.SCHEDULED]) == ["b"]
    assert await ids(store, status=[SessionStatus.LIVE, SessionStatus.ENDED]) == ["a", "c"]
    assert await ids(store, status=[]) == []
    assert await ids(store, instructor_id="discord:G1:42") == ["b"]
    assert await ids(store, event_id="ev1") == ["a"]
    assert await ids(store, room_states=[RoomState.READY]) == ["c"]
    assert await ids(store, room_states=[RoomState.PENDING, RoomState.FAILED]) == ["a", "b"]
    combined = SessionFilter(instructor_id="slack:T1:U1", status=[SessionStatus.LIVE])
    assert [s.id for s in await store.list_sessions(combined)] == ["a"]
    assert await store.count_sessions(combined) == 1
    assert await store.count_sessions(SessionFilter(event_id="nope")) == 0


async def test_start_window_is_inclusive_after_and_exclusive_before(store: SessionStore) -> None:
    for session_id, minutes in [("early", 0), ("edge", 60), ("mid", 90), ("late", 120)]:
        await store.add_session(make_session(session_id, start_time=at(minutes)))
    assert await ids(store, starts_after=at(60)) == ["edge", "mid", "late"]
    assert await ids(store, starts_before=at(120)) == ["early", "edge", "mid"]
    assert await ids(store, starts_after=at(60), starts_before=at(120)) == ["edge", "mid"]
    assert await ids(store, starts_after=at(60.001), starts_before=at(60)) == []
    # a non-UTC bound means the same instant
    assert await ids(store, starts_after=at(60).astimezone(PLUS2)) == ["edge", "mid", "late"]
    assert await store.count_sessions(SessionFilter(starts_after=at(1), limit=1)) == 3


async def test_finished_before_uses_ended_or_canceled_exclusive(store: SessionStore) -> None:
    await store.add_session(make_session("ended", ended_at=at(10)))
    await store.add_session(make_session("canceled", canceled_at=at(20)))
    await store.add_session(make_session("open"))
    await store.add_session(make_session("ended-late", ended_at=at(30)))
    assert await ids(store, finished_before=at(30)) == ["canceled", "ended"]
    assert await ids(store, finished_before=at(20)) == ["ended"]
    assert await ids(store, finished_before=at(10)) == []
    assert await store.count_sessions(SessionFilter(finished_before=at(31))) == 3


async def test_archived_sessions_are_hidden_unless_asked(store: SessionStore) -> None:
    await store.add_session(make_session("kept"))
    await store.add_session(make_session("archived", archived_at=at(5)))
    assert await ids(store) == ["kept"]
    assert await ids(store, include_archived=True) == ["archived", "kept"]
    assert await store.count_sessions(SessionFilter()) == 1
    assert await store.count_sessions(SessionFilter(include_archived=True)) == 2


# events -----------------------------------------------------------------------------------


async def test_events_round_trip_and_list_by_created_at(store: SessionStore) -> None:
    late = Event(id="e-late", title="Camp", description="Summer", created_at=at(10))
    early = Event(id="e-early", title="Seminar", created_at=at(5).astimezone(PLUS2))
    await store.add_event(late)
    await store.add_event(early)
    loaded = await store.get_event("e-early")
    assert loaded == early
    assert loaded is not None
    assert loaded.created_at.tzinfo is UTC
    assert await store.get_event("nope") is None
    assert [e.id for e in await store.list_events()] == ["e-early", "e-late"]
    with pytest.raises(InvalidState):
        await store.add_event(late)


# RSVPs ------------------------------------------------------------------------------------


async def test_rsvp_going_until_full_then_waitlisted(store: SessionStore) -> None:
    await store.add_session(make_session(capacity=2))
    first = await store.rsvp_going("s1", "m1", "Ann", at(1))
    second = await store.rsvp_going("s1", "m2", "Bob", at(2))
    third = await store.rsvp_going("s1", "m3", "Cy", at(3))
    assert first.changed
    assert first.promoted is None
    assert first.rsvp is not None
    assert first.rsvp.status is RsvpStatus.GOING
    assert first.rsvp.member_name == "Ann"
    assert first.rsvp.created_at == at(1)
    assert first.rsvp.updated_at == at(1)
    assert second.rsvp is not None
    assert second.rsvp.status is RsvpStatus.GOING
    assert third.rsvp is not None
    assert third.rsvp.status is RsvpStatus.WAITLISTED
    assert [first.rsvp.position, second.rsvp.position, third.rsvp.position] == [1, 2, 3]
    assert await store.count_going("s1") == 2
    assert await store.list_rsvps("s1") == [first.rsvp, second.rsvp, third.rsvp]
    assert await store.list_rsvps("s1", RsvpStatus.WAITLISTED) == [third.rsvp]
    assert await store.list_rsvps("s1", RsvpStatus.GOING) == [first.rsvp, second.rsvp]
    assert await store.list_rsvps("s1", RsvpStatus.LEFT) == []
    for rsvp in await store.list_rsvps("s1"):
        assert rsvp.created_at.tzinfo is UTC
        assert rsvp.updated_at.tzinfo is UTC


async def test_rsvp_without_capacity_is_always_going(store: SessionStore) -> None:
    await store.add_session(make_session())
    for n in range(20):
        change = await store.rsvp_going("s1", f"m{n}", "M", at(n))
        assert change.rsvp is not None
        assert change.rsvp.status is RsvpStatus.GOING
    assert await store.count_going("s1") == 20


async def test_rsvp_with_zero_capacity_is_waitlisted(store: SessionStore) -> None:
    await store.add_session(make_session(capacity=0))
    change = await store.rsvp_going("s1", "m1", "Ann", at(1))
    assert change.rsvp is not None
    assert change.rsvp.status is RsvpStatus.WAITLISTED
    assert await store.count_going("s1") == 0


async def test_repeated_rsvp_keeps_the_row_unchanged(store: SessionStore) -> None:
    await store.add_session(make_session(capacity=1))
    going = await store.rsvp_going("s1", "m1", "Ann", at(1))
    waiting = await store.rsvp_going("s1", "m2", "Bob", at(2))
    again = await store.rsvp_going("s1", "m1", "Ann B.", at(3))
    assert again.rsvp == going.rsvp
    assert not again.changed
    assert again.promoted is None
    still_waiting = await store.rsvp_going("s1", "m2", "Bob", at(4))
    assert still_waiting.rsvp == waiting.rsvp
    assert not still_waiting.changed
    assert await store.count_going("s1") == 1


async def test_leaving_a_seat_promotes_the_first_waitlisted(store: SessionStore) -> None:
    await store.add_session(make_session(capacity=1))
    await store.rsvp_going("s1", "m1", "Ann", at(1))
    await store.rsvp_going("s1", "m2", "Bob", at(2))
    await store.rsvp_going("s1", "m3", "Cy", at(3))
    change = await store.rsvp_leave("s1", "m1", at(4))
    assert change.changed
    assert change.rsvp is not None
    assert change.rsvp.status is RsvpStatus.LEFT
    assert change.rsvp.updated_at == at(4)
    assert change.rsvp.position == 1
    assert change.promoted is not None
    assert change.promoted.member_id == "m2"
    assert change.promoted.status is RsvpStatus.GOING
    assert change.promoted.updated_at == at(4)
    assert change.promoted.position == 2
    assert [r.member_id for r in await store.list_rsvps("s1", RsvpStatus.GOING)] == ["m2"]
    assert [r.member_id for r in await store.list_rsvps("s1", RsvpStatus.WAITLISTED)] == ["m3"]
    assert await store.list_rsvps("s1", RsvpStatus.LEFT) == [change.rsvp]
    assert await store.count_going("s1") == 1


async def test_leaving_the_waitlist_promotes_nobody(store: SessionStore) -> None:
    await store.add_session(make_session(capacity=1))
    await store.rsvp_going("s1", "m1", "Ann", at(1))
    await store.rsvp_going("s1", "m2", "Bob", at(2))
    await store.rsvp_going("s1", "m3", "Cy", at(3))
    change = await store.rsvp_leave("s1", "m2", at(4))
    assert change.rsvp is not None
    assert change.rsvp.status is RsvpStatus.LEFT
    assert change.promoted is None
    assert [r.member_id for r in await store.list_rsvps("s1", RsvpStatus.WAITLISTED)] == ["m3"]
    assert await store.count_going("s1") == 1


async def test_leaving_without_a_free_seat_promotes_nobody(store: SessionStore) -> None:
    await store.add_session(make_session(capacity=3))
    for n in range(3):
        await store.rsvp_going("s1", f"m{n}", "M", at(n))
    await store.rsvp_going("s1", "w", "Wait", at(5))
    # capacity lowered to 1 afterwards: one leaving still leaves the session full
    await store.save_session(make_session(capacity=1))
    change = await store.rsvp_leave("s1", "m0", at(6))
    assert change.promoted is None
    assert await store.count_going("s1") == 2


async def test_leaving_without_an_active_rsvp_changes_nothing(store: SessionStore) -> None:
    await store.add_session(make_session(capacity=3))
    assert await store.rsvp_leave("s1", "m1", at(1)) == _unchanged()
    await store.rsvp_going("s1", "m1", "Ann", at(2))
    await store.rsvp_leave("s1", "m1", at(3))
    assert await store.rsvp_leave("s1", "m1", at(4)) == _unchanged()
    assert await store.rsvp_leave("unknown-session", "m1", at(5)) == _unchanged()
    (row,) = await store.list_rsvps("s1")
    assert row.status is RsvpStatus.LEFT
    assert row.updated_at == at(3)


def _unchanged() -> RsvpChange:
    return RsvpChange(rsvp=None, promoted=None, changed=False)


async def test_rsvp_again_after_leaving_goes_to_the_back(store: SessionStore) -> None:
    await store.add_session(make_session(capacity=2))
    await store.rsvp_going("s1", "m1", "Ann", at(1))
    await store.rsvp_going("s1", "m2", "Bob", at(2))
    await store.rsvp_going("s1", "m3", "Cy", at(3))
    left = await store.rsvp_leave("s1", "m1", at(4))  # m3 promoted
    assert left.promoted is not None
    assert left.promoted.member_id == "m3"
    await store.rsvp_going("s1", "m4", "Di", at(5))  # waitlisted
    back = await store.rsvp_going("s1", "m1", "Ann Again", at(6))
    assert back.changed
    assert back.rsvp is not None
    assert back.rsvp.status is RsvpStatus.WAITLISTED
    assert back.rsvp.position == 5
    assert back.rsvp.member_name == "Ann Again"
    assert back.rsvp.created_at == at(1)
    assert back.rsvp.updated_at == at(6)
    assert [r.member_id for r in await store.list_rsvps("s1")] == ["m2", "m3", "m4", "m1"]
    positions = [r.position for r in await store.list_rsvps("s1")]
    assert positions == sorted(set(positions))
    # the highest position leaving and coming back still moves forward
    await store.rsvp_leave("s1", "m1", at(7))
    again = await store.rsvp_going("s1", "m1", "Ann", at(8))
    assert again.rsvp is not None
    assert again.rsvp.position == 6


async def test_promote_waitlisted_fills_raised_capacity_in_order(store: SessionStore) -> None:
    await store.add_session(make_session(capacity=2))
    for n in range(6):
        await store.rsvp_going("s1", f"m{n}", "M", at(n))
    await store.rsvp_leave("s1", "m3", at(10))  # a waitlisted one leaves: skipped below
    assert await store.promote_waitlisted("s1", at(11)) == []
    await store.save_session(make_session(capacity=4))
    promoted = await store.promote_waitlisted("s1", at(12))
    assert [(r.member_id, r.status, r.updated_at) for r in promoted] == [
        ("m2", RsvpStatus.GOING, at(12)),
        ("m4", RsvpStatus.GOING, at(12)),
    ]
    assert [r.member_id for r in await store.list_rsvps("s1", RsvpStatus.GOING)] == [
        "m0",
        "m1",
        "m2",
        "m4",
    ]
    await store.save_session(make_session(capacity=None))
    assert [r.member_id for r in await store.promote_waitlisted("s1", at(13))] == ["m5"]
    assert await store.list_rsvps("s1", RsvpStatus.WAITLISTED) == []
    assert await store.promote_waitlisted("ghost", at(14)) == []


async def test_promote_waitlisted_with_lowered_capacity_promotes_nobody(
    store: SessionStore,
) -> None:
    await store.add_session(make_session(capacity=3))
    for n in range(4):
        await store.rsvp_going("s1", f"m{n}", "M", at(n))
    await store.save_session(make_session(capacity=1))
    assert await store.promote_waitlisted("s1", at(5)) == []
    assert await store.count_going("s1") == 3


async def test_rsvps_of_several_sessions(store: SessionStore) -> None:
    for session_id in ("s2", "s1", "s3"):
        await store.add_session(make_session(session_id, capacity=1))
    await store.rsvp_going("s2", "b", "B", at(1))
    await store.rsvp_going("s1", "a", "A", at(2))
    await store.rsvp_going("s2", "c", "C", at(3))
    await store.rsvp_going("s1", "d", "D", at(4))
    both = await store.list_rsvps_of_sessions(["s2", "s1", "ghost"])
    assert [(r.session_id, r.member_id) for r in both] == [
        ("s1", "a"),
        ("s1", "d"),
        ("s2", "b"),
        ("s2", "c"),
    ]
    going = await store.list_rsvps_of_sessions(["s1", "s2", "s3"], RsvpStatus.GOING)
    assert [r.member_id for r in going] == ["a", "b"]
    assert going[0] == (await store.list_rsvps("s1"))[0]
    assert await store.list_rsvps_of_sessions([]) == []


async def test_rsvps_are_per_session(store: SessionStore) -> None:
    await store.add_session(make_session("s1", capacity=1))
    await store.add_session(make_session("s2", capacity=1))
    await store.rsvp_going("s1", "m1", "Ann", at(1))
    change = await store.rsvp_going("s2", "m2", "Bob", at(2))
    assert change.rsvp is not None
    assert change.rsvp.status is RsvpStatus.GOING
    assert change.rsvp.position == 1
    assert await store.count_going("s1") == 1
    assert await store.count_going("s2") == 1
    assert await store.count_going("s3") == 0
    assert await store.list_rsvps("s3") == []


async def test_rsvp_for_unknown_session_raises_not_found(store: SessionStore) -> None:
    with pytest.raises(NotFound):
        await store.rsvp_going("ghost", "m1", "Ann", at(1))


async def test_concurrent_rsvps_respect_capacity_in_arrival_order(store: SessionStore) -> None:
    await store.add_session(make_session(capacity=5))
    members = [f"m{n:02d}" for n in range(50)]
    changes = await asyncio.gather(*(store.rsvp_going("s1", m, m.upper(), at(1)) for m in members))
    assert all(c.changed for c in changes)
    rows = await store.list_rsvps("s1")
    assert [r.member_id for r in rows] == members
    assert [r.position for r in rows] == list(range(1, 51))
    assert [r.member_id for r in rows if r.status is RsvpStatus.GOING] == members[:5]
    assert await store.count_going("s1") == 5
    assert len(await store.list_rsvps("s1", RsvpStatus.WAITLISTED)) == 45
    change = await store.rsvp_leave("s1", "m00", at(2))
    assert change.promoted is not None
    assert change.promoted.member_id == "m05"
    assert await store.count_going("s1") == 5


async def test_concurrent_leaves_and_joins_never_exceed_capacity(store: SessionStore) -> None:
    await store.add_session(make_session(capacity=4))
    for n in range(10):
        await store.rsvp_going("s1", f"m{n}", "M", at(n))
    leaves = [store.rsvp_leave("s1", f"m{n}", at(20)) for n in range(6)]
    joins = [store.rsvp_going("s1", f"new{n}", "N", at(20)) for n in range(6)]
    await asyncio.gather(*leaves, *joins)
    assert await store.count_going("s1") == 4
    going = await store.list_rsvps("s1", RsvpStatus.GOING)
    waiting = await store.list_rsvps("s1", RsvpStatus.WAITLISTED)
    assert len(going) + len(waiting) == 10
    assert max(r.position for r in going) < min(r.position for r in waiting)


# attendance -------------------------------------------------------------------------------


async def test_attendance_intervals_open_and_close(store: SessionStore) -> None:
    await store.add_session(make_session())
    await store.record_join("s1", "m1", "Ann", at(0))
    await store.record_join("s1", "m2", "Bob", at(1).astimezone(PLUS2))
    await store.record_leave("s1", "m1", at(10))
    await store.record_join("s1", "m1", "Ann", at(12))
    intervals = await store.list_attendance("s1")
    assert [(i.member_id, i.joined_at, i.left_at) for i in intervals] == [
        ("m1", at(0), at(10)),
        ("m2", at(1), None),
        ("m1", at(12), None),
    ]
    assert intervals[1].joined_at.tzinfo is UTC
    assert intervals[0].left_at is not None
    assert intervals[0].left_at.tzinfo is UTC
    assert intervals[0].member_name == "Ann"
    assert all(i.session_id == "s1" for i in intervals)


async def test_leave_closes_only_the_latest_open_interval(store: SessionStore) -> None:
    await store.add_session(make_session())
    await store.record_join("s1", "m1", "Ann", at(0))
    await store.record_join("s1", "m1", "Ann", at(5))  # a second device, say
    await store.record_leave("s1", "m1", at(7))
    rows = [(i.joined_at, i.left_at) for i in await store.list_attendance("s1")]
    assert rows == [(at(0), None), (at(5), at(7))]
    await store.record_leave("s1", "m1", at(8))
    rows = [(i.joined_at, i.left_at) for i in await store.list_attendance("s1")]
    assert rows == [(at(0), at(8)), (at(5), at(7))]


async def test_leave_without_open_interval_is_a_no_op(store: SessionStore) -> None:
    await store.add_session(make_session())
    await store.record_leave("s1", "m1", at(1))
    await store.record_join("s1", "m2", "Bob", at(2))
    await store.record_leave("s1", "m1", at(3))
    await store.record_leave("ghost", "m1", at(3))
    (only,) = await store.list_attendance("s1")
    assert only.member_id == "m2"
    assert only.left_at is None
    assert await store.list_attendance("ghost") == []


async def test_join_of_unknown_session_raises_not_found(store: SessionStore) -> None:
    with pytest.raises(NotFound):
        await store.record_join("ghost", "m1", "Ann", at(1))


# reminders --------------------------------------------------------------------------------


def reminder(
    session_id: str, kind: ReminderKind, due: float, done: float | None = None, start: float = 1440
) -> Reminder:
    return Reminder(
        session_id=session_id,
        kind=kind,
        start_time=at(start),
        due_at=at(due),
        useful_until=at(due + 30),
        done_at=None if done is None else at(done),
    )


H24, H1, M10 = ReminderKind.BEFORE_24H, ReminderKind.BEFORE_1H, ReminderKind.BEFORE_10M


async def test_due_reminders_earliest_first_with_limit(store: SessionStore) -> None:
    await store.add_session(make_session("s1"))
    await store.add_session(make_session("s2"))
    await store.replace_reminders("s1", [reminder("s1", H24, 0), reminder("s1", H1, 20)])
    await store.replace_reminders("s2", [reminder("s2", H24, 10), reminder("s2", M10, 20)])
    assert await store.next_reminder_due() == at(0)
    due = await store.due_reminders(at(20), limit=10)
    assert [(r.session_id, r.kind) for r in due] == [
        ("s1", H24),
        ("s2", H24),
        ("s1", H1),
        ("s2", M10),
    ]
    assert due[0] == reminder("s1", H24, 0)
    assert all(r.due_at.tzinfo is UTC and r.useful_until.tzinfo is UTC for r in due)
    assert [r.kind for r in await store.due_reminders(at(10), limit=10)] == [H24, H24]
    assert len(await store.due_reminders(at(20), limit=3)) == 3
    assert await store.due_reminders(at(-1), limit=10) == []


async def test_reminder_times_come_back_as_utc(store: SessionStore) -> None:
    await store.add_session(make_session())
    local = Reminder(
        session_id="s1",
        kind=H1,
        start_time=at(1440).astimezone(PLUS2),
        due_at=at(0).astimezone(PLUS2),
        useful_until=at(30).astimezone(PLUS2),
    )
    await store.replace_reminders("s1", [local])
    (due,) = await store.due_reminders(at(0), 10)
    assert due == reminder("s1", H1, 0)
    assert due.due_at.tzinfo is UTC
    assert due.useful_until.tzinfo is UTC
    assert due.start_time.tzinfo is UTC
    next_due = await store.next_reminder_due()
    assert next_due is not None
    assert next_due.tzinfo is UTC


async def test_finished_reminders_are_no_longer_due(store: SessionStore) -> None:
    await store.add_session(make_session())
    await store.replace_reminders("s1", [reminder("s1", H24, 0), reminder("s1", H1, 10)])
    await store.finish_reminders([reminder("s1", H24, 0)], at(1))
    assert [r.kind for r in await store.due_reminders(at(30), 10)] == [H1]
    assert await store.next_reminder_due() == at(10)
    await store.finish_reminders([reminder("s1", H1, 10)], at(11))
    assert await store.due_reminders(at(30), 10) == []
    assert await store.next_reminder_due() is None
    # unknown reminders and sessions are ignored
    await store.finish_reminders([reminder("s1", M10, 0), reminder("ghost", H1, 0)], at(12))
    await store.finish_reminders([], at(12))


async def test_finish_reminders_in_one_batch(store: SessionStore) -> None:
    await store.add_session(make_session("s1"))
    await store.add_session(make_session("s2"))
    await store.replace_reminders("s1", [reminder("s1", H24, 0), reminder("s1", H1, 10)])
    await store.replace_reminders("s2", [reminder("s2", H24, 5), reminder("s2", M10, 15)])
    due = await store.due_reminders(at(10), 10)
    assert len(due) == 3
    await store.finish_reminders(due + due[:1], at(11))
    assert [(r.session_id, r.kind) for r in await store.due_reminders(at(100), 10)] == [("s2", M10)]
    # a finished reminder stays finished at its first time: replace keeps it, not re-added
    await store.finish_reminders(due, at(50))
    await store.replace_reminders("s1", [reminder("s1", H24, 60)])
    assert [r.session_id for r in await store.due_reminders(at(100), 10)] == ["s2"]


async def test_postpone_moves_due_time(store: SessionStore) -> None:
    await store.add_session(make_session())
    await store.replace_reminders("s1", [reminder("s1", H24, 0), reminder("s1", H1, 10)])
    await store.postpone_reminder("s1", H24, at(15).astimezone(PLUS2))
    assert await store.next_reminder_due() == at(10)
    due = await store.due_reminders(at(20), 10)
    assert [(r.kind, r.due_at) for r in due] == [(H1, at(10)), (H24, at(15))]
    assert due[1].due_at.tzinfo is UTC
    await store.finish_reminders([reminder("s1", H1, 10)], at(16))
    await store.postpone_reminder("s1", H1, at(100))  # finished: stays finished
    assert [r.kind for r in await store.due_reminders(at(200), 10)] == [H24]


async def test_replace_drops_unfinished_and_keeps_finished(store: SessionStore) -> None:
    await store.add_session(make_session("s1"))
    await store.add_session(make_session("s2"))
    await store.replace_reminders("s1", [reminder("s1", H24, 0), reminder("s1", H1, 10)])
    await store.replace_reminders("s2", [reminder("s2", H1, 5)])
    await store.finish_reminders([reminder("s1", H24, 0)], at(1))
    await store.replace_reminders(
        "s1", [reminder("s1", H24, 50), reminder("s1", H1, 60), reminder("s1", M10, 70)]
    )
    due = await store.due_reminders(at(1000), 10)
    assert [(r.session_id, r.kind, r.due_at) for r in due] == [
        ("s2", H1, at(5)),
        ("s1", H1, at(60)),
        ("s1", M10, at(70)),
    ]
    await store.replace_reminders("s1", [])
    assert [r.session_id for r in await store.due_reminders(at(1000), 10)] == ["s2"]
    assert await store.next_reminder_due() == at(5)


async def test_replace_with_finished_reminders_stores_them_done(store: SessionStore) -> None:
    await store.add_session(make_session())
    await store.replace_reminders("s1", [reminder("s1", H24, 0, done=0), reminder("s1", H1, 5)])
    assert [r.kind for r in await store.due_reminders(at(100), 10)] == [H1]


async def test_a_kind_finished_for_one_start_is_armed_again_for_another(
    store: SessionStore,
) -> None:
    await store.add_session(make_session())
    await store.replace_reminders("s1", [reminder("s1", H24, 0, start=1440)])
    await store.finish_reminders([reminder("s1", H24, 0, start=1440)], at(1))
    # the session moved a day later: its 24 h reminder is ahead again, for the new start
    await store.replace_reminders("s1", [reminder("s1", H24, 1440, start=2880)])
    (due,) = await store.due_reminders(at(1440), 10)
    assert (due.kind, due.start_time, due.due_at) == (H24, at(2880), at(1440))
    # replacing again with the same start keeps it; finishing it is for that start only
    await store.finish_reminders([due], at(1441))
    await store.replace_reminders("s1", [reminder("s1", H24, 1500, start=2880)])
    assert await store.due_reminders(at(5000), 10) == []


async def test_finishing_a_reminder_leaves_the_one_for_a_new_start(store: SessionStore) -> None:
    await store.add_session(make_session())
    await store.replace_reminders("s1", [reminder("s1", H1, 0, start=1440)])
    (read,) = await store.due_reminders(at(0), 10)
    # moved while the reminder for the old start was being sent
    await store.replace_reminders("s1", [reminder("s1", H1, 100, start=2880)])
    await store.finish_reminders([read], at(1))
    (still,) = await store.due_reminders(at(100), 10)
    assert (still.start_time, still.due_at, still.done_at) == (at(2880), at(100), None)


async def test_postponing_a_reminder_leaves_the_one_for_a_new_start(store: SessionStore) -> None:
    await store.add_session(make_session())
    await store.replace_reminders("s1", [reminder("s1", H1, 0, start=1440)])
    # moved while a delivery of the old start's reminder was failing
    await store.replace_reminders("s1", [reminder("s1", H1, 100, start=2880)])
    await store.postpone_reminder("s1", H1, at(2), start_time=at(1440))
    assert await store.next_reminder_due() == at(100)
    await store.postpone_reminder("s1", H1, at(102), start_time=at(2880).astimezone(PLUS2))
    assert await store.next_reminder_due() == at(102)


async def test_replace_refuses_bad_reminders(store: SessionStore) -> None:
    await store.add_session(make_session())
    with pytest.raises(InvalidInput):
        await store.replace_reminders("s1", [reminder("other", H24, 0)])
    with pytest.raises(InvalidInput):
        await store.replace_reminders("s1", [reminder("s1", H24, 0), reminder("s1", H24, 5)])
    with pytest.raises(NotFound):
        await store.replace_reminders("ghost", [reminder("ghost", H24, 0)])
    assert await store.next_reminder_due() is None


async def test_no_reminders_means_no_next_due(store: SessionStore) -> None:
    assert await store.next_reminder_due() is None
    assert await store.due_reminders(at(0), 10) == []


# deliveries -------------------------------------------------------------------------------


def key(
    recipient_id: str = "m1", kind: ReminderKind = H1, session_id: str = "s1", start: float = 1440
) -> DeliveryKey:
    return DeliveryKey(
        session_id=session_id, recipient_id=recipient_id, kind=kind, start_time=at(start)
    )


async def claim(store: SessionStore, *keys: DeliveryKey, now: datetime) -> list[DeliveryKey]:
    return await store.claim_deliveries(list(keys), now, LEASE)


async def test_delivery_is_claimed_once(store: SessionStore) -> None:
    await store.add_session(make_session())
    assert await claim(store, key(), now=at(0)) == [key()]
    assert await claim(store, key(), now=at(1)) == []
    assert not await store.delivery_sent(key())
    # other recipients and kinds are separate deliveries
    assert await claim(store, key("m2"), key("m1", H24), now=at(1)) == [key("m2"), key("m1", H24)]


async def test_claiming_nothing_claims_nothing(store: SessionStore) -> None:
    assert await store.claim_deliveries([], at(0), LEASE) == []
    await store.mark_deliveries_sent([], at(0))


async def test_stale_unsent_claim_can_be_reclaimed(store: SessionStore) -> None:
    await store.add_session(make_session())
    assert await claim(store, key(), now=at(0)) == [key()]
    almost = at(0) + LEASE - timedelta(microseconds=1)
    assert await claim(store, key(), now=almost) == []
    assert await claim(store, key(), now=at(0) + LEASE) == [key()]
    # the reclaim is a fresh claim with its own lease
    assert await claim(store, key(), now=at(0) + LEASE + timedelta(seconds=1)) == []
    assert await claim(store, key(), now=at(0) + 2 * LEASE) == [key()]


async def test_batch_claim_keeps_order_and_skips_fresh_and_sent(store: SessionStore) -> None:
    await store.add_session(make_session("s1"))
    await store.add_session(make_session("s2"))
    fresh, stale, sent = key("fresh"), key("stale"), key("sent")
    assert await claim(store, stale, sent, now=at(0)) == [stale, sent]
    await store.mark_deliveries_sent([sent], at(1))
    assert await claim(store, fresh, now=at(4)) == [fresh]
    new_ones = [key("n1", session_id="s2"), key("n0"), key("n2", M10)]
    asked = [new_ones[0], fresh, stale, sent, new_ones[1], stale, new_ones[2]]
    assert await claim(store, *asked, now=at(0) + LEASE) == [new_ones[0], stale, *new_ones[1:]]


async def test_a_key_repeated_in_one_call_is_claimed_once(store: SessionStore) -> None:
    await store.add_session(make_session())
    no_lease = timedelta(0)
    assert await store.claim_deliveries([key(), key(), key("m2")], at(0), no_lease) == [
        key(),
        key("m2"),
    ]
    assert await store.claim_deliveries([key(), key()], at(0), no_lease) == [key()]


async def test_sent_delivery_is_never_claimed_again(store: SessionStore) -> None:
    await store.add_session(make_session())
    assert await claim(store, key(), now=at(0)) == [key()]
    await store.mark_deliveries_sent([key()], at(1))
    assert await store.delivery_sent(key())
    assert await claim(store, key(), now=at(10_000)) == []
    assert not await store.delivery_sent(key("m2"))
    assert not await store.delivery_sent(key("m1", H24))
    assert not await store.delivery_sent(key(session_id="ghost"))


async def test_marking_unclaimed_deliveries_sent_records_them(store: SessionStore) -> None:
    await store.add_session(make_session())
    keys = [key("m1", M10), key(CHANNEL_RECIPIENT, M10)]
    await store.mark_deliveries_sent(keys, at(1))
    assert [await store.delivery_sent(k) for k in keys] == [True, True]
    assert await claim(store, *keys, now=at(1000)) == []
    await store.mark_deliveries_sent(keys + keys, at(2))  # idempotent
    assert await store.delivery_sent(keys[0])


async def test_reclaims_count_attempts(store: SessionStore) -> None:
    diagnostics = cast(Diagnostics, store)
    await store.add_session(make_session())
    assert await diagnostics.delivery_attempts(key()) == 0
    await claim(store, key(), now=at(0))
    await claim(store, key(), now=at(1))  # refused: not an attempt
    assert await diagnostics.delivery_attempts(key()) == 1
    await claim(store, key(), now=at(10))
    assert await diagnostics.delivery_attempts(key()) == 2


async def test_reclaimed_deliveries_are_the_unsent_ones_claimed_again(
    store: SessionStore,
) -> None:
    await store.add_session(make_session())
    first, second, third = key("a"), key("b"), key("c")
    assert await claim(store, first, second, third, now=at(0)) == [first, second, third]
    assert await store.reclaimed_deliveries([first, second, third]) == []
    await store.mark_deliveries_sent([second], at(1))
    # the attempt that claimed them died: `first` and `third` are claimed again
    assert await claim(store, third, second, first, now=at(0) + LEASE) == [third, first]
    assert await store.reclaimed_deliveries([third, first, third]) == [third, first]
    assert await store.reclaimed_deliveries([second, key("new")]) == []
    await store.mark_deliveries_sent([first], at(0) + LEASE)
    assert await store.reclaimed_deliveries([first, third]) == [third]
    assert await store.reclaimed_deliveries([]) == []


async def test_a_delivery_for_one_start_does_not_block_another_start(
    store: SessionStore,
) -> None:
    await store.add_session(make_session())
    wednesday, friday = key(start=1440), key(start=1440 + 2 * 24 * 60)
    assert await claim(store, wednesday, now=at(0)) == [wednesday]
    await store.mark_deliveries_sent([wednesday], at(0))
    # the session moved to Friday: Friday's reminder is a delivery of its own
    assert not await store.delivery_sent(friday)
    assert await claim(store, friday, wednesday, now=at(1)) == [friday]
    await store.mark_deliveries_sent([friday], at(1))
    assert await store.delivery_sent(friday) and await store.delivery_sent(wednesday)
    # moved back to Wednesday: what went out for Wednesday stays sent
    assert await claim(store, wednesday, friday, now=at(0) + 2 * LEASE) == []
    diagnostics = cast(Diagnostics, store)
    assert await diagnostics.delivery_attempts(wednesday) == 1
    assert await diagnostics.delivery_attempts(friday) == 1


async def test_delivery_keys_compare_start_times_as_instants(store: SessionStore) -> None:
    await store.add_session(make_session())
    local = DeliveryKey(
        session_id="s1", recipient_id="m1", kind=H1, start_time=at(1440).astimezone(PLUS2)
    )
    assert local == key()
    assert await claim(store, local, now=at(0)) == [local]
    await store.mark_deliveries_sent([key()], at(0))
    assert await store.delivery_sent(local)


async def test_concurrent_claims_have_one_winner(store: SessionStore) -> None:
    await store.add_session(make_session())
    keys = [key("a"), key("b"), key("c")]
    results = await asyncio.gather(*(claim(store, *keys, now=at(0)) for _ in range(20)))
    winners = [k for result in results for k in result]
    assert sorted(winners, key=lambda k: k.recipient_id) == keys


async def test_delivery_writes_for_unknown_sessions_change_nothing(store: SessionStore) -> None:
    await store.add_session(make_session())
    with pytest.raises(NotFound):
        await claim(store, key(), key(session_id="ghost"), now=at(0))
    with pytest.raises(NotFound):
        await store.mark_deliveries_sent([key("m2"), key(session_id="ghost")], at(0))
    assert not await store.delivery_sent(key("m2"))
    assert await claim(store, key(), key("m2"), now=at(0)) == [key(), key("m2")]


async def test_delivery_writes_name_the_missing_session(store: SessionStore) -> None:
    await store.add_session(make_session())
    await claim(store, key(), now=at(0))
    with pytest.raises(NotFound, match="ghost"):
        await claim(store, key(), key(session_id="ghost"), now=at(0) + LEASE)
    with pytest.raises(NotFound, match="ghost"):
        await store.mark_deliveries_sent([key(session_id="ghost")], at(1))
    # the refused batches changed nothing: the stale claim is still there to take, unsent
    assert not await store.delivery_sent(key())
    assert await claim(store, key(), now=at(0) + LEASE) == [key()]


# port conformance -------------------------------------------------------------------------


def test_implementations_satisfy_the_port_and_diagnostics() -> None:
    """Checked by mypy: a missing or mistyped method fails the type check."""
    implementations: list[type[SessionStore]] = [InMemorySessionStore, SqlSessionStore]
    diagnostics: list[type[Diagnostics]] = [InMemorySessionStore, SqlSessionStore]
    assert len(implementations) == len(diagnostics)


# implementation-specific: SQLite ------------------------------------------------------------


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "dir" / "dojo.db"


async def test_sqlite_creates_parent_directories_and_sets_pragmas(db_path: Path) -> None:
    store = await open_sql_store(sqlite_url(db_path))
    try:
        assert await asyncio.to_thread(db_path.exists)
        async with store.engine.connect() as connection:
            assert await connection.scalar(text("PRAGMA journal_mode")) == "wal"
            assert await connection.scalar(text("PRAGMA foreign_keys")) == 1
            assert int(await connection.scalar(text("PRAGMA busy_timeout")) or 0) > 0
    finally:
        await store.close()


async def test_sqlite_migrations_are_idempotent(db_path: Path) -> None:
    for _ in range(2):
        store = await open_sql_store(sqlite_url(db_path))
        try:
            assert await migrate(store.engine) == head_version()
            async with store.engine.connect() as connection:
                versions = list(await connection.scalars(select(schema_version.c.version)))
            assert versions == list(range(1, head_version() + 1))
        finally:
            await store.close()


async def test_sqlite_concurrent_first_opens_migrate_once(db_path: Path) -> None:
    stores = await asyncio.gather(*(open_sql_store(sqlite_url(db_path)) for _ in range(5)))
    try:
        async with stores[0].engine.connect() as connection:
            applied = await connection.scalar(select(func.count()).select_from(schema_version))
        assert applied == head_version()
        await stores[1].add_session(make_session())
        assert await stores[2].get_session("s1") == make_session()
    finally:
        for opened in stores:
            await opened.close()


async def test_sqlite_data_persists_across_reopen(db_path: Path) -> None:
    store = await open_sql_store(sqlite_url(db_path))
    try:
        await store.add_session(full_session())
        await store.rsvp_going("full", "m1", "Ann", at(1))
        await store.replace_reminders("full", [reminder("full", H1, 3)])
        await store.claim_deliveries([key(session_id="full")], at(4), LEASE)
        await store.mark_deliveries_sent([key(session_id="full")], at(5))
    finally:
        await store.close()
    reopened = await open_sql_store(sqlite_url(db_path))
    try:
        assert await reopened.get_session("full") == full_session()
        assert await reopened.count_going("full") == 1
        assert await reopened.next_reminder_due() == at(3)
        assert await reopened.delivery_sent(key(session_id="full"))
    finally:
        await reopened.close()


async def test_sqlite_refuses_memory_databases() -> None:
    with pytest.raises(ValueError, match="file"):
        await open_sql_store("sqlite+aiosqlite:///:memory:")


async def two_stores(path: Path) -> tuple[SqlSessionStore, SqlSessionStore]:
    """Two independent stores (two engines, two pools) on one file, like two processes."""
    first = await open_sql_store(sqlite_url(path))
    second = await open_sql_store(sqlite_url(path))
    return first, second


async def test_sqlite_claims_race_across_engines(db_path: Path) -> None:
    first, second = await two_stores(db_path)
    try:
        await first.add_session(make_session())
        keys = [key(f"m{n}") for n in range(30)]
        results = await asyncio.gather(
            *(s.claim_deliveries(keys, at(0), LEASE) for _ in range(5) for s in (first, second))
        )
        winners = [k for result in results for k in result]
        assert sorted(winners, key=keys.index) == keys
        # a stale claim is reclaimed by exactly one of the two as well
        later = at(0) + LEASE
        results = await asyncio.gather(
            *(s.claim_deliveries(keys[:3], later, LEASE) for s in (first, second, first, second))
        )
        assert sorted(k.recipient_id for r in results for k in r) == ["m0", "m1", "m2"]
    finally:
        await first.close()
        await second.close()


async def test_sqlite_rsvps_race_across_engines(db_path: Path) -> None:
    first, second = await two_stores(db_path)
    try:
        await first.add_session(make_session(capacity=5))
        await asyncio.gather(
            *((first if n % 2 else second).rsvp_going("s1", f"m{n}", "M", at(1)) for n in range(30))
        )
        rows = await first.list_rsvps("s1")
        assert await second.count_going("s1") == 5
        assert sorted(r.position for r in rows) == list(range(1, 31))
        going = [r.position for r in rows if r.status is RsvpStatus.GOING]
        assert going == [1, 2, 3, 4, 5]
    finally:
        await first.close()
        await second.close()


async def test_sqlite_batches_larger_than_one_statement(db_path: Path) -> None:
    store = await open_sql_store(sqlite_url(db_path))
    try:
        sessions = [make_session(f"s{n:04d}") for n in range(CHUNK + 50)]
        for session in sessions:
            await store.add_session(session)
            await store.replace_reminders(session.id, [reminder(session.id, H1, 0)])
            await store.rsvp_going(session.id, "m1", "Ann", at(0))
        ids_ = [s.id for s in sessions]
        assert [s.id for s in await store.get_sessions(ids_[::-1])] == ids_[::-1]
        rsvps = await store.list_rsvps_of_sessions(ids_, RsvpStatus.GOING)
        assert [r.session_id for r in rsvps] == ids_
        keys = [key(recipient, session_id=i) for i in ids_ for recipient in ("m1", "m2")]
        assert await store.claim_deliveries(keys, at(0), LEASE) == keys
        assert await store.claim_deliveries(keys, at(1), LEASE) == []
        await store.mark_deliveries_sent(keys, at(2))
        assert all([await store.delivery_sent(k) for k in keys[:: CHUNK // 3]])
        due = await store.due_reminders(at(1), 1000)
        assert len(due) == len(sessions)
        await store.finish_reminders(due, at(3))
        assert await store.next_reminder_due() is None
    finally:
        await store.close()


async def test_sqlite_claims_record_claim_time(db_path: Path) -> None:
    store = await open_sql_store(sqlite_url(db_path))
    try:
        await store.add_session(make_session())
        await store.claim_deliveries([key()], at(0), LEASE)
        await store.claim_deliveries([key()], at(10), LEASE)
        async with store.engine.connect() as connection:
            row = (await connection.execute(select(deliveries))).mappings().one()
        assert row["attempts"] == 2
        assert row["claimed_at"] == at(10)
        assert row["sent_at"] is None
    finally:
        await store.close()


async def plan(store: SqlSessionStore, statement: Any) -> str:
    """SQLite's EXPLAIN QUERY PLAN of a statement, as one string."""
    compiled = statement.compile(store.engine.sync_engine, compile_kwargs={"literal_binds": True})
    async with store.engine.connect() as connection:
        rows = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")
        return " | ".join(str(row[-1]) for row in rows)


async def test_sqlite_hot_queries_use_indexes(db_path: Path) -> None:
    store = await open_sql_store(sqlite_url(db_path))
    try:
        scheduled = SessionFilter(
            status=[SessionStatus.SCHEDULED], starts_after=at(0), starts_before=at(600)
        )
        plans = {
            "due": await plan(store, q.select_due_reminders(at(0), 100)),
            "next": await plan(store, q.select_next_due()),
            "list": await plan(store, q.select_sessions(scheduled)),
            "count": await plan(store, q.count_sessions(scheduled)),
            "by start": await plan(store, q.select_sessions(SessionFilter(starts_after=at(0)))),
            "going": await plan(store, q.count_going("s1")),
        }
    finally:
        await store.close()
    expected = {
        "due": "ix_reminders_pending_due_at",
        "next": "ix_reminders_pending_due_at",
        "list": "ix_training_sessions_status_start_time",
        "count": "ix_training_sessions_status_start_time",
        "by start": "ix_training_sessions_start_time",
        "going": "ix_rsvps_session_id_status_position",
    }
    for name, index in expected.items():
        assert index in plans[name], f"{name}: {plans[name]}"
        assert "TEMP B-TREE" not in plans[name], f"{name} sorts: {plans[name]}"


async def test_sqlite_room_duty_queries_use_both_lists(db_path: Path) -> None:
    """Searched by room state and status together (few rows, then sorted), never by walking
    every future scheduled session in start order or every session with a ready room."""
    store = await open_sql_store(sqlite_url(db_path))
    try:
        retry = SessionFilter(
            status=[SessionStatus.SCHEDULED],
            room_states=[RoomState.PENDING, RoomState.FAILED],
            starts_after=at(0),
            limit=1,
        )
        cleanup = SessionFilter(
            status=[SessionStatus.ENDED, SessionStatus.CANCELED],
            room_states=[RoomState.READY],
            limit=1000,
        )
        plans = [
            await plan(store, q.select_sessions(retry)),
            await plan(store, q.select_sessions(cleanup)),
            await plan(store, q.count_sessions(cleanup)),
        ]
    finally:
        await store.close()
    for found in plans:
        assert "ix_training_sessions_room_state_status_start_time" in found, found
        assert "room_state=? AND status=?" in found, found


async def test_sqlite_migrates_a_version_1_database(db_path: Path) -> None:
    store = await open_sql_store(sqlite_url(db_path))
    try:
        await store.add_session(make_session())
        async with store.engine.begin() as connection:  # back to version 1's indexes
            await connection.exec_driver_sql(
                "DROP INDEX ix_training_sessions_room_state_status_start_time"
            )
            await connection.exec_driver_sql(
                "CREATE INDEX ix_training_sessions_room_state_start_time "
                "ON training_sessions (room_state, start_time)"
            )
            await connection.execute(schema_version.delete().where(schema_version.c.version > 1))
    finally:
        await store.close()
    store = await open_sql_store(sqlite_url(db_path))
    try:
        async with store.engine.connect() as connection:
            versions = list(await connection.scalars(select(schema_version.c.version)))
            indexes = set(
                await connection.scalars(
                    text("SELECT name FROM sqlite_master WHERE tbl_name = 'training_sessions'")
                )
            )
        assert versions == list(range(1, head_version() + 1))
        assert "ix_training_sessions_room_state_status_start_time" in indexes
        assert "ix_training_sessions_room_state_start_time" not in indexes
        assert await ids(store, room_states=[RoomState.PENDING], status=[SessionStatus.SCHEDULED])
    finally:
        await store.close()
