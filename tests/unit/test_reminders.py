from datetime import UTC, datetime, timedelta

from core.model import ReminderKind, TrainingSession
from core.reminders import plan_reminders, still_useful

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def session(start: datetime) -> TrainingSession:
    return TrainingSession(
        id="s1",
        title="Kata",
        instructor_id="t:sensei",
        instructor_name="sensei",
        start_time=start,
        duration_minutes=60,
        created_at=NOW,
        updated_at=NOW,
    )


def test_three_reminders_each_useful_until_the_next_is_due() -> None:
    start = NOW + timedelta(days=3)
    plan = {r.kind: r for r in plan_reminders(session(start), NOW)}
    assert plan[ReminderKind.BEFORE_24H].due_at == start - timedelta(hours=24)
    assert plan[ReminderKind.BEFORE_24H].useful_until == start - timedelta(hours=1)
    assert plan[ReminderKind.BEFORE_1H].due_at == start - timedelta(hours=1)
    assert plan[ReminderKind.BEFORE_1H].useful_until == start - timedelta(minutes=10)
    assert plan[ReminderKind.BEFORE_10M].due_at == start - timedelta(minutes=10)
    assert plan[ReminderKind.BEFORE_10M].useful_until == start


def test_reminders_already_due_at_scheduling_are_skipped() -> None:
    plan = plan_reminders(session(NOW + timedelta(minutes=30)), NOW)
    assert [r.kind for r in plan] == [ReminderKind.BEFORE_10M]


def test_usefulness_ends_exactly_at_useful_until() -> None:
    reminder = plan_reminders(session(NOW + timedelta(days=2)), NOW)[0]
    assert still_useful(reminder, reminder.useful_until - timedelta(seconds=1))
    assert not still_useful(reminder, reminder.useful_until)
