"""Two people entering each other's link codes at the same moment, on PostgreSQL through two
engines (two processes' stores): the two links lock the same two profiles, in one order, so
neither fails with a deadlock; in the end each identity belongs to exactly one profile.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from adapters.sql import open_sql_store
from adapters.sql.store import SqlSessionStore
from core.errors import DojoError, InvalidState
from core.members import MemberProfile, PlatformFacts
from core.model import Role
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from tests.pg_server import fresh_database, require_server

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ROUNDS = 40


def profile(member_id: str) -> MemberProfile:
    return MemberProfile(
        id=member_id,
        display_name=member_id,
        identities=[member_id],
        last_seen_at=T0,
        created_at=T0,
        updated_at=T0,
    )


async def crossing(
    first: SqlSessionStore, second: SqlSessionStore, a: str, b: str
) -> tuple[MemberProfile | BaseException, MemberProfile | BaseException]:
    """`a` enters `b`'s code on one store while `b` enters `a`'s on the other."""
    await first.save_profile(profile(a))
    await first.save_profile(profile(b))
    now = T0 + timedelta(minutes=1)
    return await asyncio.gather(
        first.link_identity(b, a, now), second.link_identity(a, b, now), return_exceptions=True
    )


async def test_crossing_links_never_deadlock_and_leave_one_profile() -> None:
    async with fresh_database(require_server()) as url:
        first, second = await open_sql_store(url), await open_sql_store(url)
        try:
            for n in range(ROUNDS):
                a, b = f"slack:T1:A{n}", f"discord:{n}"
                results = await crossing(first, second, a, b)
                failures = [r for r in results if isinstance(r, BaseException)]
                # the later link may find the identity linked already; nothing else fails
                assert all(isinstance(f, InvalidState) for f in failures), failures
                assert len(failures) < 2
                owner_a, owner_b = await first.get_profile(a), await second.get_profile(b)
                assert owner_a is not None and owner_b is not None
                assert owner_a.id == owner_b.id and sorted(owner_a.identities) == sorted([a, b])
                profiles = await first.get_profiles([a, b])
                assert {p.id for p in profiles.values()} == {owner_a.id}
        finally:
            await first.close()
            await second.close()


async def test_crossing_link_commands_answer_the_members_and_leave_one_profile() -> None:
    """The same through the use case, as two processes serve `/link CODE` at once: each
    member gets an answer (linked, or a refusal saying what to do), never an internal error."""
    async with fresh_database(require_server()) as url:
        stores = [await open_sql_store(url), await open_sql_store(url)]
        try:
            first, second = (
                SessionService(s, InMemoryVideoRooms(), RecordingChatDelivery(), FakeClock(T0))
                for s in stores
            )
            for n in range(ROUNDS // 4):
                a = PlatformFacts(member_id=f"slack:T1:A{n}", display_name="Ana")
                b = PlatformFacts(member_id=f"discord:{n}", display_name="Ben")
                on_slack = await first.identify(a, Role.MEMBER)
                on_discord = await second.identify(b, Role.MEMBER)
                code_a, code_b = await first.link_code(on_slack), await second.link_code(on_discord)
                results = await asyncio.gather(
                    first.link(on_slack, code_b.code),
                    second.link(on_discord, code_a.code),
                    return_exceptions=True,
                )
                for result in results:
                    assert isinstance(result, MemberProfile | DojoError), result
                    assert not isinstance(result, DojoError) or result.hint, result
                assert any(isinstance(r, MemberProfile) for r in results)
                owner_a, owner_b = (
                    await stores[0].get_profile(a.member_id),
                    await stores[1].get_profile(b.member_id),
                )
                assert owner_a is not None and owner_b is not None and owner_a.id == owner_b.id
                assert sorted(owner_a.identities) == sorted([a.member_id, b.member_id])
        finally:
            for store in stores:
                await store.close()
