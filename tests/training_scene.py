"""A year of training for the training pages' tests: a weekly class with ended sessions in
the past, going RSVPs, and ledger entries for two members (one skips now and then).

Written through the service (the class) and the store's own port methods (the past
sessions, RSVPs and ledger rows, as the ledger would have recorded them), on any store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from core.commands import ScheduleSeries
from core.model import Member, Origin, SessionFilter, SessionStatus, TrainingSession
from core.ports import SessionStore
from core.service import SessionService
from core.training_ledger import LedgerEntry

WEEKS = 30


@dataclass(frozen=True)
class Scene:
    class_id: str
    class_title: str
    session_ids: list[str]


async def seed_training(
    service: SessionService,
    store: SessionStore,
    instructor: Member,
    members: list[Member],
    origin: Origin,
    now: datetime,
    weeks: int = WEEKS,
) -> Scene:
    """`weeks` weekly sessions of one class before `now`; every member going to each, the
    first always attending, the others missing every third week."""
    plan = await service.schedule_series(
        instructor,
        ScheduleSeries(
            title="Evening kata",
            weekdays=[now.weekday()],
            local_time=time(18, 0),
            timezone="UTC",
            until=(now + timedelta(days=60)).date(),
        ),
        origin,
    )
    series = plan.series
    template = await _one_session(store, series.root_id)
    ids: list[str] = []
    entries: list[LedgerEntry] = []
    for week in range(weeks, 0, -1):
        start = datetime.combine(now.date() - timedelta(weeks=week), time(18, 0), now.tzinfo)
        session = template.model_copy(
            update={
                "id": f"past-{week}",
                "start_time": start,
                "status": SessionStatus.ENDED,
                "started_at": start,
                "ended_at": start + timedelta(minutes=template.duration_minutes),
            }
        )
        await store.add_session(session)
        ids.append(session.id)
        for n, member in enumerate(members):
            await store.rsvp_going(
                session.id, member.id, member.display_name, start - timedelta(days=1)
            )
            attended = n == 0 or week % 3 != 0
            minutes = template.duration_minutes if attended else 0  # going, never came
            entries.append(
                LedgerEntry(
                    session_id=session.id,
                    member_id=member.id,
                    member_name=member.display_name,
                    title=session.title,
                    series_id=series.root_id,
                    instructor_id=instructor.id,
                    starts_at=start,
                    session_seconds=template.duration_minutes * 60,
                    seconds_present=minutes * 60,
                    attended=attended,
                    recorded_at=start + timedelta(hours=2),
                )
            )
    await store.save_ledger(entries)
    return Scene(series.root_id, series.title, ids)


async def _one_session(store: SessionStore, series_id: str) -> TrainingSession:
    [first, *_] = await store.list_sessions(SessionFilter(series_id=series_id, limit=1))
    return first
