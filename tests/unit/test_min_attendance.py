"""Minimum attendance with the in-memory store and a FakeClock: the decision at its exact
time, enough going (nothing asked), Keep, the Cancel button, no answer (default keep or
cancel), a moved session, a restarted clock and two clocks at once (asked once)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import pytest

from core.commands import ScheduleSession, UpdateSession
from core.duties import Duties
from core.errors import InvalidInput, InvalidState, PermissionDenied
from core.executor import CommandExecutor
from core.grammar import parse_command
from core.min_attendance import MinAttendanceRules, MinDefault, MinState
from core.min_attendance_duty import MinAttendanceDuty
from core.model import Member, SessionStatus, TrainingSession
from core.notices import ButtonStyle, Notice, NoticeKind
from core.reminder_dispatch import ReminderDispatcher
from core.reply_outcome import ReplyOutcome
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.unit.conftest import ADMIN, ANA, BEN, CAL, ORIGIN, SENSEI

START_IN = timedelta(days=2)
MIN_KINDS = (NoticeKind.MIN_ATTENDANCE_ASK, NoticeKind.MIN_ATTENDANCE_OUTCOME)


@dataclass
class MinWorld:
    clock: FakeClock
    store: InMemorySessionStore
    chat: RecordingChatDelivery
    service: SessionService
    duties: Duties

    async def schedule(self, **fields: object) -> TrainingSession:
        command = ScheduleSession.model_validate(
            {"title": "Kata", "start_time": self.clock.now() + START_IN, "capacity": 10} | fields
        )
        return await self.service.schedule(SENSEI, command, ORIGIN)

    async def going(self, session: TrainingSession, *members: Member) -> None:
        for one in members:
            await self.service.rsvp(one, session.id)

    async def tick(self) -> None:
        await self.duties.run_due()

    async def run(self, actor: Member, line: str) -> object:
        command = parse_command(line, self.clock.now(), "UTC")
        return await CommandExecutor(self.service).execute(actor, command, ORIGIN)

    def told(self, one: Member, *kinds: NoticeKind) -> list[Notice]:
        """The notices of these kinds DMed to `one` (reminders aside)."""
        found = [s.notice for s in self.chat.dms_to(one.id) if s.notice is not None]
        return [n for n in found if n.kind in kinds]

    def asks(self) -> list[Notice]:
        return self.told(SENSEI, NoticeKind.MIN_ATTENDANCE_ASK)


def build(
    store: InMemorySessionStore | None = None,
    clock: FakeClock | None = None,
    default: MinDefault = MinDefault.KEEP,
    chat: RecordingChatDelivery | None = None,
) -> MinWorld:
    clock = clock or FakeClock()
    store = store or InMemorySessionStore()
    chat = chat or RecordingChatDelivery()
    rules = MinAttendanceRules(default=default)
    service = SessionService(store, InMemoryVideoRooms(), chat, clock, min_attendance=rules)
    duties = Duties(service, ReminderDispatcher(store, chat), [MinAttendanceDuty(service)])
    return MinWorld(clock, store, chat, service, duties)


@pytest.fixture
def w() -> MinWorld:
    return build()


async def test_the_instructor_is_asked_at_the_exact_decision_time(w: MinWorld) -> None:
    session = await w.schedule(min_going=5)
    await w.going(session, ANA, BEN, CAL)
    decide_at = session.start_time - timedelta(hours=3)
    assert await w.duties.next_wakeup() is not None
    assert await w.service.next_min_attendance_due() == decide_at
    w.clock.set(decide_at - timedelta(seconds=1))
    await w.tick()
    assert w.asks() == []
    w.clock.set(decide_at)
    report = await w.duties.run_due()
    assert report.timed["min_attendance"] == 1
    (ask,) = w.asks()
    assert ask.text.startswith("Only 3 of the minimum 5 are going to “Kata” (Thu 3 Dec 2026 09:00")
    assert "Keep it or cancel?" in ask.text and "it goes ahead" in ask.text
    keep, cancel = ask.buttons
    assert (keep.label, keep.command) == ("Keep", f"/keep-session {session.id}")
    assert cancel.command == f"/cancel-session {session.id} Fewer than 5 going"
    assert cancel.style is ButtonStyle.DANGER
    decision = await w.store.get_min_decision(session.id)
    assert decision is not None and decision.state is MinState.ASKED and decision.going == 3
    assert decision.answer_by == decide_at + timedelta(hours=1)
    assert await w.service.next_min_attendance_due() == decision.answer_by
    # nothing to members
    for one in (ANA, BEN, CAL):
        assert w.told(one, *MIN_KINDS, NoticeKind.CANCELED) == []


async def test_enough_going_asks_nothing(w: MinWorld) -> None:
    session = await w.schedule(min_going=2)
    await w.going(session, ANA, BEN)
    w.clock.set(session.start_time - timedelta(hours=3))
    await w.tick()
    assert w.asks() == []
    decision = await w.store.get_min_decision(session.id)
    assert decision is not None and decision.state is MinState.ENOUGH
    assert await w.service.next_min_attendance_due() is None


async def test_keep_holds_the_session_and_the_deadline_does_nothing(w: MinWorld) -> None:
    session = await w.schedule(min_going=5)
    await w.going(session, ANA)
    w.clock.set(session.start_time - timedelta(hours=3))
    await w.tick()
    (ask,) = w.asks()
    w.clock.advance(timedelta(minutes=20))
    outcome = await w.run(SENSEI, ask.buttons[0].command)  # the Keep button
    assert isinstance(outcome, ReplyOutcome) and outcome.action == "kept"
    assert outcome.lines[0].startswith("Kept: “Kata”")
    (ahead,) = w.told(ANA, NoticeKind.MIN_ATTENDANCE_OUTCOME)  # the outcome, once
    assert ahead.text == "“Kata” goes ahead as planned. See you there!"
    assert await w.service.next_min_attendance_due() is None
    w.clock.set(session.start_time - timedelta(hours=1))
    await w.tick()
    assert (await w.service.get(session.id)).status is SessionStatus.SCHEDULED
    again = await w.run(SENSEI, f"/keep-session {session.id}")
    assert isinstance(again, ReplyOutcome) and again.action == "unchanged"
    assert again.lines[0].startswith("“Kata” was already kept at")


async def test_the_cancel_button_cancels_and_tells_members_with_the_reason(w: MinWorld) -> None:
    session = await w.schedule(min_going=5)
    await w.going(session, ANA, BEN, CAL)
    w.clock.set(session.start_time - timedelta(hours=3))
    await w.tick()
    (ask,) = w.asks()
    await w.run(SENSEI, ask.buttons[1].command)  # the Cancel button
    canceled = await w.service.get(session.id)
    assert canceled.status is SessionStatus.CANCELED
    assert canceled.cancel_reason == "Fewer than 5 going"
    for one in (ANA, BEN, CAL):
        (told,) = w.told(one, NoticeKind.CANCELED)
        assert told.text.endswith("Reason: Fewer than 5 going")
    w.clock.set(session.start_time - timedelta(hours=2))  # the deadline: the answer stands
    await w.tick()
    decision = await w.store.get_min_decision(session.id)
    assert decision is not None and decision.state is MinState.CANCELED
    assert decision.decided_by == SENSEI.id
    assert await w.service.next_min_attendance_due() is None
    late = await w.run(SENSEI, f"/keep-session {session.id}")
    assert isinstance(late, ReplyOutcome)
    assert late.lines[0].startswith("“Kata” was already canceled at")


async def test_no_answer_keeps_by_default_and_members_hear_it_goes_ahead(w: MinWorld) -> None:
    session = await w.schedule(min_going=5)
    await w.going(session, ANA)
    w.clock.set(session.start_time - timedelta(hours=3))
    await w.tick()
    w.clock.set(session.start_time - timedelta(hours=2))
    await w.tick()
    decision = await w.store.get_min_decision(session.id)
    assert decision is not None and decision.state is MinState.KEPT and decision.by_default
    assert (await w.service.get(session.id)).status is SessionStatus.SCHEDULED
    outcome = w.told(SENSEI, NoticeKind.MIN_ATTENDANCE_OUTCOME)
    assert [s.text for s in outcome] == [
        "Nobody answered by Thu 3 Dec 2026 07:00 UTC: “Kata” goes ahead as planned."
    ]
    assert [s.text for s in w.told(ANA, *MIN_KINDS, NoticeKind.CANCELED)] == [
        "“Kata” goes ahead as planned. See you there!"
    ]
    late = await w.run(SENSEI, f"/keep-session {session.id}")
    assert isinstance(late, ReplyOutcome)
    assert late.lines == [
        "Already kept at Thu 3 Dec 2026 07:00 UTC because nobody answered: “Kata” goes ahead."
    ]


async def test_no_answer_cancels_by_default_like_a_typed_cancel() -> None:
    w = build(default=MinDefault.CANCEL)
    session = await w.schedule(min_going=5)
    await w.going(session, ANA)
    w.clock.set(session.start_time - timedelta(hours=3))
    await w.tick()
    (ask,) = w.asks()
    assert "if you don't, it is canceled" in ask.text
    w.clock.set(session.start_time - timedelta(hours=2))
    await w.tick()
    canceled = await w.service.get(session.id)
    assert canceled.status is SessionStatus.CANCELED
    assert canceled.cancel_reason == "Fewer than 5 going"
    (told,) = w.told(ANA, NoticeKind.CANCELED)
    assert told.text == "“Kata” was canceled by dojobot. Reason: Fewer than 5 going"
    assert [s.notice.kind for s in w.chat.of_kind("channel") if s.notice] == [NoticeKind.CANCELED]
    assert await w.store.due_reminders(canceled.start_time, 10) == []
    decision = await w.store.get_min_decision(session.id)
    assert decision is not None and decision.state is MinState.CANCELED and decision.by_default
    assert await w.service.next_min_attendance_due() is None
    late = await w.run(SENSEI, ask.buttons[0].command)  # Keep, too late
    assert isinstance(late, ReplyOutcome)
    assert late.lines == ["Already canceled at Thu 3 Dec 2026 07:00 UTC because nobody answered."]
    with pytest.raises(InvalidState):
        await w.run(SENSEI, ask.buttons[1].command)  # Cancel, too late: it is canceled


async def test_a_keep_after_the_deadline_before_the_clock_gets_the_default() -> None:
    w = build(default=MinDefault.CANCEL)
    session = await w.schedule(min_going=5)
    w.clock.set(session.start_time - timedelta(hours=3))
    await w.tick()
    w.clock.set(session.start_time - timedelta(hours=2, seconds=-1))  # a second late
    late = await w.run(SENSEI, f"/keep-session {session.id}")
    assert isinstance(late, ReplyOutcome) and late.action == "unchanged"
    assert late.lines[0].startswith("Already canceled at")
    assert (await w.service.get(session.id)).status is SessionStatus.CANCELED


async def test_a_keep_one_second_before_the_deadline_wins() -> None:
    w = build(default=MinDefault.CANCEL)
    session = await w.schedule(min_going=5)
    w.clock.set(session.start_time - timedelta(hours=3))
    await w.tick()
    w.clock.set(session.start_time - timedelta(hours=2, seconds=1))
    kept = await w.run(SENSEI, f"/keep-session {session.id}")
    assert isinstance(kept, ReplyOutcome) and kept.action == "kept"
    w.clock.set(session.start_time - timedelta(hours=2))
    await w.tick()
    assert (await w.service.get(session.id)).status is SessionStatus.SCHEDULED


async def test_a_moved_session_is_decided_for_its_new_start(w: MinWorld) -> None:
    session = await w.schedule(min_going=5)
    w.clock.set(session.start_time - timedelta(hours=3))
    await w.tick()
    assert len(w.asks()) == 1
    later = session.start_time + timedelta(days=1)
    await w.service.update(SENSEI, UpdateSession(session_id=session.id, start_time=later))
    decision = await w.store.get_min_decision(session.id)
    assert decision is not None and decision.state is MinState.PLANNED
    assert decision.due_at == later - timedelta(hours=3)
    w.clock.set(session.start_time - timedelta(hours=2))  # the old deadline: nothing
    await w.tick()
    assert (await w.service.get(session.id)).status is SessionStatus.SCHEDULED
    assert len(w.asks()) == 1
    w.clock.set(later - timedelta(hours=3))
    await w.tick()
    assert len(w.asks()) == 2  # asked again, about the new start


async def test_a_restarted_clock_applies_the_default_once() -> None:
    first = build(default=MinDefault.CANCEL)
    session = await first.schedule(min_going=5)
    await first.going(session, ANA)
    first.clock.set(session.start_time - timedelta(hours=3))
    await first.tick()
    # the process stops while waiting for the answer; another starts after the deadline
    clock = FakeClock(session.start_time - timedelta(hours=1))
    second = build(store=first.store, clock=clock, default=MinDefault.CANCEL)
    assert await second.duties.next_wakeup() is not None
    assert await second.service.next_min_attendance_due() == session.start_time - timedelta(hours=2)
    await second.tick()
    await second.tick()
    assert (await second.service.get(session.id)).status is SessionStatus.CANCELED
    assert len(second.told(ANA, NoticeKind.CANCELED)) == 1
    assert second.asks() == []


async def test_two_clocks_at_once_ask_once() -> None:
    one = build()
    session = await one.schedule(min_going=5)
    other = build(store=one.store, clock=one.clock, chat=one.chat)  # one chat records both
    one.clock.set(session.start_time - timedelta(hours=3))
    await asyncio.gather(one.tick(), other.tick(), one.tick())
    assert len(one.asks()) == 1
    one.clock.set(session.start_time - timedelta(hours=2))
    await asyncio.gather(one.tick(), other.tick())
    assert len(one.told(SENSEI, NoticeKind.MIN_ATTENDANCE_OUTCOME)) == 1


async def test_sessions_without_a_minimum_behave_as_before(w: MinWorld) -> None:
    session = await w.schedule()
    assert await w.store.get_min_decision(session.id) is None
    assert await w.service.next_min_attendance_due() is None
    w.clock.set(session.start_time - timedelta(hours=3))
    await w.tick()
    assert w.asks() == []
    reply = await w.run(SENSEI, f"/keep-session {session.id}")
    assert isinstance(reply, ReplyOutcome)
    assert reply.lines == ["“Kata” has no minimum: nothing to keep."]


async def test_nomin_drops_the_decision(w: MinWorld) -> None:
    session = await w.schedule(min_going=5)
    await w.run(SENSEI, f"/update-session {session.id} nomin")
    assert (await w.service.get(session.id)).min_going is None
    assert await w.service.next_min_attendance_due() is None
    w.clock.set(session.start_time - timedelta(hours=3))
    await w.tick()
    assert w.asks() == []


async def test_a_decision_lead_of_the_session_and_the_answer_limit(w: MinWorld) -> None:
    session = await w.schedule(min_going=5, min_decide_minutes=30)
    w.clock.set(session.start_time - timedelta(minutes=30))
    await w.tick()
    decision = await w.store.get_min_decision(session.id)
    assert decision is not None
    assert decision.answer_by == session.start_time - timedelta(minutes=15)  # not 1 h


async def test_the_minimum_is_checked_with_the_capacity(w: MinWorld) -> None:
    with pytest.raises(InvalidInput) as too_many:
        await w.schedule(min_going=12, capacity=10)
    assert too_many.value.message == "The minimum (12) can't be above the capacity (10)."
    with pytest.raises(InvalidInput):
        await w.schedule(min_going=0)
    with pytest.raises(InvalidInput):
        await w.schedule(min_going=2, min_decide_minutes=10)
    session = await w.schedule(min_going=5)
    with pytest.raises(InvalidInput) as lowered:
        await w.run(SENSEI, f"/update-session {session.id} cap 3")
    assert "min 3 or less" in str(lowered.value.hint)
    assert (await w.service.get(session.id)).capacity == 10


async def test_only_the_instructor_or_an_admin_keeps(w: MinWorld) -> None:
    session = await w.schedule(min_going=5)
    w.clock.set(session.start_time - timedelta(hours=3))
    await w.tick()
    with pytest.raises(PermissionDenied):
        await w.run(ANA, f"/keep-session {session.id}")
    kept = await w.run(ADMIN, f"/keep-session {session.id}")
    assert isinstance(kept, ReplyOutcome) and kept.action == "kept"
    decision = await w.store.get_min_decision(session.id)
    assert decision is not None and decision.decided_by == ADMIN.id
