"""The substitute-request part of the SessionStore contract, over every store: one open
request per session, compare-and-set changes (one of two accepts at once wins), due and
next-due from the store, and the instructors who taught recently."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core.errors import NotFound
from core.model import TrainingSession
from core.ports import SessionStore
from core.substitutes import SubstituteRequest, SubstituteStatus, finished, widened

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def a_session(session_id: str, start: datetime, instructor: str = "t:sensei") -> TrainingSession:
    return TrainingSession(
        id=session_id,
        title="Kata",
        instructor_id=instructor,
        instructor_name=instructor.split(":")[-1],
        start_time=start,
        duration_minutes=60,
        created_at=NOW,
        updated_at=NOW,
    )


def a_request(session_id: str = "s-1", at: datetime = NOW, **changes: object) -> SubstituteRequest:
    fields: dict[str, object] = {
        "session_id": session_id,
        "requested_by": "t:sensei",
        "instructor_id": "t:sensei",
        "instructor_name": "sensei",
        "created_at": at,
        "others_at": at + timedelta(minutes=30),
        "answer_by": at + timedelta(hours=20),
        "due_at": at + timedelta(minutes=30),
        "updated_at": at,
    }
    return SubstituteRequest.model_validate(fields | changes)


async def test_one_open_request_per_session_and_a_closed_one_is_replaced(
    store: SessionStore,
) -> None:
    await store.add_session(a_session("s-1", NOW + timedelta(days=1)))
    first = a_request()
    assert await store.open_substitute_request(first)
    assert await store.get_substitute_request("s-1") == first
    assert not await store.open_substitute_request(a_request(requested_by="t:admin"))
    assert await store.get_substitute_request("s-1") == first
    missed = finished(first, SubstituteStatus.MISSED, NOW + timedelta(hours=20))
    assert await store.update_substitute_request(missed, SubstituteStatus.OPEN)
    again = a_request(at=NOW + timedelta(hours=21))
    assert await store.open_substitute_request(again)
    assert await store.get_substitute_request("s-1") == again
    assert await store.get_substitute_request("s-2") is None
    with pytest.raises(NotFound):
        await store.open_substitute_request(a_request("s-404"))


async def test_changes_are_compare_and_set_on_status_and_widened(store: SessionStore) -> None:
    await store.add_session(a_session("s-1", NOW + timedelta(days=1)))
    request = a_request()
    await store.open_substitute_request(request)
    wide = widened(request, NOW + timedelta(minutes=30))
    assert await store.update_substitute_request(wide, SubstituteStatus.OPEN, False)
    assert not await store.update_substitute_request(wide, SubstituteStatus.OPEN, False)
    stored = await store.get_substitute_request("s-1")
    assert stored is not None and stored.widened and stored.due_at == request.answer_by
    later = NOW + timedelta(hours=1)
    ana = finished(wide, SubstituteStatus.TAKEN, later, ("t:ana", "Ana"))
    ben = finished(wide, SubstituteStatus.TAKEN, later, ("t:ben", "Ben"))
    won = await asyncio.gather(
        store.update_substitute_request(ana, SubstituteStatus.OPEN),
        store.update_substitute_request(ben, SubstituteStatus.OPEN),
    )
    assert sorted(won) == [False, True]
    stored = await store.get_substitute_request("s-1")
    winner = ana if won[0] else ben
    assert stored == winner and stored.due_at is None


async def test_due_and_next_due_come_from_open_requests(store: SessionStore) -> None:
    for n in (1, 2, 3):
        await store.add_session(a_session(f"s-{n}", NOW + timedelta(days=n)))
    early = a_request("s-1", due_at=NOW + timedelta(minutes=10))
    late = a_request("s-2", due_at=NOW + timedelta(minutes=40))
    gone = a_request("s-3", due_at=NOW + timedelta(minutes=5))
    for request in (early, late, gone):
        await store.open_substitute_request(request)
    closed = finished(gone, SubstituteStatus.CLOSED, NOW)
    assert await store.update_substitute_request(closed, SubstituteStatus.OPEN)
    assert await store.next_substitute_due() == NOW + timedelta(minutes=10)
    assert await store.due_substitute_requests(NOW, 10) == []
    due = await store.due_substitute_requests(NOW + timedelta(minutes=40), 10)
    assert [r.session_id for r in due] == ["s-1", "s-2"]
    assert [
        r.session_id for r in await store.due_substitute_requests(NOW + timedelta(hours=1), 1)
    ] == ["s-1"]


async def test_no_request_no_next_due(store: SessionStore) -> None:
    assert await store.next_substitute_due() is None
    assert await store.due_substitute_requests(NOW, 5) == []


async def test_recent_instructors_are_those_of_sessions_since(store: SessionStore) -> None:
    await store.add_session(a_session("old", NOW - timedelta(days=400), "t:gone"))
    await store.add_session(a_session("a", NOW - timedelta(days=30), "t:ana"))
    await store.add_session(a_session("b", NOW + timedelta(days=3), "t:ben"))
    renamed = a_session("c", NOW + timedelta(days=4), "t:ana").model_copy(
        update={"instructor_name": "Ana Lee"}
    )
    await store.add_session(renamed)
    found = await store.recent_instructors(NOW - timedelta(days=365))
    assert found == {"t:ana": "Ana Lee", "t:ben": "ben"}


async def test_linking_and_forgetting_move_the_requests_members(store: SessionStore) -> None:
    from core.members import FORGOTTEN_NAME, MemberProfile

    def profile(member_id: str, name: str) -> MemberProfile:
        return MemberProfile(
            id=member_id,
            display_name=name,
            identities=[member_id],
            last_seen_at=NOW,
            created_at=NOW,
            updated_at=NOW,
        )

    for member_id, name in (("slack:T1:U1", "Ana"), ("discord:42", "Ana D"), ("t:kyo", "Kyo")):
        await store.save_profile(profile(member_id, name))
    for n in (1, 2):
        await store.add_session(a_session(f"s-{n}", NOW + timedelta(days=n), "discord:42"))
    asked = a_request("s-1", requested_by="discord:42", instructor_id="discord:42")
    await store.open_substitute_request(asked)
    taken = a_request("s-2", requested_by="t:kyo")
    await store.open_substitute_request(taken)
    done = finished(taken, SubstituteStatus.TAKEN, NOW, ("discord:42", "Ana D"))
    assert await store.update_substitute_request(done, SubstituteStatus.OPEN)

    await store.link_identity("slack:T1:U1", "discord:42", NOW + timedelta(minutes=1))
    first = await store.get_substitute_request("s-1")
    assert first is not None
    assert (first.requested_by, first.instructor_id) == ("slack:T1:U1", "slack:T1:U1")
    second = await store.get_substitute_request("s-2")
    assert second is not None and second.substitute_id == "slack:T1:U1"
    assert second.requested_by == "t:kyo"

    await store.forget_member("slack:T1:U1", "forgotten:x1", NOW + timedelta(minutes=2))
    first = await store.get_substitute_request("s-1")
    second = await store.get_substitute_request("s-2")
    assert first is not None and second is not None
    assert (first.requested_by, first.instructor_id) == ("forgotten:x1", "forgotten:x1")
    assert first.instructor_name == FORGOTTEN_NAME
    assert (second.substitute_id, second.substitute_name) == ("forgotten:x1", FORGOTTEN_NAME)
    assert second.requested_by == "t:kyo"
