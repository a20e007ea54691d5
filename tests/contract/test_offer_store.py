"""Waitlist offers through the SessionStore port, over every store (tests/contract/conftest):
free seats are held for the first waitlisted members by position (skipping those told to be
skipped), a held seat is nobody else's, a claim wins until its deadline (exclusive: a claim
at the deadline is EXPIRED), each seat has one winner when the seat is open to all, each
lapsed offer is returned once, withdrawn offers go back to their place, and the records
survive an export and import."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.sql import open_sql_store
from adapters.sql.offer_records import select_due_offers, select_next_lapse
from adapters.sql.schema import RSVP_OFFER_INDEX
from bot.cli_export import dump_of
from core.model import Rsvp, RsvpStatus
from core.offers import ClaimOutcome
from core.ports import SessionStore
from tests.contract.conftest import sqlite_url
from tests.contract.dump_scene import TARGETS, records_of, replay
from tests.contract.test_session_store import at, make_session, plan

SECOND = timedelta(seconds=1)
DEADLINE = at(120)


async def seated(
    store: SessionStore, session_id: str, capacity: int, going: int, waiting: int
) -> None:
    """A session of `capacity` with members g1… going and w1… waitlisted, in that order."""
    await store.add_session(make_session(session_id, capacity=capacity))
    for n in range(1, going + 1):
        await store.rsvp_going(session_id, f"g{n}", f"G{n}", at(n))
    for n in range(1, waiting + 1):
        change = await store.rsvp_going(session_id, f"w{n}", f"W{n}", at(10 + n))
        assert change.rsvp is not None and change.rsvp.status is RsvpStatus.WAITLISTED


async def statuses(store: SessionStore, session_id: str) -> dict[str, RsvpStatus]:
    return {r.member_id: r.status for r in await store.list_rsvps(session_id)}


async def row_of(store: SessionStore, session_id: str, member_id: str) -> Rsvp:
    (found,) = [r for r in await store.list_rsvps(session_id) if r.member_id == member_id]
    return found


async def test_a_freed_seat_is_held_for_the_first_waitlisted_not_skipped(
    store: SessionStore,
) -> None:
    await seated(store, "s1", capacity=2, going=2, waiting=3)
    left = await store.rsvp_leave("s1", "g1", at(30), promote=False)
    assert left.rsvp is not None and left.rsvp.status is RsvpStatus.LEFT
    assert left.promoted is None  # the seat waits for an offer
    assert (await statuses(store, "s1"))["w1"] is RsvpStatus.WAITLISTED

    offered = await store.offer_seats("s1", at(31), DEADLINE, frozenset({"w1"}))
    assert [(r.member_id, r.status, r.offer_expires_at) for r in offered] == [
        ("w2", RsvpStatus.OFFERED, DEADLINE)
    ]
    assert offered[0].updated_at == at(31) and offered[0].position == 4
    assert await row_of(store, "s1", "w2") == offered[0]
    # the one free seat is held: nothing more to offer, to anyone
    assert await store.offer_seats("s1", at(32), DEADLINE, frozenset()) == []
    assert await statuses(store, "s1") == {
        "g1": RsvpStatus.LEFT,
        "g2": RsvpStatus.GOING,
        "w1": RsvpStatus.WAITLISTED,
        "w2": RsvpStatus.OFFERED,
        "w3": RsvpStatus.WAITLISTED,
    }


async def test_offers_go_in_position_order(store: SessionStore) -> None:
    await seated(store, "s1", capacity=3, going=3, waiting=4)
    for member in ("g1", "g2", "g3"):
        await store.rsvp_leave("s1", member, at(30), promote=False)
    offered = await store.offer_seats("s1", at(31), DEADLINE, frozenset())
    assert [r.member_id for r in offered] == ["w1", "w2", "w3"]
    assert (await statuses(store, "s1"))["w4"] is RsvpStatus.WAITLISTED


async def test_a_held_seat_is_not_taken_by_a_newcomer(store: SessionStore) -> None:
    await seated(store, "s1", capacity=1, going=1, waiting=1)
    await store.rsvp_leave("s1", "g1", at(30), promote=False)
    await store.offer_seats("s1", at(31), DEADLINE, frozenset())
    newcomer = await store.rsvp_going("s1", "n1", "N1", at(32))
    assert newcomer.rsvp is not None and newcomer.rsvp.status is RsvpStatus.WAITLISTED
    assert newcomer.rsvp.position == 3
    assert await store.count_going("s1") == 0


async def test_a_newcomer_waits_while_someone_is_waitlisted_for_a_free_seat(
    store: SessionStore,
) -> None:
    await seated(store, "s1", capacity=1, going=1, waiting=1)
    await store.rsvp_leave("s1", "g1", at(30), promote=False)  # free, not offered yet
    newcomer = await store.rsvp_going("s1", "n1", "N1", at(31))
    assert newcomer.rsvp is not None and newcomer.rsvp.status is RsvpStatus.WAITLISTED
    offered = await store.offer_seats("s1", at(32), DEADLINE, frozenset())
    assert [r.member_id for r in offered] == ["w1"]


async def test_a_claim_wins_until_the_deadline_and_not_at_it(store: SessionStore) -> None:
    await seated(store, "s1", capacity=2, going=2, waiting=3)
    for member in ("g1", "g2"):
        await store.rsvp_leave("s1", member, at(30), promote=False)
    await store.offer_seats("s1", at(31), DEADLINE, frozenset())

    early = await store.claim_seat("s1", "w1", DEADLINE - SECOND, open_to_all=False)
    assert early.outcome is ClaimOutcome.CLAIMED and early.rsvp is not None
    assert early.rsvp.status is RsvpStatus.GOING and early.rsvp.offer_expires_at is None
    assert early.rsvp.updated_at == DEADLINE - SECOND
    assert await row_of(store, "s1", "w1") == early.rsvp

    at_deadline = await store.claim_seat("s1", "w2", DEADLINE, open_to_all=False)
    late = await store.claim_seat("s1", "w2", DEADLINE + SECOND, open_to_all=False)
    assert at_deadline.outcome is ClaimOutcome.EXPIRED and late.outcome is ClaimOutcome.EXPIRED
    assert (await row_of(store, "s1", "w2")).status is RsvpStatus.OFFERED  # nothing written
    assert await store.count_going("s1") == 1


async def test_claims_without_an_offer_are_refused_with_the_reason(store: SessionStore) -> None:
    await seated(store, "s1", capacity=1, going=1, waiting=2)
    await store.rsvp_leave("s1", "g1", at(30), promote=False)
    await store.offer_seats("s1", at(31), DEADLINE, frozenset())
    await store.claim_seat("s1", "w1", at(32), open_to_all=False)
    assert (await store.claim_seat("s1", "w1", at(33), False)).outcome is (
        ClaimOutcome.ALREADY_GOING
    )
    assert (await store.claim_seat("s1", "w2", at(33), False)).outcome is (
        ClaimOutcome.NOT_YOUR_TURN
    )
    assert (await store.claim_seat("s1", "g1", at(33), False)).outcome is (ClaimOutcome.NOT_WAITING)
    assert (await store.claim_seat("s1", "nobody", at(33), True)).outcome is (
        ClaimOutcome.NOT_WAITING
    )
    assert (await store.claim_seat("missing", "w2", at(33), True)).outcome is (
        ClaimOutcome.NOT_WAITING
    )
    assert await statuses(store, "s1") == {
        "g1": RsvpStatus.LEFT,
        "w1": RsvpStatus.GOING,
        "w2": RsvpStatus.WAITLISTED,
    }


async def test_open_to_all_one_free_seat_has_one_winner(store: SessionStore) -> None:
    await seated(store, "s1", capacity=2, going=2, waiting=8)
    await store.rsvp_leave("s1", "g1", at(30), promote=False)
    claims = await asyncio.gather(
        *(store.claim_seat("s1", f"w{n}", at(31), open_to_all=True) for n in range(1, 9))
    )
    outcomes = [c.outcome for c in claims]
    assert outcomes.count(ClaimOutcome.CLAIMED) == 1
    assert outcomes.count(ClaimOutcome.TAKEN) == 7
    assert await store.count_going("s1") == 2


async def test_open_to_all_k_seats_have_k_winners(store: SessionStore) -> None:
    await seated(store, "s1", capacity=2, going=2, waiting=12)
    await store.save_within_capacity(make_session("s1", capacity=5, updated_at=at(30)))
    claims = await asyncio.gather(
        *(store.claim_seat("s1", f"w{n}", at(31), open_to_all=True) for n in range(1, 13))
    )
    winners = {c.rsvp.member_id for c in claims if c.outcome is ClaimOutcome.CLAIMED and c.rsvp}
    assert len(winners) == 3
    going = {r.member_id for r in await store.list_rsvps("s1", RsvpStatus.GOING)}
    assert going == {"g1", "g2"} | winners


async def test_an_open_claim_does_not_take_a_seat_held_by_an_offer(store: SessionStore) -> None:
    await seated(store, "s1", capacity=1, going=1, waiting=2)
    await store.rsvp_leave("s1", "g1", at(30), promote=False)
    await store.offer_seats("s1", at(31), DEADLINE, frozenset())
    taken = await store.claim_seat("s1", "w2", at(32), open_to_all=True)
    assert taken.outcome is ClaimOutcome.TAKEN
    mine = await store.claim_seat("s1", "w1", at(32), open_to_all=True)
    assert mine.outcome is ClaimOutcome.CLAIMED


async def offers_in_three_sessions(store: SessionStore) -> None:
    """s1: w1 until at(60); s2: w1, w2 until at(90); s3: w1 until at(200)."""
    deadlines = {"s1": (1, at(60)), "s2": (2, at(90)), "s3": (1, at(200))}
    for session_id, (seats, deadline) in deadlines.items():
        await seated(store, session_id, capacity=seats, going=seats, waiting=seats + 1)
        for n in range(1, seats + 1):
            await store.rsvp_leave(session_id, f"g{n}", at(30), promote=False)
        await store.offer_seats(session_id, at(31), deadline, frozenset())


async def test_two_concurrent_lapses_return_each_due_offer_once(store: SessionStore) -> None:
    await offers_in_three_sessions(store)
    first, second = await asyncio.gather(
        store.lapse_offers(at(100), 100), store.lapse_offers(at(100), 100)
    )
    keys = [(r.session_id, r.member_id) for r in (*first, *second)]
    assert sorted(keys) == [("s1", "w1"), ("s2", "w1"), ("s2", "w2")]
    for row in (*first, *second):
        assert row.status is RsvpStatus.LEFT and row.updated_at == at(100)
        assert row.offer_expires_at in (at(60), at(90))  # kept: the record of the lapse
        assert await row_of(store, row.session_id, row.member_id) == row
    assert (await row_of(store, "s3", "w1")).status is RsvpStatus.OFFERED
    assert await store.lapse_offers(at(100), 100) == []


async def test_lapses_go_earliest_first_within_the_limit(store: SessionStore) -> None:
    await offers_in_three_sessions(store)
    assert await store.lapse_offers(at(59), 10) == []
    (first,) = await store.lapse_offers(at(300), 1)
    assert (first.session_id, first.member_id) == ("s1", "w1")
    rest = await store.lapse_offers(at(300), 10)
    assert [(r.session_id, r.member_id) for r in rest] == [
        ("s2", "w1"),
        ("s2", "w2"),
        ("s3", "w1"),
    ]


async def test_a_lapsed_offer_cannot_be_claimed(store: SessionStore) -> None:
    await offers_in_three_sessions(store)
    await store.lapse_offers(at(60), 10)
    claim = await store.claim_seat("s1", "w1", at(59), open_to_all=False)  # a late clock
    assert claim.outcome is ClaimOutcome.EXPIRED
    assert (await row_of(store, "s1", "w1")).status is RsvpStatus.LEFT


async def test_a_member_whose_offer_lapsed_rejoins_at_the_back_without_a_deadline(
    store: SessionStore,
) -> None:
    await offers_in_three_sessions(store)
    await store.lapse_offers(at(60), 10)  # s1: w1's offer lapsed, w2 waits
    back = await store.rsvp_going("s1", "w1", "W1", at(61))
    assert back.rsvp is not None and back.rsvp.status is RsvpStatus.WAITLISTED
    assert back.rsvp.offer_expires_at is None and back.rsvp.position == 4
    assert await row_of(store, "s1", "w1") == back.rsvp
    claim = await store.claim_seat("s1", "w1", at(62), open_to_all=False)
    assert claim.outcome is ClaimOutcome.NOT_YOUR_TURN  # waiting again, not EXPIRED
    (offer,) = await store.offer_seats("s1", at(63), at(180), frozenset())
    assert offer.member_id == "w2"


async def test_withdrawn_offers_go_back_to_their_place(store: SessionStore) -> None:
    await offers_in_three_sessions(store)
    back = await store.withdraw_offers("s2", at(40))
    assert [(r.member_id, r.status, r.offer_expires_at, r.updated_at) for r in back] == [
        ("w1", RsvpStatus.WAITLISTED, None, at(40)),
        ("w2", RsvpStatus.WAITLISTED, None, at(40)),
    ]
    assert [r.position for r in back] == [3, 4]
    assert [r for r in await store.list_rsvps("s2") if r.member_id in ("w1", "w2")] == back
    assert await store.withdraw_offers("s2", at(41)) == []
    assert (await row_of(store, "s1", "w1")).status is RsvpStatus.OFFERED  # others kept
    assert await store.withdraw_offers("missing", at(41)) == []


async def test_the_next_lapse_is_the_earliest_open_deadline(store: SessionStore) -> None:
    assert await store.next_offer_lapse() is None
    await offers_in_three_sessions(store)
    assert await store.next_offer_lapse() == at(60)
    await store.claim_seat("s1", "w1", at(50), open_to_all=False)
    assert await store.next_offer_lapse() == at(90)
    await store.withdraw_offers("s2", at(51))
    assert await store.next_offer_lapse() == at(200)
    await store.lapse_offers(at(200), 10)
    assert await store.next_offer_lapse() is None


async def test_leaving_without_promotion_frees_the_seat_for_an_offer(
    store: SessionStore,
) -> None:
    await seated(store, "s1", capacity=1, going=1, waiting=2)
    await store.rsvp_leave("s1", "g1", at(30), promote=False)
    (offer,) = await store.offer_seats("s1", at(31), DEADLINE, frozenset())
    # the offered member passes (leaves): their held seat frees, nobody is promoted
    passed = await store.rsvp_leave("s1", offer.member_id, at(32), promote=False)
    assert passed.rsvp is not None and passed.rsvp.status is RsvpStatus.LEFT
    assert passed.promoted is None
    (again,) = await store.offer_seats("s1", at(33), DEADLINE, frozenset())
    assert again.member_id == "w2"


async def test_an_offered_member_leaving_with_promotion_promotes_the_next(
    store: SessionStore,
) -> None:
    await seated(store, "s1", capacity=1, going=1, waiting=2)
    await store.rsvp_leave("s1", "g1", at(30), promote=False)
    await store.offer_seats("s1", at(31), DEADLINE, frozenset())
    passed = await store.rsvp_leave("s1", "w1", at(32))
    assert passed.promoted is not None and passed.promoted.member_id == "w2"
    assert passed.promoted.status is RsvpStatus.GOING


async def test_capacity_raised_by_three_while_two_offers_are_open(store: SessionStore) -> None:
    await seated(store, "s1", capacity=4, going=4, waiting=6)
    for member in ("g1", "g2"):
        await store.rsvp_leave("s1", member, at(30), promote=False)
    first = await store.offer_seats("s1", at(31), DEADLINE, frozenset())
    assert [r.member_id for r in first] == ["w1", "w2"]
    await store.save_within_capacity(make_session("s1", capacity=7, updated_at=at(40)))
    more = await store.offer_seats("s1", at(41), at(160), frozenset())
    assert [r.member_id for r in more] == ["w3", "w4", "w5"]
    assert [r.offer_expires_at for r in more] == [at(160)] * 3
    assert (await row_of(store, "s1", "w1")).offer_expires_at == DEADLINE  # kept
    assert await store.offer_seats("s1", at(42), at(160), frozenset()) == []
    assert len(await store.list_rsvps("s1", RsvpStatus.OFFERED)) == 5


async def test_concurrent_offers_hold_each_seat_once(store: SessionStore) -> None:
    await seated(store, "s1", capacity=3, going=3, waiting=10)
    for member in ("g1", "g2", "g3"):
        await store.rsvp_leave("s1", member, at(30), promote=False)
    rounds = await asyncio.gather(
        *(store.offer_seats("s1", at(31), DEADLINE, frozenset()) for _ in range(6))
    )
    offered = [r.member_id for found in rounds for r in found]
    assert sorted(offered) == ["w1", "w2", "w3"]


@pytest.mark.parametrize("target_kind", list(TARGETS))
async def test_offers_survive_an_export_and_import(
    store: SessionStore, target_kind: str, tmp_path: Path
) -> None:
    await offers_in_three_sessions(store)
    await store.lapse_offers(at(60), 10)  # s1's lapsed row keeps its deadline
    exported = await records_of(store)
    async with TARGETS[target_kind](tmp_path) as target:
        assert await dump_of(target).import_records(replay(exported)) == len(exported)
        assert await records_of(target) == exported
        for session_id in ("s1", "s2", "s3"):
            assert await target.list_rsvps(session_id) == await store.list_rsvps(session_id)
        assert await target.next_offer_lapse() == at(90)
        lapsed = await target.lapse_offers(at(90), 10)
        assert [(r.session_id, r.member_id) for r in lapsed] == [("s2", "w1"), ("s2", "w2")]


async def test_sqlite_offer_deadlines_are_read_through_their_index(tmp_path: Path) -> None:
    store = await open_sql_store(sqlite_url(tmp_path / "plans.db"))
    try:
        plans = [
            await plan(store, select_next_lapse()),
            await plan(store, select_due_offers(at(60), 100)),
        ]
    finally:
        await store.close()
    for found in plans:
        assert f"USING COVERING INDEX {RSVP_OFFER_INDEX}" in found or (
            f"USING INDEX {RSVP_OFFER_INDEX}" in found
        ), found
        assert "status=?" in found, found
