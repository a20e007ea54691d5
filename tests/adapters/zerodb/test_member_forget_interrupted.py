"""Forget-me and linking on ZeroDB, which has no transactions: cut off half-way (a refused
write), they leave the profile or the account as it was, so asking again finishes them; a
forget never leaves the name in records with no profile left to forget, a link never leaves
RSVPs under an account that already belongs to another profile."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from adapters.zerodb import ZeroDBSessionStore
from adapters.zerodb.tables import ZeroDBError
from core.members import FORGOTTEN_NAME, MemberProfile
from tests.contract.test_session_store import T0, make_session
from tests.fakes.zerodb_standin import ZeroDBStandIn, open_standin_store

ANA = "discord:555"
ANA_SLACK = "slack:T1:U1"


@asynccontextmanager
async def ana_going(
    standin: tuple[ZeroDBStandIn, str], *profiles: str
) -> AsyncIterator[ZeroDBSessionStore]:
    """A store on the stand-in with session s1, a profile per id, and Ana (`ANA`) going."""
    fake, base_url = standin
    store = await open_standin_store(base_url, fake)
    try:
        await store.add_session(make_session())
        for member_id in profiles:
            await store.save_profile(
                MemberProfile(
                    id=member_id, display_name="Ana", last_seen_at=T0, created_at=T0, updated_at=T0
                )
            )
        await store.rsvp_going("s1", ANA, "Ana", T0)
        yield store
    finally:
        await store.close()


async def test_a_forget_cut_off_half_way_can_be_finished(
    standin: tuple[ZeroDBStandIn, str],
) -> None:
    async with ana_going(standin, ANA) as store:
        fake, _ = standin
        fake.fail_next(403, method=fake.dialect.update_method)  # renaming the RSVP fails
        with pytest.raises(ZeroDBError):
            await store.forget_member(ANA, "forgotten:one", T0)
        assert await store.get_profile(ANA) is not None  # still there to be forgotten
        assert await store.forget_member(ANA, "forgotten:two", T0) == 1
        assert [r.member_name for r in await store.list_rsvps("s1")] == [FORGOTTEN_NAME]
        assert await store.get_profile(ANA) is None


async def test_a_link_cut_off_half_way_can_be_finished(
    standin: tuple[ZeroDBStandIn, str],
) -> None:
    async with ana_going(standin, ANA, ANA_SLACK) as store:
        moving = store._move_records

        async def cut_off(*args: Any) -> None:
            raise ZeroDBError("cut off", 503)

        store._move_records = cut_off  # type: ignore[method-assign,assignment]
        with pytest.raises(ZeroDBError):
            await store.link_identity(ANA_SLACK, ANA, T0)
        store._move_records = moving  # type: ignore[method-assign]
        await store.link_identity(ANA_SLACK, ANA, T0)  # linking again finishes it
        assert [r.member_id for r in await store.list_rsvps("s1")] == [ANA_SLACK]
        linked = await store.get_profile(ANA)
        assert linked is not None and linked.identities == [ANA_SLACK, ANA]
