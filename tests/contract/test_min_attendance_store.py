"""The minimum-attendance part of the SessionStore contract, over every store: a session's
minimum round-trips, one decision per session (replaced when planned anew), a compare and
set on (state, start) with exactly one winner, and due decisions by `due_at`."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core.errors import NotFound
from core.members import MemberProfile
from core.min_attendance import MinDecision, MinState
from core.model import TrainingSession
from core.ports import SessionStore

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = NOW + timedelta(days=2)


def a_session(session_id: str = "s1", start: datetime = START) -> TrainingSession:
    return TrainingSession(
        id=session_id,
        title="Kata",
        instructor_id="slack:T1:U1",
        instructor_name="Sensei",
        start_time=start,
        duration_minutes=60,
        capacity=10,
        min_going=5,
        min_decide_minutes=180,
        created_at=NOW,
        updated_at=NOW,
    )


def planned(session_id: str = "s1", start: datetime = START, **changes: object) -> MinDecision:
    fields: dict[str, object] = {
        "session_id": session_id,
        "start_time": start,
        "minimum": 5,
        "due_at": start - timedelta(hours=3),
        "updated_at": NOW,
    }
    return MinDecision.model_validate(fields | changes)


def asked(decision: MinDecision) -> MinDecision:
    at = decision.start_time - timedelta(hours=3)
    return decision.model_copy(
        update={
            "state": MinState.ASKED,
            "asked_at": at,
            "answer_by": at + timedelta(hours=1),
            "due_at": at + timedelta(hours=1),
            "going": 3,
            "updated_at": at,
        }
    )


async def test_a_sessions_minimum_round_trips(store: SessionStore) -> None:
    await store.add_session(a_session())
    found = await store.get_session("s1")
    assert found is not None and (found.min_going, found.min_decide_minutes) == (5, 180)
    await store.save_session(found.model_copy(update={"min_going": None}))
    again = await store.get_session("s1")
    assert again is not None and again.min_going is None


async def test_one_decision_per_session_replaced_when_planned_anew(store: SessionStore) -> None:
    await store.add_session(a_session())
    assert await store.get_min_decision("s1") is None
    with pytest.raises(NotFound):
        await store.save_min_decision(planned("nope"))
    first = asked(planned())
    await store.save_min_decision(first)
    assert await store.get_min_decision("s1") == first
    moved = planned(start=START + timedelta(days=1))
    await store.save_min_decision(moved)
    assert await store.get_min_decision("s1") == moved


async def test_update_is_a_compare_and_set_on_state_and_start(store: SessionStore) -> None:
    await store.add_session(a_session())
    decision = planned()
    await store.save_min_decision(decision)
    question = asked(decision)
    assert not await store.update_min_decision(question, MinState.ASKED)  # wrong state
    other_start = question.model_copy(update={"start_time": START + timedelta(days=1)})
    assert not await store.update_min_decision(other_start, MinState.PLANNED)  # moved since
    assert await store.get_min_decision("s1") == decision
    assert await store.update_min_decision(question, MinState.PLANNED)
    assert not await store.update_min_decision(question, MinState.PLANNED)  # already asked
    assert await store.get_min_decision("s1") == question
    assert not await store.update_min_decision(planned("nope"), MinState.PLANNED)


async def test_of_a_keep_and_a_default_at_once_exactly_one_wins(store: SessionStore) -> None:
    await store.add_session(a_session())
    question = asked(planned())
    await store.save_min_decision(question)
    at = question.answer_by or NOW
    kept = question.model_copy(
        update={"state": MinState.KEPT, "due_at": None, "decided_by": "slack:T1:U1"}
    )
    by_default = question.model_copy(
        update={"state": MinState.CANCELED, "due_at": at, "decided_at": at}
    )
    results = await asyncio.gather(
        store.update_min_decision(kept, MinState.ASKED),
        store.update_min_decision(by_default, MinState.ASKED),
    )
    assert sorted(results) == [False, True]
    stored = await store.get_min_decision("s1")
    assert stored == (kept if results[0] else by_default)


async def test_due_decisions_earliest_first_and_the_next_due(store: SessionStore) -> None:
    assert await store.next_min_decision_due() is None
    for session_id, days in (("s1", 3), ("s2", 2), ("s3", 4)):
        start = NOW + timedelta(days=days)
        await store.add_session(a_session(session_id, start))
        await store.save_min_decision(planned(session_id, start))
    await store.add_session(a_session("s4"))
    done = planned("s4").model_copy(update={"state": MinState.ENOUGH, "due_at": None})
    await store.save_min_decision(done)
    assert await store.next_min_decision_due() == NOW + timedelta(days=2, hours=-3)
    at = NOW + timedelta(days=3, hours=-3)
    assert [d.session_id for d in await store.due_min_decisions(at, 10)] == ["s2", "s1"]
    assert [d.session_id for d in await store.due_min_decisions(at, 1)] == ["s2"]
    assert await store.due_min_decisions(at - timedelta(days=1, seconds=1), 10) == []


async def test_who_decided_follows_linking_and_forgetting(store: SessionStore) -> None:
    for session_id in ("s1", "s2"):
        await store.add_session(a_session(session_id))
        kept = planned(session_id).model_copy(
            update={"state": MinState.KEPT, "due_at": None, "decided_by": "discord:7"}
        )
        await store.save_min_decision(kept)
    for member_id in ("slack:T1:U1", "discord:7"):
        await store.save_profile(
            MemberProfile(
                id=member_id,
                display_name="Sensei",
                identities=[member_id],
                last_seen_at=NOW,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    await store.link_identity("slack:T1:U1", "discord:7", NOW)
    found = await store.get_min_decision("s1")
    assert found is not None and found.decided_by == "slack:T1:U1"
    await store.forget_member("slack:T1:U1", "forgotten:x1", NOW)
    found = await store.get_min_decision("s2")
    assert found is not None and found.decided_by == "forgotten:x1"
