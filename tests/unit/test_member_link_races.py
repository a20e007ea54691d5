"""Linking and unlinking when two requests cross: a link the store gave up on (it crossed
another write, e.g. a PostgreSQL deadlock) says to try again and keeps the code usable; two
`/link remove` at the same moment both answer with the account on its own."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from core.errors import Contention
from core.members import MemberProfile, PlatformFacts
from core.model import Member, Role
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore

ANA_SLACK = PlatformFacts(member_id="slack:T1:U1", display_name="Ana Silva")
ANA_DISCORD = PlatformFacts(member_id="discord:555", display_name="ana_s")


class CrossingStore(InMemorySessionStore):
    """The first link gives up as PostgreSQL does on a deadlock; unlinks wait for each other
    (both read the profile before either writes)."""

    def __init__(self) -> None:
        super().__init__()
        self.contended = 1
        self.unlinking = asyncio.Barrier(2)

    async def link_identity(self, into_id: str, identity_id: str, now: datetime) -> MemberProfile:
        if self.contended:
            self.contended -= 1
            raise Contention("Linking crossed another write at the same moment.")
        return await super().link_identity(into_id, identity_id, now)

    async def unlink_identity(self, profile_id: str, identity_id: str, now: datetime) -> None:
        await self.unlinking.wait()
        await super().unlink_identity(profile_id, identity_id, now)


def service(store: CrossingStore) -> SessionService:
    return SessionService(store, InMemoryVideoRooms(), RecordingChatDelivery(), FakeClock())


async def who(service: SessionService, facts: PlatformFacts) -> Member:
    return await service.identify(facts, Role.MEMBER)


async def test_a_link_that_crossed_another_write_says_try_again_with_the_same_code() -> None:
    store = CrossingStore()
    dojo = service(store)
    code = await dojo.link_code(await who(dojo, ANA_SLACK))
    on_discord = await who(dojo, ANA_DISCORD)
    with pytest.raises(Contention) as refused:
        await dojo.link(on_discord, code.code)
    assert "nothing was changed" in refused.value.message
    assert refused.value.hint == "Type /link CODE again with the same code."
    profile = await dojo.link(on_discord, code.code)  # the code was given back
    assert profile.identities == [ANA_SLACK.member_id, ANA_DISCORD.member_id]


async def test_two_link_removes_at_once_both_answer_with_the_account_on_its_own() -> None:
    store = CrossingStore()
    store.contended = 0
    dojo = service(store)
    code = await dojo.link_code(await who(dojo, ANA_SLACK))
    await dojo.link(await who(dojo, ANA_DISCORD), code.code)
    on_discord = await who(dojo, ANA_DISCORD)
    first, second = await asyncio.gather(dojo.unlink(on_discord), dojo.unlink(on_discord))
    assert first == second
    assert first.id == ANA_DISCORD.member_id and first.identities == [ANA_DISCORD.member_id]
    slack = await store.get_profile(ANA_SLACK.member_id)
    assert slack is not None and slack.identities == [ANA_SLACK.member_id]
