"""A store filled through the SessionStore port with a row in every table, for the export and
import tests; and target stores of every kind, apart from the contract suite's own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta

from core.announcement_copy import AnnouncementCopy
from core.members import (
    CodePurpose,
    MemberCode,
    MemberProfile,
    QuietHours,
    ReminderPreferences,
    ReminderRoute,
)
from core.model import (
    DeferredDelivery,
    DeliveryKey,
    Event,
    Origin,
    Reminder,
    ReminderKind,
    Room,
    RoomState,
    SessionStatus,
    TrainingSession,
)
from core.ports import SessionStore, StoreRecord
from core.recurrence import WeeklyRule
from core.series import Series, SeriesSkip, StandingRsvp
from tests.contract.conftest import (
    STORE_FACTORIES,
    StoreFactory,
    postgres_in,
    sqlite_at,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
LEASE = timedelta(minutes=5)


def sessions() -> list[TrainingSession]:
    """One session with every optional field set, one plain canceled one."""
    full = TrainingSession(
        id="s1",
        title="Kata — niños & adults",
        description='Bring a "bokken"\nand water',
        event_id="e1",
        instructor_id="slack:T1:U9",
        instructor_name="Sensei Ōta",
        start_time=T0 + timedelta(days=2),
        duration_minutes=90,
        capacity=1,
        recording_enabled=True,
        chat_enabled=False,
        tags=["kata", "kids"],
        room=Room(
            provider="jitsi",
            room_id="dojo-room-1",
            state=RoomState.READY,
            last_error="timeout once",
            attempts=2,
            last_attempt_at=T0 + MIN,
        ),
        origin=Origin(platform="slack", workspace_id="T1", channel_id="C1", message_ref="17.5"),
        recording_url="https://recordings.example/r1.mp4",
        sequence=3,
        series_id="w1",
        min_going=1,
        min_decide_minutes=180,
        created_at=T0,
        updated_at=T0 + 2 * MIN,
    )
    canceled = TrainingSession(
        id="s2",
        title="Randori",
        instructor_id="terminal:sensei",
        instructor_name="Sensei",
        start_time=T0 + timedelta(days=1, microseconds=250),
        duration_minutes=60,
        status=SessionStatus.CANCELED,
        canceled_at=T0 + 3 * MIN,
        canceled_by="terminal:sensei",
        cancel_reason="snow",
        created_at=T0,
        updated_at=T0 + 3 * MIN,
    )
    return [full, canceled]


def weekly() -> Series:
    """A weekly class with every optional field set."""
    return Series(
        id="w1",
        root_id="w1",
        title="Tuesday kata",
        instructor_id="slack:T1:U9",
        instructor_name="Sensei Ōta",
        rule=WeeklyRule(
            weekdays=frozenset({1, 3}),
            local_time=time(18, 30),
            timezone="Europe/Berlin",
            first_day=date(2026, 12, 1),
            until=date(2027, 3, 30),
            interval_weeks=2,
        ),
        duration_minutes=75,
        capacity=12,
        tags=["kata"],
        origin=Origin(platform="discord", workspace_id="G1", channel_id="K1"),
        sequence=2,
        materialised_until=T0 + timedelta(days=14),
        created_at=T0,
        updated_at=T0 + MIN,
    )


async def populate(store: SessionStore) -> None:
    """Fill every table through the port (a reclaimed, a sent and a never-claimed delivery;
    standing RSVPs made in non-alphabetical order)."""
    await store.add_event(Event(id="e1", title="Winter camp", description="cold", created_at=T0))
    await store.add_series(weekly())
    for member in ("discord:zed", "discord:amy"):
        standing = StandingRsvp(
            series_id="w1", member_id=member, member_name=member[8:], created_at=T0
        )
        assert await store.add_standing_rsvp(standing)
    skip = SeriesSkip(series_id="w1", day=date(2026, 12, 22), reason="holidays", created_at=T0)
    assert await store.add_series_skip(skip)
    full, canceled = sessions()
    await store.add_session(full)
    await store.add_session(canceled)
    await store.rsvp_going("s1", "slack:T1:U1", "Ann", T0 + MIN)
    await store.rsvp_going("s1", "slack:T1:U2", "Bob", T0 + 2 * MIN)  # waitlisted
    await store.rsvp_going("s2", "terminal:cy", "Cy", T0 + MIN)
    await store.rsvp_leave("s2", "terminal:cy", T0 + 4 * MIN)
    await store.record_join("s1", "slack:T1:U1", "Ann", T0 + timedelta(days=2))
    await store.record_leave("s1", "slack:T1:U1", T0 + timedelta(days=2, minutes=30))
    await store.record_join("s1", "slack:T1:U2", "Bob", T0 + timedelta(days=2, minutes=5))
    start = full.start_time
    await store.replace_reminders(
        "s1",
        [
            Reminder(
                session_id="s1",
                kind=kind,
                start_time=start,
                due_at=start - before,
                useful_until=start,
            )
            for kind, before in (
                (ReminderKind.BEFORE_24H, timedelta(hours=24)),
                (ReminderKind.BEFORE_1H, timedelta(hours=1)),
            )
        ],
    )
    day_before = start - timedelta(hours=24)
    first = (await store.due_reminders(day_before, 10))[0]
    await store.finish_reminders([first], day_before + MIN)
    sent, reclaimed, told = (
        DeliveryKey(session_id="s1", recipient_id=r, kind=ReminderKind.BEFORE_24H, start_time=start)
        for r in ("slack:T1:U1", "channel", "slack:T1:U2")
    )
    await store.claim_deliveries([sent, reclaimed], day_before, LEASE)
    await store.mark_deliveries_sent([sent], day_before + MIN)
    await store.claim_deliveries([reclaimed], day_before + LEASE, LEASE)
    await store.mark_deliveries_sent([told], day_before + 2 * MIN)
    await store.remember_webhook("rtk-delivery-1", T0 + MIN)
    await store.claim_once("slack:retry:Ev1", T0, timedelta(hours=1))
    copy = AnnouncementCopy(
        session_id="s1",
        platform="discord",
        channel_id="222",
        workspace_id="111",
        message_ref="m333.e444.habc",
        created_at=T0 + MIN,
    )
    assert await store.add_announcement_copy(copy)
    await populate_members(store, start)
    await populate_no_shows(store)
    await populate_substitutes(store)
    await populate_min_attendance(store, start)
    await populate_feeds(store)
    await populate_audit(store)
    await populate_promotions(store)
    await populate_ledger(store)


async def populate_members(store: SessionStore, start: datetime) -> None:
    """Two profiles (one linked on two platforms, with preferences), a code, a held DM."""
    linked = MemberProfile(
        id="slack:T1:U1",
        display_name="Ana María",
        timezone="Europe/Madrid",
        locale="es",
        identities=["slack:T1:U1", "discord:99", "terminal:ana"],
        preferred_platform="discord",
        preferences=ReminderPreferences(
            kinds=[ReminderKind.BEFORE_1H],
            route=ReminderRoute.DM,
            quiet_hours=QuietHours(start=time(22, 0), end=time(7, 30)),
        ),
        last_seen_at=T0 + MIN,
        created_at=T0,
        updated_at=T0 + MIN,
    )
    await store.save_profile(linked)
    await store.save_profile(
        MemberProfile(
            id="discord:zed",
            display_name="Zed",
            identities=["discord:zed"],
            last_seen_at=T0,
            created_at=T0,
            updated_at=T0,
        )
    )
    await store.add_member_code(
        MemberCode(
            code="K7Q2M9XP",
            purpose=CodePurpose.LINK,
            member_id="slack:T1:U1",
            issued_by="discord:99",
            expires_at=T0 + 10 * MIN,
        )
    )
    held = DeliveryKey(
        session_id="s1", recipient_id="discord:zed", kind=ReminderKind.BEFORE_1H, start_time=start
    )
    await store.defer_deliveries(
        [DeferredDelivery(key=held, due_at=start - 30 * MIN, useful_until=start)]
    )


async def records_of(store: SessionStore) -> list[StoreRecord]:
    """The store's export as a list (line numbers left out)."""
    from bot.cli_export import dump_of

    return [StoreRecord(r.table, r.row) async for r in dump_of(store).export_records()]


