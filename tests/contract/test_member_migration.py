"""SQL migration 7 on SQLite and PostgreSQL: a version-6 database keeps every session, RSVP,
stay, reminder, delivery and weekly class, and takes member profiles, member codes and held
deliveries at once (issue 15: "a migration that loses nothing"). Reminder kinds stay plain
text, so kinds added later (a custom lead time such as `2h`) need no migration."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from adapters.sql import SqlSessionStore, open_sql_store
from adapters.sql.migrations import schema_version
from adapters.sql.schema import deliveries, reminders
from core.members import CodePurpose, MemberCode, MemberProfile
from core.model import DeferredDelivery, DeliveryKey, ReminderKind, TrainingSession
from core.recurrence import WeeklyRule
from core.reminders import plan_reminders
from core.series import Series, StandingRsvp
from tests.contract.test_start_time_migration import assert_at_head, database

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
START = T0 + timedelta(days=2)
MEMBER_TABLES = ("deferred_deliveries", "member_codes", "member_identities", "member_profiles")


def a_session() -> TrainingSession:
    return TrainingSession(
        id="s1",
        title="Kata",
        instructor_id="terminal:sensei",
        instructor_name="Sensei",
        start_time=START,
        duration_minutes=60,
        capacity=10,
        created_at=T0,
        updated_at=T0,
    )


def a_series() -> Series:
    rule = WeeklyRule(
        weekdays=frozenset({0}),
        local_time=time(18, 0),
        timezone="UTC",
        first_day=date(2026, 12, 7),
        until=date(2027, 3, 1),
    )
    return Series(
        id="k1",
        root_id="k1",
        title="Kids",
        instructor_id="terminal:sensei",
        instructor_name="Sensei",
        rule=rule,
        duration_minutes=60,
        created_at=T0,
        updated_at=T0,
    )


def key(recipient: str) -> DeliveryKey:
    return DeliveryKey(
        session_id="s1", recipient_id=recipient, kind=ReminderKind.BEFORE_1H, start_time=START
    )


async def make_version_6(url: str) -> None:
    """A database as version 6 left it, holding a session with an RSVP, a stay, reminders,
    a sent delivery, and a weekly class with a standing RSVP."""
    store = await open_sql_store(url)
    try:
        await store.add_session(a_session())
        await store.rsvp_going("s1", "terminal:ana", "Ana", T0)
        await store.record_join("s1", "terminal:ana", "Ana", START)
        await store.replace_reminders("s1", plan_reminders(a_session(), T0))
        await store.mark_deliveries_sent([key("terminal:ana")], T0)
        await store.add_series(a_series())
        standing = StandingRsvp(
            series_id="k1", member_id="terminal:ana", member_name="Ana", created_at=T0
        )
        await store.add_standing_rsvp(standing)
        async with store.engine.begin() as connection:
            for table in MEMBER_TABLES:
                await connection.execute(text(f"DROP TABLE {table}"))
            await connection.execute(schema_version.delete().where(schema_version.c.version > 6))
    finally:
        await store.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_version_6_keeps_everything_and_takes_members(kind: str, tmp_path: Path) -> None:
    async with database(kind, tmp_path) as url:
        await make_version_6(url)
        store: SqlSessionStore = await open_sql_store(url)
        try:
            await assert_at_head(store)
            assert await store.get_session("s1") == a_session()
            assert [r.member_id for r in await store.list_rsvps("s1")] == ["terminal:ana"]
            assert [s.joined_at for s in await store.list_attendance("s1")] == [START]
            assert await store.next_reminder_due() == START - timedelta(hours=24)
            assert await store.delivery_sent(key("terminal:ana"))
            assert await store.get_series("k1") == a_series()
            assert [r.member_id for r in await store.list_standing_rsvps("k1")] == ["terminal:ana"]
            # members can be stored at once
            ana = MemberProfile(
                id="terminal:ana",
                display_name="Ana",
                identities=["terminal:ana", "discord:7"],
                last_seen_at=T0,
                created_at=T0,
                updated_at=T0,
            )
            await store.save_profile(ana)
            assert await store.get_profile("discord:7") == ana
            code = MemberCode(
                code="ABC",
                purpose=CodePurpose.LINK,
                member_id="terminal:ana",
                issued_by="terminal:ana",
                expires_at=T0 + timedelta(minutes=10),
            )
            await store.add_member_code(code)
            assert await store.take_member_code("ABC", T0) == code
            held = DeferredDelivery(
                key=key("discord:7"), due_at=T0 + timedelta(hours=1), useful_until=START
            )
            await store.defer_deliveries([held])
            assert await store.next_reminder_due() == held.due_at
            async with store.engine.connect() as connection:
                kinds = await connection.run_sync(
                    lambda sync: {
                        t.name: {c["name"]: c for c in inspect(sync).get_columns(t.name)}["kind"]
                        for t in (reminders, deliveries)
                    }
                )
                checks = await connection.run_sync(
                    lambda sync: [
                        c
                        for t in ("reminders", "deliveries", "deferred_deliveries")
                        for c in inspect(sync).get_check_constraints(t)
                    ]
                )
            assert all("VARCHAR" in str(k["type"]).upper() for k in kinds.values())
            assert checks == []  # nothing refuses a reminder kind added later
        finally:
            await store.close()
