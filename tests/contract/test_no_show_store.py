"""The no-show part of the SessionStore contract, over every store: one mark per session ×
member × kind (also when two writers race), marks read by member and period and by session,
waivers and appeals changed once (a second caller gets nothing), retention, and an RSVP of a
restricted member kept on the waitlist although a seat is free."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core.model import RsvpStatus, TrainingSession
from core.ports import SessionStore
from core.seat_marks import MarkKind, SeatMark

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def a_session(session_id: str, capacity: int | None = 5) -> TrainingSession:
    return TrainingSession(
        id=session_id,
        title="Kata",
        instructor_id="t:sensei",
        instructor_name="sensei",
        start_time=NOW + timedelta(days=1),
        duration_minutes=60,
        capacity=capacity,
        created_at=NOW,
        updated_at=NOW,
    )


def a_mark(
    session_id: str = "s-1",
    member_id: str = "t:ben",
    kind: MarkKind = MarkKind.NO_SHOW,
    at: datetime = NOW,
    **more: object,
) -> SeatMark:
    fields = {"session_id": session_id, "member_id": member_id, "kind": kind, "created_at": at}
    return SeatMark.model_validate(fields | more)


async def test_one_mark_per_session_member_and_kind_even_when_racing(store: SessionStore) -> None:
    await store.add_session(a_session("s-1"))
    first = a_mark()
    results = await asyncio.gather(
        store.add_seat_mark(first),
        store.add_seat_mark(a_mark(at=NOW + timedelta(seconds=5))),  # a redelivered end
    )
    assert sorted(results) == [False, True]
    assert not await store.add_seat_mark(first)
    present = a_mark(kind=MarkKind.PRESENT, at=NOW + timedelta(hours=1), marked_by="t:sensei")
    assert await store.add_seat_mark(present)
    assert await store.add_seat_mark(a_mark(member_id="t:ana"))
    marks = await store.list_session_marks("s-1")
    assert [(m.member_id, m.kind) for m in marks] == [
        ("t:ana", MarkKind.NO_SHOW),
        ("t:ben", MarkKind.NO_SHOW),
        ("t:ben", MarkKind.PRESENT),
    ]
    assert marks[2] == present


async def test_marks_by_members_and_since_oldest_first(store: SessionStore) -> None:
    for n in (1, 2, 3):
        await store.add_session(a_session(f"s-{n}"))
    await store.add_seat_mark(a_mark("s-3", at=NOW + timedelta(days=3)))
    await store.add_seat_mark(a_mark("s-1", at=NOW))
    await store.add_seat_mark(
        a_mark("s-2", "discord:9", MarkKind.LATE_CANCEL, NOW + timedelta(days=2))
    )
    await store.add_seat_mark(a_mark("s-2", "t:ana", at=NOW + timedelta(days=2)))
    found = await store.list_seat_marks(["t:ben", "discord:9"], NOW + timedelta(days=1))
    assert [(m.session_id, m.member_id) for m in found] == [("s-2", "discord:9"), ("s-3", "t:ben")]
    assert len(await store.list_seat_marks(["t:ben"], NOW)) == 2  # `since` included
    assert await store.list_seat_marks([], NOW) == []


async def test_waive_and_appeal_change_each_mark_once(store: SessionStore) -> None:
    await store.add_session(a_session("s-1"))
    await store.add_seat_mark(a_mark())
    await store.add_seat_mark(a_mark(kind=MarkKind.LATE_CANCEL, at=NOW - timedelta(hours=2)))
    later = NOW + timedelta(hours=3)
    appealed = await store.appeal_seat_marks("s-1", "t:ben", later)
    assert {m.kind for m in appealed} == {MarkKind.NO_SHOW, MarkKind.LATE_CANCEL}
    assert all(m.appealed_at == later for m in appealed)
    assert await store.appeal_seat_marks("s-1", "t:ben", later) == []
    # only marks recorded since `since` are waived; two admins at once: one gets them
    results = await asyncio.gather(
        store.waive_seat_marks("s-1", "t:ben", "t:boss", later, NOW - timedelta(hours=1)),
        store.waive_seat_marks("s-1", "t:ben", "t:root", later, NOW - timedelta(hours=1)),
    )
    assert sorted(len(r) for r in results) == [0, 1]
    [waived] = [m for r in results for m in r]
    assert waived.kind is MarkKind.NO_SHOW and waived.waived_at == later
    stored = {m.kind: m for m in await store.list_session_marks("s-1")}
    assert stored[MarkKind.NO_SHOW].waived_by == waived.waived_by
    assert stored[MarkKind.LATE_CANCEL].waived_at is None
    assert await store.appeal_seat_marks("s-1", "t:ben", later) == []


async def test_present_marks_are_never_waived_or_appealed(store: SessionStore) -> None:
    await store.add_session(a_session("s-1"))
    await store.add_seat_mark(a_mark(kind=MarkKind.PRESENT, marked_by="t:sensei"))
    assert await store.appeal_seat_marks("s-1", "t:ben", NOW) == []
    assert await store.waive_seat_marks("s-1", "t:ben", "t:boss", NOW, NOW) == []


async def test_old_marks_are_dropped(store: SessionStore) -> None:
    await store.add_session(a_session("s-1"))
    await store.add_session(a_session("s-2"))
    await store.add_seat_mark(a_mark("s-1", at=NOW - timedelta(days=50)))
    await store.add_seat_mark(a_mark("s-2", at=NOW))
    assert await store.drop_seat_marks(NOW - timedelta(days=44)) == 1
    assert [
        m.session_id for m in await store.list_seat_marks(["t:ben"], NOW - timedelta(days=99))
    ] == ["s-2"]


async def test_waitlist_only_and_passed_over_rsvps(store: SessionStore) -> None:
    await store.add_session(a_session("s-1", capacity=2))
    restricted = await store.rsvp_going("s-1", "t:ben", "ben", NOW, waitlist_only=True)
    assert restricted.rsvp is not None and restricted.rsvp.status is RsvpStatus.WAITLISTED
    # a waiting member keeps a free seat from newcomers, unless passed over (restricted)
    blocked = await store.rsvp_going("s-1", "t:cal", "cal", NOW + timedelta(seconds=1))
    assert blocked.rsvp is not None and blocked.rsvp.status is RsvpStatus.WAITLISTED
    going = await store.rsvp_going(
        "s-1", "t:ana", "ana", NOW + timedelta(seconds=2), passed_over=frozenset({"t:ben"})
    )
    assert going.rsvp is not None and going.rsvp.status is RsvpStatus.WAITLISTED  # cal waits
    waiting = frozenset({"t:ben", "t:cal", "t:ana"})
    dan = await store.rsvp_going(
        "s-1", "t:dan", "dan", NOW + timedelta(seconds=3), passed_over=waiting
    )
    assert dan.rsvp is not None and dan.rsvp.status is RsvpStatus.GOING


async def test_a_forgotten_members_marks_are_dropped(store: SessionStore) -> None:
    await store.add_session(a_session("s-1"))
    await store.add_seat_mark(a_mark(member_id="t:ben"))
    await store.add_seat_mark(a_mark(member_id="discord:9", kind=MarkKind.LATE_CANCEL))
    await store.add_seat_mark(a_mark(member_id="t:ana"))
    assert await store.drop_member_marks(["t:ben", "discord:9"]) == 2
    assert [m.member_id for m in await store.list_session_marks("s-1")] == ["t:ana"]
    assert await store.drop_member_marks([]) == 0


async def test_linking_and_forgetting_move_who_marked_and_who_waived(store: SessionStore) -> None:
    """The instructor who marked a member present and the admin who waived a mark are
    member ids too: linking moves them to the profile, forgetting to the anonymous id (no
    platform id of a forgotten member stays behind)."""
    from core.members import MemberProfile

    for member_id in ("slack:T1:U1", "discord:42"):
        await store.save_profile(
            MemberProfile(
                id=member_id,
                display_name="Kyo",
                identities=[member_id],
                last_seen_at=NOW,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    await store.add_session(a_session("s-1"))
    await store.add_seat_mark(a_mark(kind=MarkKind.PRESENT, marked_by="discord:42"))
    await store.add_seat_mark(a_mark(member_id="t:ana"))
    await store.waive_seat_marks("s-1", "t:ana", "discord:42", NOW, NOW - timedelta(days=1))

    def who() -> object:
        return [(m.member_id, m.marked_by, m.waived_by) for m in marks]

    await store.link_identity("slack:T1:U1", "discord:42", NOW + timedelta(minutes=1))
    marks = await store.list_session_marks("s-1")
    assert who() == [("t:ana", None, "slack:T1:U1"), ("t:ben", "slack:T1:U1", None)]

    await store.forget_member("slack:T1:U1", "forgotten:x1", NOW + timedelta(minutes=2))
    marks = await store.list_session_marks("s-1")
    assert who() == [("t:ana", None, "forgotten:x1"), ("t:ben", "forgotten:x1", None)]