async def replay(records: list[StoreRecord]) -> AsyncIterator[StoreRecord]:
    """`records` as the stream an import reads, numbered like lines of a file."""
    for number, record in enumerate(records, start=2):
        yield StoreRecord(record.table, record.row, number)


TARGETS: dict[str, StoreFactory] = STORE_FACTORIES | {
    "sqlite": sqlite_at("target.db"),
    "postgres": postgres_in("dojobot_dump_target"),  # the source may be the contract suite's
}
"""An empty store of each kind, never the same database as the contract suite's `store`."""


async def populate_substitutes(store: SessionStore) -> None:
    """A substitute request of the canceled session, taken (every optional field set)."""
    from core.substitutes import SubstituteRequest, SubstituteStatus

    request = SubstituteRequest(
        session_id="s2",
        requested_by="slack:T1:U9",
        instructor_id="slack:T1:U9",
        instructor_name="Sensei Ōta",
        created_at=T0,
        others_at=T0 + 30 * MIN,
        answer_by=T0 + timedelta(hours=20),
        due_at=T0 + 30 * MIN,
        updated_at=T0,
    )
    assert await store.open_substitute_request(request)
    taken = request.model_copy(
        update={
            "status": SubstituteStatus.TAKEN,
            "widened": True,
            "due_at": None,
            "substitute_id": "discord:99",
            "substitute_name": "Ana “la sensei”",
            "updated_at": T0 + 40 * MIN,
        }
    )
    assert await store.update_substitute_request(taken, SubstituteStatus.OPEN)


