"""RSVPs counted per session by the store (`SessionStore.count_rsvps_of_sessions`, what the
class page shows as "going"), over every store: the same numbers as listing the RSVPs and
counting them, without building a model per RSVP."""

from __future__ import annotations

from collections import Counter

from adapters.sql.batching import CHUNK
from core.model import RsvpStatus
from core.ports import SessionStore
from tests.contract.test_session_store import at, make_session


async def test_counts_per_session_of_one_status(store: SessionStore) -> None:
    for session_id, capacity in (("s1", 2), ("s2", 5), ("s3", 1), ("s4", 3)):
        await store.add_session(make_session(session_id, capacity=capacity))
    for n in range(4):
        await store.rsvp_going("s1", f"m{n}", "M", at(n))  # 2 going, 2 waitlisted
    for n in range(3):
        await store.rsvp_going("s2", f"m{n}", "M", at(n))
    await store.rsvp_going("s3", "m9", "M", at(1))
    await store.rsvp_leave("s3", "m9", at(2))  # left: counted as LEFT only
    await store.rsvp_going("s4", "m1", "M", at(1))
    ids = ["s1", "s2", "s3", "s4", "s2", "ghost"]

    going = await store.count_rsvps_of_sessions(ids, RsvpStatus.GOING)
    assert going == {"s1": 2, "s2": 3, "s4": 1}
    assert await store.count_rsvps_of_sessions(ids, RsvpStatus.WAITLISTED) == {"s1": 2}
    assert await store.count_rsvps_of_sessions(ids, RsvpStatus.LEFT) == {"s3": 1}
    listed = await store.list_rsvps_of_sessions(ids, RsvpStatus.GOING)
    assert going == Counter(r.session_id for r in listed)
    assert await store.count_rsvps_of_sessions([], RsvpStatus.GOING) == {}
    assert await store.count_rsvps_of_sessions(["s4"], RsvpStatus.GOING) == {"s4": 1}


async def test_counts_more_ids_than_one_read_takes(store: SessionStore) -> None:
    await store.add_session(make_session("s1", capacity=None))
    await store.add_session(make_session("zz", capacity=None))
    for n in range(3):
        await store.rsvp_going("s1", f"m{n}", "M", at(n))
    await store.rsvp_going("zz", "m0", "M", at(1))
    ghosts = [f"ghost-{n:04d}" for n in range(CHUNK + 1)]  # the last id lands in a later chunk
    counted = await store.count_rsvps_of_sessions(["s1", *ghosts, "zz"], RsvpStatus.GOING)
    assert counted == {"s1": 3, "zz": 1}
