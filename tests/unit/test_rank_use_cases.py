"""Rank progress through the service (in-memory store, FakeClock): `/promote` (RBAC, the
ladder, the date, the audit, one congratulation), admins' corrections, `/progress` from the
ledger since the current promotion, and the weekly digest to instructors (each member ×
rank once, also after a restart)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest

from core.audit import AuditAction, AuditQuery
from core.duties import Duties
from core.errors import InvalidInput, InvalidState, NotFound, PermissionDenied
from core.executor import CommandExecutor
from core.grammar import parse_command
from core.i18n import ENGLISH, localize
from core.members import MemberProfile
from core.model import Member, TrainingSession
from core.notices import NoticeKind
from core.rank_digest_duty import DigestSchedule, RankDigestDuty
from core.ranks import Promotion, RankLadder, RankStep
from core.reminder_dispatch import ReminderDispatcher
from core.reply_outcome import ReplyOutcome
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from core.training_ledger import LedgerEntry, LedgerQuery
from tests.unit.conftest import ADMIN, ANA, BEN, ORIGIN, SENSEI, World, member

LADDER = RankLadder(
    steps=(
        RankStep("White", min_classes=2),
        RankStep("Orange", min_classes=3, min_months=1),
        RankStep("Yellow", min_classes=24, min_months=3, class_types=("kihon",)),
    )
)
MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def world_with(ladder: RankLadder = LADDER, store: InMemorySessionStore | None = None) -> World:
    clock = FakeClock()
    store = store or InMemorySessionStore()
    chat = RecordingChatDelivery()
    service = SessionService(store, InMemoryVideoRooms(), chat, clock, rank_ladder=ladder)
    duties = Duties(service, ReminderDispatcher(store, chat))
    return World(clock, store, InMemoryVideoRooms(), chat, service, duties)


@pytest.fixture
def world() -> World:
    return world_with()


def entry(who: Member, at: datetime, session_id: str | None = None, **more: object) -> LedgerEntry:
    values: dict[str, object] = {
        "session_id": session_id or f"s-{at:%Y%m%d%H}",
        "member_id": who.id,
        "member_name": who.display_name,
        "title": "Kata",
        "instructor_id": SENSEI.id,
        "starts_at": at,
        "session_seconds": 3600,
        "seconds_present": 3600,
        "attended": True,
        "recorded_at": at,
    }
    return LedgerEntry.model_validate(values | more)


async def trained(world: World, who: Member, *days_ago: int) -> TrainingSession:
    """A real session taught by SENSEI yesterday (in the ledger too) and one entry per
    `days_ago`."""
    session = await world.schedule(in_=timedelta(hours=1))
    entries = [entry(who, world.now - timedelta(days=d)) for d in days_ago]
    entries.append(entry(who, world.now - timedelta(days=1), session_id=session.id))
    await world.store.save_ledger(entries)
    return session


async def run(world: World, actor: Member, line: str) -> ReplyOutcome:
    command = parse_command(line, world.now, actor.timezone)
    outcome = await CommandExecutor(world.service).execute(actor, command, ORIGIN)
    assert isinstance(outcome, ReplyOutcome)
    return outcome


def said(outcome: ReplyOutcome) -> list[str]:
    return [localize(line, ENGLISH) for line in outcome.lines]


async def test_progress_counts_the_ledger_since_the_current_promotion(world: World) -> None:
    await trained(world, ANA, 60, 40, 20, 10)  # and yesterday's
    assert said(await run(world, ANA, "/progress")) == [
        "5/2 classes toward White · 1 of 0 months since the first class",
        "Ready for White: every requirement is met.",
    ]
    on = (world.now - timedelta(days=30)).date()
    await run(world, SENSEI, f"/promote t:ana white {on.isoformat()}")
    progress = await world.service.rank_progress(ANA, None)
    assert (progress.current_rank, progress.next_rank) == ("White", "Orange")
    assert (progress.classes_done, progress.months_done) == (3, 1)  # 20, 10 days ago, yesterday
    assert said(await run(world, SENSEI, "/progress t:ana")) == [
        "Progress of t:ana:",
        "3/3 classes toward Orange · 1 of 1 months at White",
        "Ready for Orange: every requirement is met.",
    ]


async def test_members_see_only_their_own_progress(world: World) -> None:
    with pytest.raises(PermissionDenied):
        await world.service.rank_progress(BEN, ANA.id)
    with pytest.raises(PermissionDenied):
        await run(world, BEN, "/progress t:ana")
    assert (await world.service.rank_progress(ADMIN, ANA.id)).member_id == ANA.id


async def test_promote_records_audits_and_congratulates_once(world: World) -> None:
    await trained(world, ANA)
    with pytest.raises(PermissionDenied):
        await run(world, BEN, "/promote t:ana White")
    reply = await run(world, SENSEI, "/promote t:ana white")
    assert said(reply) == ["Recorded: t:ana promoted to White on 2026-12-01."]
    (promotion,) = await world.store.list_promotions([ANA.id])
    assert (promotion.rank, promotion.promoted_on, promotion.recorded_by) == (
        "White",
        date(2026, 12, 1),
        SENSEI.id,
    )
    (audited,) = await world.store.list_audit(AuditQuery(action=AuditAction.PROMOTION))
    assert (audited.actor_id, audited.target) == (SENSEI.id, ANA.id)
    assert audited.after == {
        "promotion_id": promotion.id,
        "rank": "White",
        "promoted_on": "2026-12-01",
    }
    (dm,) = world.chat.dms_to(ANA.id)
    assert dm.notice is not None and dm.notice.kind is NoticeKind.RANK_PROMOTED
    assert "promoted to White" in dm.text


async def test_a_rank_off_the_ladder_or_a_future_date_is_refused(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        await run(world, SENSEI, "/promote t:ana Purple")
    assert refused.value.hint is not None
    assert "White · Orange · Yellow" in localize(refused.value.hint, ENGLISH)
    with pytest.raises(InvalidInput, match="future"):
        await run(world, SENSEI, "/promote t:ana White 2026-12-02")
    world.clock.set(datetime(2026, 12, 1, 12, tzinfo=UTC))
    kiribati = member("kai", SENSEI.role, tz="Pacific/Kiritimati")  # already 2 December
    await run(world, kiribati, "/promote t:ana White 2026-12-02")
    await run(world, kiribati, "/promote t:ben White")
    days = [p.promoted_on for p in await world.store.list_promotions([ANA.id, BEN.id])]
    assert days == [date(2026, 12, 2), date(2026, 12, 2)]
    with pytest.raises(InvalidInput, match="not a date"):
        parse_command("/promote t:ana White 2026-02-30", world.now, "UTC")
    for other_spelling in ("31.03.2026", "03/31/2026"):  # not read as part of the rank
        with pytest.raises(InvalidInput, match="not a date") as refused:
            parse_command(f"/promote t:ana White {other_spelling}", world.now, "UTC")
        assert "YYYY-MM-DD" in str(refused.value.hint)


async def test_without_a_ladder_ranks_are_off() -> None:
    world = world_with(RankLadder())
    with pytest.raises(InvalidState, match="not set up"):
        await run(world, SENSEI, "/promote t:ana White")
    with pytest.raises(InvalidState, match="not set up"):
        await run(world, ANA, "/progress")


async def test_admins_correct_or_remove_the_latest_promotion(world: World) -> None:
    await run(world, SENSEI, "/promote t:ana White 2026-01-10")
    await run(world, SENSEI, "/promote t:ana Orange 2026-06-10")
    with pytest.raises(PermissionDenied):
        await run(world, SENSEI, "/promotion-fix t:ana Yellow")
    reply = await run(world, ADMIN, "/promotion-fix t:ana Yellow 2026-06-11")
    assert said(reply) == ["Corrected: t:ana's latest promotion is now Yellow on 2026-06-11."]
    first, fixed = await world.store.list_promotions([ANA.id])
    assert (first.rank, fixed.rank, fixed.promoted_on) == ("White", "Yellow", date(2026, 6, 11))
    assert (fixed.corrected_by, fixed.corrected_at) == (ADMIN.id, world.now)
    (corrected,) = await world.store.list_audit(AuditQuery(action=AuditAction.PROMOTION_CORRECTED))
    assert corrected.before["rank"] == "Orange" and corrected.after["rank"] == "Yellow"
    assert said(await run(world, ADMIN, "/promotion-remove t:ana")) == [
        "Removed t:ana's promotion to Yellow of 2026-06-11."
    ]
    assert [p.rank for p in await world.store.list_promotions([ANA.id])] == ["White"]
    await run(world, ADMIN, "/promotion-remove t:ana")
    with pytest.raises(NotFound):
        await run(world, ADMIN, "/promotion-remove t:ana")
    assert len(await world.store.list_audit(AuditQuery())) == 5


async def test_the_weekly_digest_tells_instructors_each_member_and_rank_once() -> None:
    world = world_with()
    world.clock.set(MONDAY - timedelta(days=3))
    await trained(world, ANA, 10)  # two classes: eligible for White
    await trained(world, BEN)  # one class: not yet
    duty = RankDigestDuty(world.service, DigestSchedule(weekday=0, hour=8))
    assert await duty.next_due() == MONDAY
    assert await duty.run_due(world.now) == 0  # before Monday 08:00: last week's slot is old
    world.clock.set(MONDAY)
    assert await duty.run_due(MONDAY) == 1
    (digest,) = world.chat.dms_to(SENSEI.id)
    assert digest.notice is not None and digest.notice.kind is NoticeKind.RANK_ELIGIBLE
    assert "ana → White" in digest.text and "ben" not in digest.text
    assert await duty.next_due() == MONDAY + timedelta(days=7)
    restarted = world_with(store=world.store)  # a new process on the same store
    restarted.clock.set(MONDAY + timedelta(minutes=5))
    again = RankDigestDuty(restarted.service, DigestSchedule(weekday=0, hour=8))
    assert await again.run_due(restarted.now) == 0
    next_week = MONDAY + timedelta(days=7)
    restarted.clock.set(next_week)
    assert await again.run_due(next_week) == 0  # ana → White was told already
    assert restarted.chat.dms_to(SENSEI.id) == []


async def test_a_digest_without_instructors_keeps_the_members_for_a_later_one() -> None:
    world = world_with()
    world.clock.set(MONDAY - timedelta(days=3))
    await world.store.save_ledger(  # eligible for White, but nobody taught recently
        [entry(ANA, world.now - timedelta(days=d)) for d in (10, 5)]
    )
    duty = RankDigestDuty(world.service, DigestSchedule(weekday=0, hour=8))
    world.clock.set(MONDAY)
    assert await duty.run_due(MONDAY) == 0
    assert world.chat.dms_to(SENSEI.id) == []
    await world.schedule(in_=timedelta(days=2))  # SENSEI teaches again
    next_week = MONDAY + timedelta(days=7)
    world.clock.set(next_week)
    assert await duty.run_due(next_week) == 1  # ana → White was not used up last week
    (digest,) = world.chat.dms_to(SENSEI.id)
    assert "ana → White" in digest.text


async def test_no_digest_without_a_ladder() -> None:
    world = world_with(RankLadder())
    duty = RankDigestDuty(world.service, DigestSchedule())
    assert await duty.next_due() is None
    assert await duty.run_due(MONDAY) == 0


async def test_a_linked_identity_promotes_and_reads_the_profile(world: World) -> None:
    await world.store.save_profile(
        MemberProfile(
            id=ANA.id,
            display_name="Ana",
            identities=[ANA.id, "slack:T1:U7"],
            last_seen_at=world.now,
            created_at=world.now,
            updated_at=world.now,
        )
    )
    await trained(world, ANA)
    reply = await run(world, SENSEI, "/promote slack:T1:U7 White 2026-11-01")
    assert said(reply) == ["Recorded: Ana promoted to White on 2026-11-01."]
    assert [p.member_id for p in await world.store.list_promotions([ANA.id])] == [ANA.id]
    on_slack = ANA.model_copy(update={"platform_id": "slack:T1:U7"})
    progress = await world.service.rank_progress(on_slack, "slack:T1:U7")
    assert (progress.member_id, progress.current_rank, progress.classes_done) == (
        ANA.id,
        "White",
        1,
    )


class CountingStore(InMemorySessionStore):
    """Counts the digest's progress reads (promotions, ledger)."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = {"list_promotions": 0, "read_ledger": 0}

    async def list_promotions(self, member_ids: list[str]) -> list[Promotion]:
        self.reads["list_promotions"] += 1
        return await super().list_promotions(member_ids)

    def read_ledger(self, query: LedgerQuery, batch: int = 1000) -> AsyncIterator[LedgerEntry]:
        self.reads["read_ledger"] += 1
        return super().read_ledger(query, batch)


