"""`release_deliveries`: a stopping process gives back the claims it could not send, so
another process claims them at once (not after the lease) and looks them up first."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from core.ports import SessionStore
from tests.contract.test_session_store import (
    LEASE,
    Diagnostics,
    at,
    claim,
    key,
    make_session,
)

CLAIMED = at(0) + timedelta(microseconds=123457)
"""A claim time as precise as the clock's (a release matches it exactly)."""
SOON = CLAIMED + timedelta(seconds=1)
"""Well inside the lease of a claim made at `CLAIMED`."""


async def test_a_released_claim_is_claimable_at_once_and_counts_as_an_attempt(
    store: SessionStore,
) -> None:
    await store.add_session(make_session())
    assert await claim(store, key("a"), key("b"), now=CLAIMED) == [key("a"), key("b")]
    assert await claim(store, key("a"), now=SOON) == []  # fresh: nobody else may send it
    await store.release_deliveries([key("a")], CLAIMED)
    assert await claim(store, key("b"), key("a"), now=SOON) == [key("a")]
    # it may have reached the platform before the release: the new claimer is told
    assert await store.reclaimed_deliveries([key("a"), key("b")]) == [key("a")]
    assert await cast(Diagnostics, store).delivery_attempts(key("a")) == 2
    # the new claim is an ordinary claim, with its own lease
    assert await claim(store, key("a"), now=SOON + timedelta(seconds=1)) == []


async def test_release_leaves_sent_keys_and_other_claims_alone(store: SessionStore) -> None:
    await store.add_session(make_session())
    sent, mine, theirs = key("sent"), key("mine"), key("theirs")
    assert await claim(store, sent, mine, theirs, now=at(0)) == [sent, mine, theirs]
    await store.mark_deliveries_sent([sent], at(0))
    # our claim of `theirs` expired and another process claimed it again
    assert await claim(store, theirs, now=at(0) + LEASE) == [theirs]
    await store.release_deliveries([sent, mine, theirs, key("unknown")], at(0))
    assert await store.delivery_sent(sent)
    assert await claim(store, sent, mine, theirs, now=at(0) + LEASE + timedelta(seconds=1)) == [
        mine
    ]
    await store.release_deliveries([], at(0))


async def test_a_released_key_is_claimed_by_one_claimer_only(store: SessionStore) -> None:
    await store.add_session(make_session())
    await claim(store, key(), now=at(0))
    await store.release_deliveries([key(), key()], at(0))
    assert await claim(store, key(), now=SOON) == [key()]
    assert await claim(store, key(), now=SOON) == []
