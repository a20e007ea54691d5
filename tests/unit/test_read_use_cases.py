"""The reads front ends need (pickers, events, a member's own RSVP) go through the service
and apply the same visibility rules as its writes."""

from datetime import timedelta

import pytest

from core.commands import CreateEvent
from core.errors import NotFound
from core.model import RsvpStatus, Visibility
from tests.unit.conftest import ADMIN, ANA, BEN, GUEST, SENSEI, World


async def test_find_sessions_hides_members_only_sessions_from_guests(world: World) -> None:
    closed = await world.schedule(title="Kata members", visibility=Visibility.MEMBERS_ONLY)
    open_ = await world.schedule(title="Kata open", visibility=Visibility.PUBLIC)
    assert [s.id for s in await world.service.find_sessions(GUEST, "kata", 25)] == [open_.id]
    found = await world.service.find_sessions(ANA, "kata", 25)
    assert {s.id for s in found} == {closed.id, open_.id}


async def test_find_sessions_matches_title_or_id_soonest_first_open_only(world: World) -> None:
    later = await world.schedule(in_=timedelta(days=3), title="Randori")
    sooner = await world.schedule(in_=timedelta(days=1), title="Kata RANDORI drill")
    gone = await world.schedule(in_=timedelta(days=2), title="Randori canceled")
    await world.service.cancel(SENSEI, gone.id)
    assert [s.id for s in await world.service.find_sessions(ANA, " randori ", 25)] == [
        sooner.id,
        later.id,
    ]
    assert [s.id for s in await world.service.find_sessions(ANA, later.id.upper(), 25)] == [
        later.id
    ]
    assert [s.id for s in await world.service.find_sessions(ANA, "", 1)] == [sooner.id]
    assert await world.service.find_sessions(ANA, "nothing like it", 25) == []


async def test_list_events_oldest_first(world: World) -> None:
    first = await world.service.create_event(ADMIN, CreateEvent(title="Winter camp"))
    world.clock.advance(timedelta(minutes=1))
    second = await world.service.create_event(SENSEI, CreateEvent(title="Spring camp"))
    assert [e.id for e in await world.service.list_events(GUEST)] == [first.id, second.id]


async def test_rsvp_of_is_the_members_own_row(world: World) -> None:
    session = await world.schedule(capacity=1)
    assert await world.service.rsvp_of(ANA, session.id) is None
    await world.service.rsvp(ANA, session.id)
    await world.service.rsvp(BEN, session.id)
    mine = await world.service.rsvp_of(ANA, session.id)
    assert mine is not None and mine.member_id == ANA.id and mine.status is RsvpStatus.GOING
    bens = await world.service.rsvp_of(BEN, session.id)
    assert bens is not None and bens.status is RsvpStatus.WAITLISTED
    await world.service.unrsvp(ANA, session.id)
    left = await world.service.rsvp_of(ANA, session.id)
    assert left is not None and left.status is RsvpStatus.LEFT
    with pytest.raises(NotFound):
        await world.service.rsvp_of(ANA, "no-such-session")
