"""The training ledger through the service (in-memory store, FakeClock): entries recorded
when a session ends (once, also when it ends twice), the summary's Present / Absent buttons
(the no-show policy off), verdicts with who and when (audited; instructor or admin only),
/mark-present without a no-show, /training-log and `training_entries`' RBAC."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from core.audit import AuditAction, AuditQuery
from core.duties import Duties
from core.errors import InvalidState, NotFound, PermissionDenied
from core.executor import CommandExecutor
from core.grammar import parse_command
from core.members import PlatformFacts
from core.model import Member, SessionStatus, TrainingSession
from core.notices import ButtonStyle, Notice, NoticeKind
from core.reminder_dispatch import ReminderDispatcher
from core.reply_outcome import ReplyOutcome
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from core.training_ledger import LedgerEntry, LedgerQuery, TrainingRules, Verdict
from tests.unit.conftest import ADMIN, ANA, BEN, CAL, ORIGIN, OTHER_TEACHER, SENSEI, World

DEFAULT = TrainingRules()


def world_with(rules: TrainingRules = DEFAULT, store: InMemorySessionStore | None = None) -> World:
    clock = FakeClock()
    store = InMemorySessionStore() if store is None else store
    rooms = InMemoryVideoRooms()
    chat = RecordingChatDelivery()
    service = SessionService(store, rooms, chat, clock, training_rules=rules)
    duties = Duties(service, ReminderDispatcher(store, chat))
    return World(clock, store, rooms, chat, service, duties)


@pytest.fixture
def on() -> World:
    return world_with()


async def class_with(
    world: World, going: tuple[Member, ...], stays: list[tuple[Member, int, int]]
) -> TrainingSession:
    """A 60-minute session: `going` RSVP'd; each of `stays` in the room from minute a to
    b (webhook joins and leaves); ended at minute 60."""
    session = await world.schedule(in_=timedelta(days=2), capacity=20)
    for member in going:
        await world.service.rsvp(member, session.id)
    start = session.start_time
    world.clock.set(start)
    await world.service.start(SENSEI, session.id)
    events = sorted(
        [(a, True, m) for m, a, _ in stays] + [(b, False, m) for m, _, b in stays],
        key=lambda e: (e[0], e[1]),
    )
    for minute, joining, member in events:
        world.clock.set(start + timedelta(minutes=minute))
        if joining:
            await world.service.record_join(member, session.id)
        else:
            await world.service.record_leave(member, session.id)
    world.clock.set(start + timedelta(minutes=60))
    await world.service.end(SENSEI, session.id)
    return await world.service.get(session.id)


async def ledger(world: World, session: TrainingSession) -> dict[str, LedgerEntry]:
    query = LedgerQuery(session_id=session.id)
    return {e.member_id: e async for e in world.store.read_ledger(query)}


async def run(world: World, actor: Member, line: str) -> object:
    command = parse_command(line, world.now, actor.timezone)
    return await CommandExecutor(world.service).execute(actor, command, ORIGIN)


def summary(world: World) -> Notice:
    [ended] = [
        s.notice
        for s in world.chat.of_kind("channel")
        if s.notice and s.notice.kind is NoticeKind.ENDED
    ]
    return ended


async def test_ending_records_one_entry_per_member_present_or_going(on: World) -> None:
    session = await class_with(on, (ANA, BEN), [(ANA, 0, 50), (CAL, 5, 20)])
    entries = await ledger(on, session)
    assert {m: (e.seconds_present, e.attended) for m, e in entries.items()} == {
        ANA.id: (50 * 60, True),
        CAL.id: (15 * 60, False),  # present, not going: recorded too
        BEN.id: (0, False),  # going, never present
    }
    ana = entries[ANA.id]
    assert (ana.session_seconds, ana.title, ana.instructor_id, ana.verdict) == (
        3600,
        session.title,
        SENSEI.id,
        None,
    )


async def test_the_attended_share_comes_from_the_settings() -> None:
    world = world_with(TrainingRules(attended_share=0.25))
    session = await class_with(world, (), [(CAL, 5, 20)])
    assert (await ledger(world, session))[CAL.id].attended  # 15 of 60 minutes ≥ 25 %


async def test_the_summary_offers_present_and_absent_buttons_with_the_policy_off(
    on: World,
) -> None:
    session = await class_with(on, (ANA, BEN, CAL), [(ANA, 0, 60), (CAL, 0, 10)])
    buttons = summary(on).buttons
    assert [(b.command, b.style) for b in buttons] == [
        (f"/mark-present {session.id} {BEN.id}", ButtonStyle.PLAIN),
        (f"/mark-present {session.id} {CAL.id}", ButtonStyle.PLAIN),
        (f"/mark-absent {session.id} {ANA.id}", ButtonStyle.DANGER),
    ]
    assert [str(b.label) for b in buttons][2] == "Absent: ana"


async def test_a_member_briefly_in_the_room_without_going_gets_a_present_button(
    on: World,
) -> None:
    session = await class_with(on, (BEN,), [(CAL, 5, 40), (ANA, 0, 60)])  # cal: 35 of 60
    assert [b.command for b in summary(on).buttons] == [
        f"/mark-present {session.id} {BEN.id}",
        f"/mark-present {session.id} {CAL.id}",
        f"/mark-absent {session.id} {ANA.id}",
    ]


async def test_a_summary_has_at_most_ten_buttons_and_says_what_to_type(on: World) -> None:
    crowd = tuple(Member(id=f"t:m{i}", display_name=f"m{i}") for i in range(12))
    session = await class_with(on, crowd, [])
    ended = summary(on)
    assert len(ended.buttons) == 10
    assert f"/mark-absent {session.id} <member>" in ended.text


async def test_an_absent_verdict_is_kept_with_who_and_when_and_audited(on: World) -> None:
    session = await class_with(on, (ANA,), [(ANA, 0, 60)])
    on.clock.advance(timedelta(minutes=5))
    with pytest.raises(PermissionDenied, match="Only sensei"):
        await run(on, OTHER_TEACHER, f"/mark-absent {session.id} {ANA.id}")
    with pytest.raises(PermissionDenied):
        await run(on, ANA, f"/mark-absent {session.id} {ANA.id}")
    outcome = await run(on, SENSEI, f"/mark-absent {session.id} {ANA.id}")
    assert isinstance(outcome, ReplyOutcome) and outcome.action == "marked_absent"
    assert "ana is marked absent" in str(outcome.lines[0])
    entry = (await ledger(on, session))[ANA.id]
    assert (entry.verdict, entry.verdict_by, entry.verdict_at, entry.attended) == (
        Verdict.ABSENT,
        SENSEI.id,
        on.now,
        False,
    )
    again = await run(on, SENSEI, f"/mark-absent {session.id} {ANA.id}")
    assert isinstance(again, ReplyOutcome) and again.action == "already_absent"
    [audited] = await on.store.list_audit(AuditQuery(action=AuditAction.ATTENDANCE))
    assert (audited.actor_id, audited.target) == (SENSEI.id, f"{session.id}:{ANA.id}")
    assert (audited.before, audited.after) == (
        {"verdict": None, "attended": True},
        {"verdict": "absent", "attended": False},
    )


async def test_an_admin_marks_present_a_member_with_no_no_show_who_was_not_going(
    on: World,
) -> None:
    session = await class_with(on, (), [])
    await on.service.identify(PlatformFacts(member_id=CAL.id, display_name="Cal"), CAL.role)
    outcome = await run(on, ADMIN, f"/mark-present {session.id} {CAL.id}")
    assert isinstance(outcome, ReplyOutcome) and outcome.action == "marked_present"
    entry = (await ledger(on, session))[CAL.id]
    assert (entry.attended, entry.verdict, entry.verdict_by) == (True, Verdict.PRESENT, ADMIN.id)


async def test_the_present_button_sets_the_verdict_once_and_a_redelivered_end_keeps_it(
    on: World,
) -> None:
    session = await class_with(on, (BEN,), [])
    [button] = summary(on).buttons
    outcome = await run(on, SENSEI, button.command)
    assert isinstance(outcome, ReplyOutcome) and outcome.action == "marked_present"
    again = await run(on, SENSEI, button.command)
    assert isinstance(again, ReplyOutcome) and again.action == "already_present"
    await on.service.finish(session, automatically=True)  # another process's end: no-op
    entry = (await ledger(on, session))[BEN.id]
    assert (entry.attended, entry.verdict) == (True, Verdict.PRESENT)


async def test_verdicts_wait_for_the_end(on: World) -> None:
    session = await on.schedule(in_=timedelta(days=2))
    with pytest.raises(InvalidState, match="once the session has ended"):
        await run(on, SENSEI, f"/mark-absent {session.id} {ANA.id}")


async def test_training_log_shows_sessions_totals_streaks_and_who_decided(on: World) -> None:
    first = await class_with(on, (ANA,), [(ANA, 0, 60)])
    on.clock.advance(timedelta(days=6))
    second = await class_with(on, (ANA,), [(ANA, 0, 10)])
    await run(on, SENSEI, f"/mark-present {second.id} {ANA.id}")
    log = await run(on, ANA, "/training-log")
    assert isinstance(log, ReplyOutcome)
    text = "\n".join(str(line) for line in log.lines)
    assert "Training log of ana" in text
    assert "Classes attended: 2 this year, 2 in all" in text
    assert "Weekly streak: 2 weeks · best 2 weeks" in text
    day = first.start_time.date().isoformat()
    assert f"{day} · Kata basics · 1 h 00 min · ✓" in text
    assert "10 min · ✓ (marked present by sensei)" in text
    with pytest.raises(PermissionDenied, match="Only instructors and admins") as refused:
        await run(on, BEN, f"/training-log {ANA.id}")
    assert refused.value.hint is not None and "/training-log" in refused.value.hint
    staff = await run(on, SENSEI, f"/training-log {ANA.id}")
    assert isinstance(staff, ReplyOutcome) and "Training log of ana" in str(staff.lines[0])


async def test_training_entries_lets_a_member_read_only_their_own(on: World) -> None:
    session = await class_with(on, (ANA, BEN), [(ANA, 0, 60)])
    mine = [e async for e in on.service.training_entries(ANA, LedgerQuery(member_ids=[ANA.id]))]
    assert [e.session_id for e in mine] == [session.id]
    for query in (LedgerQuery(), LedgerQuery(member_ids=[BEN.id])):
        with pytest.raises(PermissionDenied, match="only your own"):
            [e async for e in on.service.training_entries(ANA, query)]
    every = [e async for e in on.service.training_entries(ADMIN, LedgerQuery())]
    assert sorted(e.member_id for e in every) == [ANA.id, BEN.id]


async def test_an_empty_log_says_when_it_starts(on: World) -> None:
    log = await run(on, CAL, "/training-log")
    assert isinstance(log, ReplyOutcome) and "No classes recorded yet" in str(log.lines[1])


class BothReadFirst(InMemorySessionStore):
    """Two verdicts at once: every ledger read answers only once the other caller has
    read too (a barrier), so both decide from the entry as it was before either wrote."""

    def __init__(self) -> None:
        super().__init__()
        self.barrier = asyncio.Barrier(2)

    async def get_ledger_entry(self, session_id: str, member_id: str) -> LedgerEntry | None:
        found = await super().get_ledger_entry(session_id, member_id)
        await self.barrier.wait()
        return found


async def test_a_double_click_on_present_is_audited_and_answered_once() -> None:
    world = world_with(store=BothReadFirst())
    session = await class_with(world, (BEN,), [])
    first, second = await asyncio.gather(
        world.service.set_attendance(SENSEI, session.id, BEN.id, Verdict.PRESENT),
        world.service.set_attendance(SENSEI, session.id, BEN.id, Verdict.PRESENT),
    )
    assert sorted([first.action, second.action]) == ["already_present", "marked_present"]
    assert len(await world.store.list_audit(AuditQuery(action=AuditAction.ATTENDANCE))) == 1


async def test_a_session_ended_by_a_process_that_died_before_its_ledger_gets_one_at_cleanup(
    on: World,
) -> None:
    """The end is stored (compare and set) but the process dies before the ledger: the
    daily clean-up records it from the stays, once, and leaves recorded sessions alone."""
    session = await on.schedule(in_=timedelta(days=2), capacity=20)
    await on.service.rsvp(ANA, session.id)
    await on.service.rsvp(BEN, session.id)
    on.clock.set(session.start_time)
    await on.service.start(SENSEI, session.id)
    await on.service.record_join(ANA, session.id)
    on.clock.advance(timedelta(minutes=60))
    crashed = await on.service.get(session.id)
    crashed.status = SessionStatus.ENDED
    crashed.ended_at = on.now
    assert await on.store.transition_session(crashed, SessionStatus.LIVE)  # …then it died
    assert await ledger(on, session) == {}

    on.clock.advance(timedelta(hours=1))
    await on.service.cleanup()
    entries = await ledger(on, session)
    assert set(entries) == {ANA.id, BEN.id}
    assert entries[ANA.id].attended and entries[ANA.id].minutes_present == 60
    assert not entries[BEN.id].attended and entries[BEN.id].seconds_present == 0

    await run(on, SENSEI, f"/mark-absent {session.id} {ANA.id}")
    await on.service.cleanup()  # a second clean-up changes nothing a person decided
    assert (await ledger(on, session))[ANA.id].verdict is Verdict.ABSENT


async def test_a_verdict_for_a_member_id_nobody_has_is_refused_and_writes_nothing(
    on: World,
) -> None:
    session = await class_with(on, going=(ANA,), stays=[(ANA, 0, 60)])
    with pytest.raises(NotFound) as refused:
        await on.service.set_attendance(SENSEI, session.id, "terminal:anna", Verdict.ABSENT)
    assert "terminal:anna" in str(refused.value)
    assert set(await ledger(on, session)) == {ANA.id}
