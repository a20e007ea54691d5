"""What the core reports through its `Telemetry` port: reminders due, sent (how late),
skipped, failed and reclaimed after a crash; RSVP outcomes. A recording port, no Prometheus."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest

from core.commands import ScheduleSession
from core.errors import DojoError
from core.model import DeliveryKey, ReminderKind
from core.reminder_dispatch import CLAIM_LEASE, RETRY_AFTER, ReminderDispatcher
from core.reminder_preferences import ReminderDefaults
from core.service import SessionService
from core.telemetry import RsvpOutcome, platform_of
from core.testing.store import InMemorySessionStore
from tests.unit.conftest import ANA, BEN, CAL, GUEST, SENSEI, World

DAY = ReminderKind.BEFORE_24H


class Recorded:
    """A Telemetry that keeps every fact: (what, kind, platform, detail) → times."""

    def __init__(self) -> None:
        self.facts: Counter[tuple[str, ...]] = Counter()
        self.lateness: list[timedelta] = []

    def reminder_due(self, kind: ReminderKind, platform: str) -> None:
        self.facts["due", kind.value, platform] += 1

    def reminder_sent(self, kind: ReminderKind, platform: str, lateness: timedelta) -> None:
        self.facts["sent", kind.value, platform] += 1
        self.lateness.append(lateness)

    def reminder_skipped(self, kind: ReminderKind, platform: str, reason: str) -> None:
        self.facts["skipped", kind.value, platform, reason] += 1

    def reminder_failed(self, kind: ReminderKind, platform: str, reason: str) -> None:
        self.facts["failed", kind.value, platform, reason] += 1

    def reminder_reclaimed(self, kind: ReminderKind, platform: str, outcome: str) -> None:
        self.facts["reclaimed", kind.value, platform, outcome] += 1

    def rsvp(self, outcome: RsvpOutcome) -> None:
        self.facts["rsvp", outcome.value] += 1


def test_platform_labels_never_carry_the_id() -> None:
    assert platform_of("slack:T1:U2") == "slack"
    assert platform_of("discord:1234") == "discord"
    assert platform_of("no-prefix") == "other"
    assert platform_of("Weird Prefix:x") == "other"


async def test_reminders_report_due_sent_late_and_resent_after_a_crash(world: World) -> None:
    telemetry = Recorded()
    posts_24h = ReminderDefaults(channel_kinds=[DAY])  # the channel's post is followed too
    dispatcher = ReminderDispatcher(
        world.store, world.chat, telemetry=telemetry, defaults=posts_24h
    )
    session = await world.schedule(in_=timedelta(days=2))
    for member in (ANA, BEN):
        await world.service.rsvp(member, session.id)
    due_at = session.start_time - timedelta(hours=24)
    world.clock.set(due_at + timedelta(seconds=40))
    key = DeliveryKey(
        session_id=session.id, recipient_id=ANA.id, kind=DAY, start_time=session.start_time
    )
    # a process claimed Ana's DM and died; Ben's DM and the channel post go now, 40 s late
    assert await world.store.claim_deliveries([key], world.now, CLAIM_LEASE) == [key]
    assert await dispatcher.run_due(world.now) == 2
    assert telemetry.facts["due", "24h", "t"] == 1  # Ben ("t:…" member ids); Ana's is held
    assert telemetry.facts["due", "24h", "test"] == 1  # the channel (its origin's platform)
    assert telemetry.facts["sent", "24h", "t"] == 1 and telemetry.facts["sent", "24h", "test"] == 1
    assert telemetry.lateness == [timedelta(seconds=40)] * 2
    world.clock.advance(max(RETRY_AFTER, CLAIM_LEASE))
    assert await dispatcher.run_due(world.now) == 1  # Ana's, after the lease: resent
    assert telemetry.facts["reclaimed", "24h", "t", "resent"] == 1
    assert telemetry.facts["due", "24h", "t"] == 2
    assert telemetry.facts["sent", "24h", "t"] == 2


async def test_reminders_report_failures_and_skips(world: World) -> None:
    telemetry = Recorded()

    async def pause(seconds: float) -> None:
        return None

    dispatcher = ReminderDispatcher(
        world.store, world.chat, telemetry=telemetry, pause=pause, rate_limit_patience=0
    )
    session = await world.schedule(in_=timedelta(days=2))
    await world.service.rsvp(ANA, session.id)
    world.clock.set(session.start_time - timedelta(hours=24))
    world.chat.rate_limited = 1
    await dispatcher.run_due(world.now)
    assert telemetry.facts["failed", "24h", "t", "rate_limited"] == 1
    # the clock was down until after the 10 min reminder fell due: 1 h and 24 h are stale
    world.clock.set(session.start_time - timedelta(minutes=5))
    await dispatcher.run_due(world.now)
    assert telemetry.facts["skipped", "1h", "test", "stale"] == 1
    assert telemetry.facts["skipped", "24h", "test", "stale"] == 1
    assert telemetry.facts["sent", "10m", "t"] == 1


async def test_rsvps_report_their_outcome(world: World) -> None:
    telemetry = Recorded()
    service = SessionService(world.store, world.rooms, world.chat, world.clock, telemetry=telemetry)
    session = await world.schedule(capacity=1)
    await service.rsvp(ANA, session.id)
    await service.rsvp(BEN, session.id)
    await service.rsvp(ANA, session.id)
    with pytest.raises(DojoError):
        await service.rsvp(GUEST, session.id)
    await service.unrsvp(ANA, session.id)
    await service.unrsvp(CAL, session.id)
    rsvps = {k[1]: n for k, n in telemetry.facts.items() if k[0] == "rsvp"}
    assert rsvps == {
        "going": 1,
        "waitlisted": 1,
        "unchanged": 2,
        "refused": 1,
        "left": 1,
        "promoted": 1,
    }


class CrashesOnceMarking(InMemorySessionStore):
    """Dies (once) between sending and recording sent, like a process killed there."""

    crashed = False

    async def mark_deliveries_sent(self, keys: list[DeliveryKey], now: datetime) -> None:
        if not self.crashed:
            self.crashed = True
            raise ConnectionError("killed")
        await super().mark_deliveries_sent(keys, now)


async def test_a_delivery_sent_before_a_crash_is_reported_found_not_resent(
    world: World,
) -> None:
    telemetry = Recorded()
    store = CrashesOnceMarking()
    service = SessionService(store, world.rooms, world.chat, world.clock)
    dispatcher = ReminderDispatcher(store, world.chat, telemetry=telemetry)
    session = await service.schedule(
        SENSEI, ScheduleSession(title="Kata", start_time=world.now + timedelta(days=2)), None
    )
    await service.rsvp(ANA, session.id)
    world.clock.set(session.start_time - timedelta(hours=24))
    with pytest.raises(ConnectionError):
        await dispatcher.run_due(world.now)
    world.clock.advance(CLAIM_LEASE)
    await dispatcher.run_due(world.now)
    assert len(world.chat.dms_to(ANA.id)) == 1
    assert telemetry.facts["reclaimed", "24h", "t", "already_delivered"] == 1
    assert telemetry.facts["sent", "24h", "t"] == 1  # counted once, when it went out