async def populate_min_attendance(store: SessionStore, start: datetime) -> None:
    """The full session's minimum-attendance decision: asked, then kept (every field set)."""
    from core.min_attendance import MinDecision, MinState

    asked = MinDecision(
        session_id="s1",
        start_time=start,
        minimum=1,
        state=MinState.ASKED,
        due_at=start - timedelta(hours=2),
        asked_at=start - timedelta(hours=3),
        answer_by=start - timedelta(hours=2),
        going=0,
        updated_at=start - timedelta(hours=3),
    )
    await store.save_min_decision(asked)
    kept = asked.model_copy(
        update={
            "state": MinState.KEPT,
            "due_at": None,
            "decided_by": "slack:T1:U9",
            "decided_at": start - timedelta(hours=2, minutes=30),
            "updated_at": start - timedelta(hours=2, minutes=30),
        }
    )
    assert await store.update_min_decision(kept, MinState.ASKED)


async def populate_no_shows(store: SessionStore) -> None:
    """Seat marks: a waived and appealed no-show, a present mark (every field set), a late
    cancel."""
    from core.seat_marks import MarkKind, SeatMark

    for mark in (
        SeatMark(
            session_id="s1",
            member_id="slack:T1:U2",
            kind=MarkKind.NO_SHOW,
            created_at=T0 + 5 * MIN,
            waived_by="slack:T1:U9",
            waived_at=T0 + 7 * MIN,
            appealed_at=T0 + 6 * MIN,
        ),
        SeatMark(
            session_id="s1",
            member_id="slack:T1:U2",
            kind=MarkKind.PRESENT,
            created_at=T0 + 8 * MIN,
            marked_by="slack:T1:U9",
        ),
        SeatMark(
            session_id="s2",
            member_id="terminal:bo",
            kind=MarkKind.LATE_CANCEL,
            created_at=T0 + timedelta(microseconds=250),
        ),
    ):
        assert await store.add_seat_mark(mark)


