"""Reminder timing (pure): what is due when, and until when it is still worth sending.

Every session gets the three standard reminders (24 h, 1 h, 10 min before). A member may
also choose one custom lead time from a fixed menu (`CUSTOM_KINDS`, what select menus
offer); a custom kind is planned for a session only when someone going wants it
(`core.reminder_preferences`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from core.errors import InvalidInput
from core.i18n import tn
from core.model import JOIN_WINDOW, Reminder, ReminderKind, TrainingSession

REMINDER_OFFSETS: dict[ReminderKind, timedelta] = {
    ReminderKind.BEFORE_24H: timedelta(hours=24),
    ReminderKind.BEFORE_1H: timedelta(hours=1),
    ReminderKind.BEFORE_10M: JOIN_WINDOW,  # the last reminder lands as the join window opens
}
"""The standard reminder kinds from earliest to latest, with how long before start each is
due: planned for every session."""

CUSTOM_OFFSETS: dict[ReminderKind, timedelta] = {
    ReminderKind.BEFORE_48H: timedelta(hours=48),
    ReminderKind.BEFORE_12H: timedelta(hours=12),
    ReminderKind.BEFORE_6H: timedelta(hours=6),
    ReminderKind.BEFORE_3H: timedelta(hours=3),
    ReminderKind.BEFORE_2H: timedelta(hours=2),
    ReminderKind.BEFORE_30M: timedelta(minutes=30),
}
"""The menu of custom lead times (a member picks at most one), earliest first."""

LEADS: dict[ReminderKind, timedelta] = REMINDER_OFFSETS | CUSTOM_OFFSETS
"""How long before start every kind is due."""
STANDARD_KINDS: tuple[ReminderKind, ...] = tuple(REMINDER_OFFSETS)
CUSTOM_KINDS: tuple[ReminderKind, ...] = tuple(CUSTOM_OFFSETS)


def by_lead(kinds: Iterable[ReminderKind]) -> list[ReminderKind]:
    """`kinds` without repeats, earliest (longest lead) first."""
    return sorted(set(kinds), key=lambda kind: LEADS[kind], reverse=True)


def plan_reminders(
    session: TrainingSession, now: datetime, custom: Iterable[ReminderKind] = ()
) -> list[Reminder]:
    """The session's reminders that are still ahead of `now`, for its current start time:
    the standard kinds, plus the `custom` kinds someone going chose.

    A standard reminder stays useful until the next standard kind is due (the last one until
    the start), so a reminder missed during a downtime is sent late only while no fresher one
    replaces it. A custom reminder is useful until the start as a whole; each member's copy
    is cut shorter by that member's own next reminder
    (`core.reminder_preferences.member_useful_until`). Kinds already due when the session is
    (re)scheduled are skipped: the announcement or the change notice says it all.
    """
    kinds = by_lead([*STANDARD_KINDS, *custom])
    reminders = []
    for kind in kinds:
        due_at = session.start_time - LEADS[kind]
        if due_at <= now:
            continue
        reminders.append(
            Reminder(
                session_id=session.id,
                kind=kind,
                start_time=session.start_time,
                due_at=due_at,
                useful_until=_row_useful_until(kind, session.start_time),
            )
        )
    return reminders


def _row_useful_until(kind: ReminderKind, start: datetime) -> datetime:
    """A standard kind: until the next standard kind is due; a custom kind: the start."""
    if kind not in REMINDER_OFFSETS:
        return start
    later = [k for k in STANDARD_KINDS if REMINDER_OFFSETS[k] < REMINDER_OFFSETS[kind]]
    return start - REMINDER_OFFSETS[later[0]] if later else start


def still_useful(reminder: Reminder, now: datetime) -> bool:
    return now < reminder.useful_until


def lead_text(kind: ReminderKind) -> str:
    """How far ahead the reminder is, in words."""
    lead = LEADS[kind]
    if lead < timedelta(hours=1):
        return tn("in {n} minute", "in {n} minutes", lead // timedelta(minutes=1))
    return tn("in {n} hour", "in {n} hours", lead // timedelta(hours=1))


def check_reminders(session_id: str, reminders: list[Reminder]) -> None:
    """Refuse reminders of another session or two reminders of one kind (InvalidInput).

    Every store runs it before `replace_reminders` writes anything.
    """
    if any(r.session_id != session_id for r in reminders):
        raise InvalidInput("Every reminder must belong to the session being updated.")
    kinds = [r.kind for r in reminders]
    if len(set(kinds)) != len(kinds):
        raise InvalidInput("A session has at most one reminder of each kind.")
