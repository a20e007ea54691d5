"""The scene both platforms' crash-resend tests start from: a session two members go to,
its 1 h reminder due now (DMs only, no channel post)."""

from __future__ import annotations

from datetime import timedelta

from core.commands import ScheduleSession
from core.model import DeliveryKey, Member, Origin, ReminderKind, TrainingSession
from core.service import SessionService
from core.testing.clock import FakeClock

H1 = ReminderKind.BEFORE_1H


async def one_hour_due(
    service: SessionService,
    clock: FakeClock,
    instructor: Member,
    going: tuple[Member, ...],
    origin: Origin,
) -> TrainingSession:
    """Schedule "Kata" a day ahead, RSVP `going`, move the clock to its 1 h reminder."""
    start = clock.now() + timedelta(days=1)
    session = await service.schedule(
        instructor, ScheduleSession(title="Kata", start_time=start), origin
    )
    for member in going:
        await service.rsvp(member, session.id)
    clock.set(start - timedelta(hours=1))
    return session


def one_hour_key(session: TrainingSession, member: Member) -> DeliveryKey:
    """The delivery key of `member`'s 1 h reminder of `session`."""
    return DeliveryKey(
        session_id=session.id, recipient_id=member.id, kind=H1, start_time=session.start_time
    )