async def populate_audit(store: SessionStore) -> None:
    """Audit entries: two at one instant (key order by id), one by the clock with no
    before/after, values with quotes and non-ASCII text."""
    from core.audit import AuditAction, AuditEntry

    for entry in (
        AuditEntry(
            id="20261201T090100000000-b",
            at=T0 + MIN,
            actor_id="slack:T1:U9",
            actor_name="Sensei Ōta",
            front_end="slack",
            action=AuditAction.UPDATE,
            target="s1",
            before={"title": 'Kata "1"', "tags": ["kata"]},
            after={"title": "Kata — niños & adults", "tags": ["kata", "kids"]},
        ),
        AuditEntry(
            id="20261201T090100000000-a",
            at=T0 + MIN,
            actor_id="slack:T1:U9",
            actor_name="Sensei Ōta",
            front_end="slack",
            action=AuditAction.CAPACITY,
            target="s1",
            before={"capacity": 2},
            after={"capacity": 1},
        ),
        AuditEntry(
            id="20261201T100000000000-c",
            at=T0 + timedelta(hours=1),
            actor_id="clock",
            actor_name="clock",
            front_end="clock",
            action=AuditAction.END,
            target="s2",
        ),
    ):
        await store.append_audit(entry)


async def populate_feeds(store: SessionStore) -> None:
    """Two personal calendar feeds (hashes only), the second replacing a first one."""
    from core.calendar_feed import feed_token_hash

    await store.save_feed_token("slack:T1:U1", feed_token_hash("a" * 43), T0 + MIN)
    await store.save_feed_token("terminal:cy", feed_token_hash("b" * 43), T0 + MIN)
    await store.save_feed_token("terminal:cy", feed_token_hash("c" * 43), T0 + 2 * MIN)


async def populate_promotions(store: SessionStore) -> None:
    """Rank promotions: two of one member (a corrected one), one of another."""
    from datetime import date

    from core.ranks import Promotion

    for promotion in (
        Promotion(
            id="p-2",
            member_id="terminal:cy",
            rank="Gelb – Ōbi",
            promoted_on=date(2026, 11, 30),
            recorded_by="slack:T1:U9",
            recorded_at=T0,
            corrected_by="slack:T1:U1",
            corrected_at=T0 + MIN,
        ),
        Promotion(
            id="p-1",
            member_id="terminal:cy",
            rank="White",
            promoted_on=date(2026, 1, 31),
            recorded_by="slack:T1:U9",
            recorded_at=T0,
        ),
        Promotion(
            id="p-3",
            member_id="slack:T1:U1",
            rank="White",
            promoted_on=date(2026, 2, 1),
            recorded_by="slack:T1:U9",
            recorded_at=T0 + MIN,
        ),
    ):
        assert await store.save_promotion(promotion) is None


async def populate_ledger(store: SessionStore) -> None:
    """Training-ledger entries: one recorded, one decided by a verdict (every field set)."""
    from core.training_ledger import LedgerEntry, Verdict

    recorded = LedgerEntry(
        session_id="s1",
        member_id="slack:T1:U1",
        member_name="Ann",
        title="Kata",
        series_id="w1",
        tags=["kids", 'é, "quoted"'],
        instructor_id="slack:T1:SENSEI",
        starts_at=T0 + timedelta(days=2),
        session_seconds=3600,
        seconds_present=1800,
        attended=False,
        recorded_at=T0 + timedelta(days=2, hours=1),
    )
    await store.save_ledger([recorded])
    await store.set_verdict(
        recorded.model_copy(
            update={
                "member_id": "slack:T1:U2",
                "member_name": "Bob",
                "series_id": None,
                "tags": [],
                "attended": True,
                "verdict": Verdict.PRESENT,
                "verdict_by": "slack:T1:SENSEI",
                "verdict_at": T0 + timedelta(days=2, hours=2),
            }
        )
    )
