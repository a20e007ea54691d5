"""Reminder timing (pure): what is due when, and until when it is still worth sending."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.errors import InvalidInput
from core.model import JOIN_WINDOW, Reminder, ReminderKind, TrainingSession

REMINDER_OFFSETS: dict[ReminderKind, timedelta] = {
    ReminderKind.BEFORE_24H: timedelta(hours=24),
    ReminderKind.BEFORE_1H: timedelta(hours=1),
    ReminderKind.BEFORE_10M: JOIN_WINDOW,  # the last reminder lands as the join window opens
}
"""Reminder kinds from earliest to latest, with how long before start each is due."""


def plan_reminders(session: TrainingSession, now: datetime) -> list[Reminder]:
    """The session's reminders that are still ahead of `now`, for its current start time.

    Each stays useful until the next kind is due (the last one until the start), so a
    reminder missed during a downtime is sent late only while no fresher one replaces it.
    Kinds already due when the session is (re)scheduled are skipped: the announcement or the
    change notice says it all.
    """
    kinds = list(REMINDER_OFFSETS)
    reminders = []
    for index, kind in enumerate(kinds):
        due_at = session.start_time - REMINDER_OFFSETS[kind]
        if due_at <= now:
            continue
        later = kinds[index + 1] if index + 1 < len(kinds) else None
        useful_until = session.start_time - REMINDER_OFFSETS[later] if later else session.start_time
        reminders.append(
            Reminder(
                session_id=session.id,
                kind=kind,
                start_time=session.start_time,
                due_at=due_at,
                useful_until=useful_until,
            )
        )
    return reminders


def still_useful(reminder: Reminder, now: datetime) -> bool:
    return now < reminder.useful_until


def lead_text(kind: ReminderKind) -> str:
    """How far ahead the reminder is, in words."""
    return {
        ReminderKind.BEFORE_24H: "in 24 hours",
        ReminderKind.BEFORE_1H: "in 1 hour",
        ReminderKind.BEFORE_10M: "in 10 minutes",
    }[kind]


def check_reminders(session_id: str, reminders: list[Reminder]) -> None:
    """Refuse reminders of another session or two reminders of one kind (InvalidInput).

    Every store runs it before `replace_reminders` writes anything.
    """
    if any(r.session_id != session_id for r in reminders):
        raise InvalidInput("Every reminder must belong to the session being updated.")
    kinds = [r.kind for r in reminders]
    if len(set(kinds)) != len(kinds):
        raise InvalidInput("A session has at most one reminder of each kind.")
