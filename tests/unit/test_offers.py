"""Waitlist offers through the service, on the memory store and a FakeClock: the issue's
hard cases (deadlines to the second, rejoining, capacity raised while offers are open,
cancel and move with offers out, a restarted clock, no offer DMed twice, first click wins
in the late window, seat notice, offers stop at the start, overlapping sessions)."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from core.commands import ScheduleSeries, ScheduleSession, UpdateSeries, UpdateSession
from core.errors import InvalidState
from core.members import PlatformFacts
from core.model import Member, Role, RsvpStatus, SessionFilter, TrainingSession
from core.notices import NoticeKind
from core.offer_duty import OfferDuty
from core.offers import ClaimOutcome, OfferRules
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery, Sent
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.unit.conftest import ORIGIN, SENSEI, member

RULES = OfferRules(enabled=True)
A, B, C, D, E = (member(n) for n in ("ana", "ben", "cal", "dee", "eve"))
WAITERS = [member(f"w{i}") for i in range(8)]


@dataclass
class Offers:
    clock: FakeClock
    store: InMemorySessionStore
    chat: RecordingChatDelivery
    service: SessionService
    duty: OfferDuty

    @property
    def now(self) -> datetime:
        return self.clock.now()

    async def schedule(
        self, in_: timedelta = timedelta(days=2), cap: int = 1, title: str = "Kata"
    ) -> TrainingSession:
        command = ScheduleSession.model_validate(
            {"title": title, "start_time": self.now + in_, "capacity": cap}
        )
        return await self.service.schedule(SENSEI, command, ORIGIN)

    async def status(self, session: TrainingSession, who: Member) -> RsvpStatus | None:
        rows = await self.store.list_rsvps(session.id)
        return next((r.status for r in rows if r.member_id == who.id), None)

    def dms(self, kind: NoticeKind, who: Member | None = None) -> list[Sent]:
        return [
            s
            for s in self.chat.of_kind("dm")
            if s.notice is not None and s.notice.kind is kind and (who is None or s.to == who.id)
        ]

    def restart(self) -> Offers:
        """A new process over the same store and chat: a fresh service, duty and clock
        reading the same time."""
        clock = FakeClock(self.now)
        service = SessionService(
            self.store, InMemoryVideoRooms(), self.chat, clock, offer_rules=RULES
        )
        return Offers(clock, self.store, self.chat, service, OfferDuty(service))


@pytest.fixture
def offers() -> Offers:
    clock = FakeClock()
    store = InMemorySessionStore()
    chat = RecordingChatDelivery()
    service = SessionService(store, InMemoryVideoRooms(), chat, clock, offer_rules=RULES)
    return Offers(clock, store, chat, service, OfferDuty(service))


async def full(offers: Offers, waiting: list[Member], cap: int = 1) -> TrainingSession:
    """A session whose `cap` seats are taken by A (and B…), with `waiting` waitlisted."""
    session = await offers.schedule(cap=cap)
    for who in [A, B, C][:cap]:
        await offers.service.rsvp(who, session.id)
    for who in waiting:
        await offers.service.rsvp(who, session.id)
    return session


async def test_a_freed_seat_is_offered_to_the_first_waitlisted_with_claim_and_pass(
    offers: Offers,
) -> None:
    session = await full(offers, [D, E])
    await offers.service.unrsvp(A, session.id)
    assert await offers.status(session, D) is RsvpStatus.OFFERED
    assert await offers.status(session, E) is RsvpStatus.WAITLISTED
    [dm] = offers.dms(NoticeKind.SEAT_OFFERED, D)
    assert dm.notice is not None
    assert [b.command for b in dm.notice.buttons] == [f"/claim {session.id}", f"/pass {session.id}"]
    assert "claim it by" in dm.text
    assert await offers.service.next_offer_lapse() == offers.now + RULES.claim_window
    assert not offers.dms(NoticeKind.PROMOTED)  # nobody promoted behind their back


async def test_claimed_one_second_before_the_deadline_wins_one_second_after_does_not(
    offers: Offers,
) -> None:
    first = await full(offers, [D])
    second = await full(offers, [E])
    await offers.service.unrsvp(A, first.id)
    await offers.service.unrsvp(A, second.id)
    deadline = offers.now + RULES.claim_window
    offers.clock.set(deadline - timedelta(seconds=1))
    won = await offers.service.claim(D, first.id)
    assert won.outcome is ClaimOutcome.CLAIMED
    assert await offers.status(first, D) is RsvpStatus.GOING
    offers.clock.set(deadline + timedelta(seconds=1))
    late = await offers.service.claim(E, second.id)  # before the clock's duty ran
    assert late.outcome is ClaimOutcome.EXPIRED
    assert await offers.status(second, E) is RsvpStatus.OFFERED  # nothing written
    await offers.duty.run_due(offers.now)
    assert await offers.status(second, E) is RsvpStatus.LEFT
    after = await offers.service.claim(E, second.id)
    assert after.outcome is ClaimOutcome.EXPIRED
    assert after.rsvp is not None and after.rsvp.offer_expires_at == deadline
    assert len(offers.dms(NoticeKind.OFFER_LAPSED, E)) == 1


async def test_a_lapsed_offer_goes_to_the_next_and_the_lapsed_member_can_rejoin(
    offers: Offers,
) -> None:
    session = await full(offers, [D, E])
    await offers.service.unrsvp(A, session.id)
    offers.clock.advance(RULES.claim_window)
    assert await offers.duty.next_due() == offers.now
    assert await offers.duty.run_due(offers.now) >= 1
    assert await offers.status(session, D) is RsvpStatus.LEFT
    assert await offers.status(session, E) is RsvpStatus.OFFERED
    assert len(offers.dms(NoticeKind.SEAT_OFFERED, E)) == 1
    change = await offers.service.rsvp(D, session.id)  # back at the end of the waitlist
    assert change.rsvp is not None and change.rsvp.status is RsvpStatus.WAITLISTED
    assert (await offers.service.claim(D, session.id)).outcome is ClaimOutcome.NOT_YOUR_TURN


async def test_a_member_who_leaves_and_rejoins_the_waitlist_goes_to_its_end(
    offers: Offers,
) -> None:
    session = await full(offers, [D, E])
    await offers.service.unrsvp(D, session.id)
    await offers.service.rsvp(D, session.id)
    await offers.service.unrsvp(A, session.id)
    assert await offers.status(session, E) is RsvpStatus.OFFERED
    assert await offers.status(session, D) is RsvpStatus.WAITLISTED
    assert not offers.dms(NoticeKind.SEAT_OFFERED, D)


async def test_capacity_raised_by_three_while_two_offers_are_open(offers: Offers) -> None:
    session = await full(offers, WAITERS, cap=2)
    await offers.service.unrsvp(A, session.id)
    await offers.service.unrsvp(B, session.id)
    assert [await offers.status(session, w) for w in WAITERS[:3]] == [
        RsvpStatus.OFFERED,
        RsvpStatus.OFFERED,
        RsvpStatus.WAITLISTED,
    ]
    offers.clock.advance(timedelta(minutes=10))
    await offers.service.update(SENSEI, UpdateSession(session_id=session.id, capacity=5))
    statuses = [await offers.status(session, w) for w in WAITERS]
    assert statuses == [RsvpStatus.OFFERED] * 5 + [RsvpStatus.WAITLISTED] * 3
    rows = {r.member_id: r for r in await offers.store.list_rsvps(session.id)}
    first_deadline = rows[WAITERS[0].id].offer_expires_at
    assert rows[WAITERS[4].id].offer_expires_at == offers.now + RULES.claim_window
    assert first_deadline == offers.now - timedelta(minutes=10) + RULES.claim_window  # kept
    assert len(offers.dms(NoticeKind.SEAT_OFFERED)) == 5


async def test_an_offer_out_when_the_session_is_canceled_is_withdrawn(offers: Offers) -> None:
    session = await full(offers, [D, E])
    await offers.service.unrsvp(A, session.id)
    await offers.service.cancel(SENSEI, session.id, "Dojo closed")
    assert await offers.status(session, D) is RsvpStatus.WAITLISTED
    assert await offers.service.next_offer_lapse() is None
    assert offers.dms(NoticeKind.CANCELED, D) and offers.dms(NoticeKind.CANCELED, E)
    with pytest.raises(InvalidState):
        await offers.service.claim(D, session.id)
    offers.clock.advance(RULES.claim_window * 2)
    await offers.duty.run_due(offers.now)
    assert not offers.dms(NoticeKind.OFFER_LAPSED)


async def test_an_offer_out_when_the_session_moves_is_made_again_with_the_new_timing(
    offers: Offers,
) -> None:
    session = await full(offers, [D, E])
    await offers.service.unrsvp(A, session.id)
    offers.clock.advance(timedelta(minutes=30))
    new_start = session.start_time - timedelta(days=1, hours=22)  # 1 h 30 min from now
    await offers.service.update(SENSEI, UpdateSession(session_id=session.id, start_time=new_start))
    rows = {r.member_id: r for r in await offers.store.list_rsvps(session.id)}
    assert rows[D.id].status is RsvpStatus.OFFERED
    assert rows[D.id].offer_expires_at == offers.now + RULES.late_claim_window
    assert len(offers.dms(NoticeKind.SEAT_OFFERED, D)) == 2  # the new deadline, once
    assert rows[E.id].status is RsvpStatus.WAITLISTED


async def test_a_restarted_clock_lapses_the_open_offers_from_the_store(offers: Offers) -> None:
    session = await full(offers, [D, E])
    await offers.service.unrsvp(A, session.id)
    deadline = offers.now + RULES.claim_window
    fresh = offers.restart()  # the first process is gone
    assert await fresh.duty.next_due() == deadline
    fresh.clock.set(deadline)
    await fresh.duty.run_due(fresh.now)
    assert await fresh.status(session, D) is RsvpStatus.LEFT
    assert await fresh.status(session, E) is RsvpStatus.OFFERED
    assert await offers.duty.run_due(fresh.now) == 0  # the old one finds nothing left


async def test_an_offer_committed_but_never_dmed_is_sent_once_by_the_duty(offers: Offers) -> None:
    session = await full(offers, [D])
    await offers.store.rsvp_leave(session.id, A.id, offers.now, promote=False)
    deadline = offers.now + RULES.claim_window
    await offers.store.offer_seats(session.id, offers.now, deadline, frozenset())  # then a crash
    assert not offers.dms(NoticeKind.SEAT_OFFERED)
    fresh = offers.restart()
    await fresh.duty.run_due(fresh.now)
    await fresh.duty.run_due(fresh.now)
    fresh.clock.advance(timedelta(minutes=11))
    await fresh.duty.run_due(fresh.now)
    await offers.duty.run_due(fresh.now)
    assert len(offers.dms(NoticeKind.SEAT_OFFERED, D)) == 1
    later = await full(offers, [E])  # a crash again, after the restarted clock's first check
    await offers.store.rsvp_leave(later.id, A.id, fresh.now, promote=False)
    await offers.store.offer_seats(later.id, fresh.now, deadline, frozenset())
    fresh.clock.advance(timedelta(minutes=10))
    await fresh.duty.run_due(fresh.now)  # its next check looks at offers made since
    assert len(offers.dms(NoticeKind.SEAT_OFFERED, E)) == 1


async def test_no_offer_is_ever_sent_twice(offers: Offers) -> None:
    session = await full(offers, WAITERS, cap=3)
    other = offers.restart()
    for who in (A, B, C):
        await offers.service.unrsvp(who, session.id)
    for step in range(6):  # lapses, passes and claims, two processes, resends
        offers.clock.advance(timedelta(hours=1))
        other.clock.set(offers.now)
        await offers.duty.run_due(offers.now)
        await other.duty.run_due(other.now)
        rows = await offers.store.list_rsvps(session.id, RsvpStatus.OFFERED)
        if rows and step % 2:
            await other.service.pass_seat(member(rows[0].member_name), session.id)
        await offers.service.resend_offers()
        await other.service.resend_offers()
    keys = Counter(
        (s.to, s.notice.text)
        for s in offers.chat.of_kind("dm")
        if s.notice is not None and s.notice.kind is NoticeKind.SEAT_OFFERED
    )
    assert keys and max(keys.values()) == 1


async def test_in_the_late_window_the_first_click_wins(offers: Offers) -> None:
    session = await full(offers, [D, E])
    offers.clock.set(session.start_time - timedelta(minutes=20))
    await offers.service.unrsvp(A, session.id)
    assert await offers.status(session, D) is RsvpStatus.WAITLISTED  # no seat held
    assert len(offers.dms(NoticeKind.SEAT_OPEN)) == 2
    assert await offers.service.next_offer_lapse() is None
    results = await asyncio.gather(
        offers.service.claim(E, session.id), offers.service.claim(D, session.id)
    )
    assert sorted(r.outcome for r in results) == [ClaimOutcome.CLAIMED, ClaimOutcome.TAKEN]
    assert len(await offers.store.list_rsvps(session.id, RsvpStatus.GOING)) == 1


async def test_members_who_need_more_notice_are_skipped(offers: Offers) -> None:
    session = await full(offers, [D, E])
    await _profile(offers, D)
    await offers.service.set_seat_notice(D, timedelta(hours=3))
    offers.clock.set(session.start_time - timedelta(hours=2, minutes=30))
    await offers.service.unrsvp(A, session.id)
    assert await offers.status(session, D) is RsvpStatus.WAITLISTED
    assert await offers.status(session, E) is RsvpStatus.OFFERED
    assert not offers.dms(NoticeKind.SEAT_OFFERED, D)


async def test_offers_stop_at_the_start(offers: Offers) -> None:
    session = await full(offers, [D])
    offers.clock.set(session.start_time + timedelta(minutes=1))
    await offers.service.unrsvp(A, session.id)
    assert await offers.status(session, D) is RsvpStatus.WAITLISTED
    assert not offers.dms(NoticeKind.SEAT_OPEN) and not offers.dms(NoticeKind.SEAT_OFFERED)
    with pytest.raises(InvalidState, match="no longer offered"):
        await offers.service.claim(D, session.id)


async def test_taking_a_seat_releases_the_waitlist_places_in_overlapping_sessions(
    offers: Offers,
) -> None:
    first = await full(offers, [D])
    overlapping = await offers.schedule(in_=timedelta(days=2, minutes=30), title="Bo")
    await offers.service.rsvp(B, overlapping.id)
    await offers.service.rsvp(D, overlapping.id)
    await offers.service.rsvp(E, overlapping.id)
    later = await offers.schedule(in_=timedelta(days=3), title="Jo")
    await offers.service.rsvp(C, later.id)
    await offers.service.rsvp(D, later.id)
    await offers.service.unrsvp(A, first.id)
    assert (await offers.service.claim(D, first.id)).outcome is ClaimOutcome.CLAIMED
    assert await offers.status(overlapping, D) is RsvpStatus.LEFT
    assert await offers.status(later, D) is RsvpStatus.WAITLISTED  # does not overlap
    [told] = [s for s in offers.dms(NoticeKind.WAITLIST_MOVED, D) if "overlaps" in s.text]
    assert "Bo" in told.text and "Jo" not in told.text


async def test_waitlisted_members_hear_when_their_place_changes_materially(
    offers: Offers,
) -> None:
    session = await full(offers, WAITERS)
    await offers.service.unrsvp(WAITERS[1], session.id)
    moved = {s.to for s in offers.dms(NoticeKind.WAITLIST_MOVED)}
    assert moved == {WAITERS[2].id, WAITERS[3].id}  # now #2 and #3; #4… moved by one only
    await offers.service.unrsvp(WAITERS[1], session.id)  # nothing changes: nobody told again
    assert len(offers.dms(NoticeKind.WAITLIST_MOVED)) == 2


async def test_moving_up_five_places_at_once_is_told_wherever_it_lands() -> None:
    from core.offer_use_cases import material_move

    assert material_move(12, 7) and material_move(4, 3) and material_move(2, 1)
    assert not material_move(12, 8) and not material_move(5, 4) and not material_move(3, 3)


async def test_passing_gives_the_seat_to_the_next(offers: Offers) -> None:
    session = await full(offers, [D, E])
    await offers.service.unrsvp(A, session.id)
    with pytest.raises(InvalidState, match="no seat offer"):
        await offers.service.pass_seat(E, session.id)
    await offers.service.pass_seat(D, session.id)
    assert await offers.status(session, D) is RsvpStatus.LEFT
    assert await offers.status(session, E) is RsvpStatus.OFFERED


async def test_a_newcomer_waits_behind_an_open_offer(offers: Offers) -> None:
    session = await full(offers, [D])
    await offers.service.unrsvp(A, session.id)
    change = await offers.service.rsvp(C, session.id)
    assert change.rsvp is not None and change.rsvp.status is RsvpStatus.WAITLISTED


async def _profile(offers: Offers, who: Member) -> None:
    facts = PlatformFacts(member_id=who.id, display_name=who.display_name)
    await offers.service.identify(facts, Role.MEMBER)


async def test_resetting_reminders_keeps_the_seat_notice(offers: Offers) -> None:
    from core.member_commands import SetReminders

    await _profile(offers, D)
    await offers.service.set_seat_notice(D, timedelta(hours=3))
    await offers.service.change_reminder_preferences(D, SetReminders(reset=True))
    profile = await offers.service.profile(D)
    assert profile.preferences.seat_notice == timedelta(hours=3)
    await offers.service.set_seat_notice(D, None)
    assert (await offers.service.profile(D)).preferences.seat_notice is None


async def test_capacity_lowered_under_the_open_offers_keeps_only_the_seats_left(
    offers: Offers,
) -> None:
    session = await full(offers, WAITERS[:3], cap=3)
    await offers.service.unrsvp(B, session.id)
    await offers.service.unrsvp(C, session.id)
    await offers.service.update(SENSEI, UpdateSession(session_id=session.id, capacity=2))
    statuses = [await offers.status(session, w) for w in WAITERS[:3]]
    assert statuses == [RsvpStatus.OFFERED, RsvpStatus.WAITLISTED, RsvpStatus.WAITLISTED]
    assert (await offers.service.claim(WAITERS[0], session.id)).outcome is ClaimOutcome.CLAIMED
    assert len(await offers.store.list_rsvps(session.id, RsvpStatus.GOING)) == 2


async def test_offers_re_plan_the_alarm_except_inside_its_own_wake_up(offers: Offers) -> None:
    replans: list[datetime] = []

    async def listener() -> None:
        replans.append(offers.now)

    service = SessionService(
        offers.store,
        InMemoryVideoRooms(),
        offers.chat,
        offers.clock,
        timing_listener=listener,
        offer_rules=RULES,
    )
    session = await full(offers, [D, E])
    await service.unrsvp(A, session.id)  # an offer made: its deadline is the next wake-up
    assert replans == [offers.now]
    offers.clock.advance(RULES.claim_window)
    await OfferDuty(service).run_due(offers.now)  # lapsed and offered on inside the wake-up
    assert await offers.status(session, E) is RsvpStatus.OFFERED
    assert len(replans) == 1  # the wake-up plans the next one itself when it is done


async def test_an_offer_open_when_offers_are_switched_off_lapses_into_a_promotion(
    offers: Offers,
) -> None:
    """Offers switched off (a restart with the feature off) while one is open: it can still
    be claimed until its deadline; at the deadline the clock lapses it and the seat goes to
    the next waitlisted member as without offers, never left empty."""
    session = await full(offers, [D, E])
    await offers.service.unrsvp(A, session.id)
    assert await offers.status(session, D) is RsvpStatus.OFFERED
    clock = FakeClock(offers.now)
    service = SessionService(offers.store, InMemoryVideoRooms(), offers.chat, clock)
    duty = OfferDuty(service)
    assert await duty.next_due() == offers.now + RULES.claim_window
    clock.set(offers.now + RULES.claim_window)
    assert await duty.run_due(clock.now()) == 1
    assert await offers.status(session, D) is RsvpStatus.LEFT
    assert await offers.status(session, E) is RsvpStatus.GOING
    assert [s.to for s in offers.dms(NoticeKind.PROMOTED)] == [E.id]
    assert await duty.next_due() is None


class _KeyWidthStore(InMemorySessionStore):
    """The memory store, refusing once-keys wider than the SQL `once_keys.key` column
    (PostgreSQL refuses them: a DM whose key is too long would crash its caller there)."""

    async def claim_once(self, key: str, now: datetime, ttl: timedelta) -> bool:
        from sqlalchemy import String

        from adapters.sql.schema import once_keys

        column = once_keys.c.key.type
        assert isinstance(column, String) and column.length is not None
        assert len(key) <= column.length, f"a once-key of {len(key)} characters: {key}"
        return await super().claim_once(key, now, ttl)


async def test_offers_lapsing_together_into_the_open_window_keep_their_once_keys_short() -> None:
    clock = FakeClock()
    store = _KeyWidthStore()
    chat = RecordingChatDelivery()
    service = SessionService(store, InMemoryVideoRooms(), chat, clock, offer_rules=RULES)
    offers = Offers(clock, store, chat, service, OfferDuty(service))
    waiters = [
        Member(id=f"discord:12345678901234567{i}", display_name=f"w{i}", role=Role.MEMBER)
        for i in range(5)
    ]
    session = await full(offers, waiters)
    offers.clock.set(session.start_time - RULES.open_from - timedelta(minutes=10))
    await offers.service.update(SENSEI, UpdateSession(session_id=session.id, capacity=4))
    assert [await offers.status(session, w) for w in waiters[:3]] == [RsvpStatus.OFFERED] * 3
    offers.clock.advance(timedelta(minutes=10))  # all three lapse into the open window
    assert await offers.duty.run_due(offers.now) == 3
    told = Counter(s.to for s in offers.dms(NoticeKind.SEAT_OPEN))
    assert told == Counter({w.id: 1 for w in waiters[3:]})
    await offers.duty.run_due(offers.now)  # nothing twice
    assert len(offers.dms(NoticeKind.SEAT_OPEN)) == 2


async def test_raising_a_weekly_class_capacity_offers_the_new_seats_at_once(
    offers: Offers,
) -> None:
    weekly = ScheduleSeries.model_validate(
        {"title": "Kids karate", "weekdays": [0, 2], "local_time": "17:30", "capacity": 1}
    )
    plan = await offers.service.schedule_series(SENSEI, weekly, ORIGIN)
    listed = await offers.store.list_sessions(SessionFilter(limit=100))
    session = min((s for s in listed if s.series_id == plan.series.id), key=lambda s: s.start_time)
    await offers.service.rsvp(A, session.id)
    await offers.service.rsvp(D, session.id)
    assert await offers.status(session, D) is RsvpStatus.WAITLISTED
    await offers.service.update_series(SENSEI, UpdateSeries(series_id=plan.series.id, capacity=2))
    assert await offers.status(session, D) is RsvpStatus.OFFERED
    assert len(offers.dms(NoticeKind.SEAT_OFFERED, D)) == 1


async def test_a_seat_freed_before_a_crash_is_offered_by_the_restarted_clock(
    offers: Offers,
) -> None:
    """A crash between the store's change and the offer that follows (a leave without its
    offer, a lapse without the next offer): the restarted clock's first check offers the
    seat left free, once, and a later check finds nothing to do."""
    left = await full(offers, [D])
    await offers.store.rsvp_leave(left.id, A.id, offers.now, promote=False)  # then a crash
    lapsed = await full(offers, [E, C])
    await offers.service.unrsvp(A, lapsed.id)  # E offered
    offers.clock.advance(RULES.claim_window)
    assert [r.member_id for r in await offers.store.lapse_offers(offers.now, 10)] == [E.id]
    fresh = offers.restart()  # ... and a crash before C was offered
    await fresh.duty.run_due(fresh.now)
    assert await fresh.status(left, D) is RsvpStatus.OFFERED
    assert await fresh.status(lapsed, C) is RsvpStatus.OFFERED
    fresh.clock.advance(timedelta(minutes=11))
    await fresh.duty.run_due(fresh.now)
    assert len(offers.dms(NoticeKind.SEAT_OFFERED, D)) == 1
    assert len(offers.dms(NoticeKind.SEAT_OFFERED, C)) == 1


async def test_the_first_check_reaches_offers_in_every_upcoming_session(offers: Offers) -> None:
    """Unsent offers are found page by page, not only in the first page of sessions."""
    waiting = [member(f"p{i}") for i in range(5)]
    sessions = []
    for i, who in enumerate(waiting):
        session = await offers.schedule(in_=timedelta(days=2, hours=i), title=f"K{i}")
        await offers.service.rsvp(A, session.id)
        await offers.service.rsvp(who, session.id)
        await offers.store.rsvp_leave(session.id, A.id, offers.now, promote=False)
        deadline = offers.now + RULES.claim_window
        await offers.store.offer_seats(session.id, offers.now, deadline, frozenset())
        sessions.append(session)
    assert await offers.service.resend_offers(limit=2) == 5
    assert {s.to for s in offers.dms(NoticeKind.SEAT_OFFERED)} == {w.id for w in waiting}


async def test_a_running_clock_offers_a_seat_left_free_elsewhere_within_the_hour(
    offers: Offers,
) -> None:
    """A seat left free by another process's crash while this clock runs: the frequent
    checks (every ten minutes) read only open offers; the hourly sweep offers the seat."""
    await offers.duty.run_due(offers.now)  # the first wake-up (a sweep of nothing)
    session = await full(offers, [D])
    await offers.store.rsvp_leave(session.id, A.id, offers.now, promote=False)  # then a crash
    offers.clock.advance(timedelta(minutes=11))
    await offers.duty.run_due(offers.now)
    assert await offers.status(session, D) is RsvpStatus.WAITLISTED
    offers.clock.advance(timedelta(minutes=50))
    await offers.duty.run_due(offers.now)
    assert await offers.status(session, D) is RsvpStatus.OFFERED
    assert len(offers.dms(NoticeKind.SEAT_OFFERED, D)) == 1