async def test_the_digest_reads_progress_in_batches_not_per_member() -> None:
    store = CountingStore()
    world = world_with(store=store)
    world.clock.set(MONDAY - timedelta(days=3))
    await trained(world, ANA, 10)  # eligible for White
    await trained(world, BEN, 10, 5)  # promoted to White below
    await world.store.save_ledger([entry(ADMIN, world.now - timedelta(days=2))])  # not yet
    await run(world, SENSEI, "/promote t:ben White 2026-11-20")  # Orange: not a month yet
    store.reads = {"list_promotions": 0, "read_ledger": 0}
    assert await RankDigestDuty(world.service, DigestSchedule()).run_due(MONDAY) == 1
    # three members: one promotions read and one ledger read for all of them (plus the
    # ledger read finding who trained), not two per member
    assert store.reads == {"list_promotions": 1, "read_ledger": 2}
    (digest,) = world.chat.dms_to(SENSEI.id)
    assert "ana → White" in digest.text and "ben" not in digest.text


async def test_a_digest_refused_by_dm_is_never_posted_in_the_class_channel() -> None:
    world = world_with()
    world.clock.set(MONDAY - timedelta(days=3))
    await trained(world, ANA, 10)  # eligible for White
    world.chat.dms_closed.add(SENSEI.id)
    assert await RankDigestDuty(world.service, DigestSchedule()).run_due(MONDAY) == 1
    assert world.chat.dms_to(SENSEI.id) == []
    assert [s for s in world.chat.of_kind("channel") if "ana" in s.text] == []
