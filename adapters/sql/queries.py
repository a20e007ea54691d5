"""Statements whose speed matters at scale, kept apart so tests can check their plans."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any, TypeAlias, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from adapters.sql.schema import (
    ROOM_STATE_STATUS_INDEX,
    deferred_deliveries,
    reminders,
    rsvps,
    training_sessions,
)
from core.model import RsvpStatus, SessionFilter

_s = training_sessions.c

AnySelect: TypeAlias = Select[*tuple[Any, ...]]
_S = TypeVar("_S", bound=Select[Any])


def session_conditions(criteria: SessionFilter) -> list[ColumnElement[bool]]:
    """WHERE terms for `criteria`: starts_after inclusive, starts_before exclusive."""
    c = criteria
    terms: list[ColumnElement[bool]] = []
    if c.status is not None:
        terms.append(_s.status.in_([s.value for s in c.status]))
    if c.instructor_id is not None:
        terms.append(_s.instructor_id == c.instructor_id)
    if c.event_id is not None:
        terms.append(_s.event_id == c.event_id)
    if c.series_id is not None:
        terms.append(_s.series_id == c.series_id)
    if c.starts_after is not None:
        terms.append(_s.start_time >= c.starts_after)
    if c.starts_before is not None:
        terms.append(_s.start_time < c.starts_before)
    if c.room_states is not None:
        terms.append(_s.room_state.in_([s.value for s in c.room_states]))
    if c.finished_before is not None:
        terms.append(
            or_(
                and_(_s.ended_at.is_not(None), _s.ended_at < c.finished_before),
                and_(_s.canceled_at.is_not(None), _s.canceled_at < c.finished_before),
            )
        )
    if not c.include_archived:
        terms.append(_s.archived_at.is_(None))
    return terms


def _with_index_hint(query: _S, criteria: SessionFilter) -> _S:
    """On SQLite, room-state queries that also filter by status use the room-state index.

    Without statistics, SQLite prefers walking `ix_training_sessions_status_start_time` in
    start-time order (no sort) and meets every future scheduled session before finding the
    rare one with a pending or failed room (~35 ms at 100k sessions, 0.05 ms this way). The
    room duties' lists are the only callers, and rows matching both lists are few.
    """
    if criteria.status is None or criteria.room_states is None:
        return query
    return query.with_hint(training_sessions, f"INDEXED BY {ROOM_STATE_STATUS_INDEX}", "sqlite")


def select_sessions(criteria: SessionFilter) -> AnySelect:
    """One page of matching sessions ordered by (start_time, id), reversed if descending."""
    return _session_page(select(training_sessions), criteria)


def select_session_ends(criteria: SessionFilter) -> AnySelect:
    """(start_time, duration_minutes) of the sessions `select_sessions` pages, in its order."""
    return _session_page(select(_s.start_time, _s.duration_minutes), criteria)


def _session_page(columns: AnySelect, criteria: SessionFilter) -> AnySelect:
    order = (
        (_s.start_time.desc(), _s.id.desc())
        if criteria.descending
        else (_s.start_time.asc(), _s.id.asc())
    )
    query = (
        columns.where(*session_conditions(criteria))
        .order_by(*order)
        .limit(criteria.limit)
        .offset(criteria.offset)
    )
    return _with_index_hint(query, criteria)


def count_sessions(criteria: SessionFilter) -> Select[int]:
    """How many sessions match `criteria`."""
    query = select(func.count()).select_from(training_sessions).where(*session_conditions(criteria))
    return _with_index_hint(query, criteria)


def count_going(session_id: str) -> Select[int]:
    """How many members of the session are going."""
    return (
        select(func.count())
        .select_from(rsvps)
        .where(rsvps.c.session_id == session_id, rsvps.c.status == RsvpStatus.GOING.value)
    )


def count_rsvps(session_ids: Sequence[str], status: RsvpStatus) -> Select[str, int]:
    """How many RSVPs of `status` each of these sessions has (a session with none: no row)."""
    return (
        select(rsvps.c.session_id, func.count())
        .where(rsvps.c.session_id.in_(session_ids), rsvps.c.status == status.value)
        .group_by(rsvps.c.session_id)
    )


def members_of(session_ids: Sequence[str], status: RsvpStatus) -> Select[str, str]:
    """(session_id, member_id) of these sessions' RSVPs of `status`, by session, position."""
    return (
        select(rsvps.c.session_id, rsvps.c.member_id)
        .where(rsvps.c.session_id.in_(session_ids), rsvps.c.status == status.value)
        .order_by(rsvps.c.session_id, rsvps.c.position)
    )


def _pending() -> ColumnElement[bool]:
    # Must read exactly like the partial index's WHERE for the index to be used.
    return reminders.c.done_at.is_(None)


def select_due_reminders(now: datetime, limit: int) -> AnySelect:
    """Unfinished reminders due at `now`, by (due_at, session_id, kind)."""
    r = reminders.c
    return (
        select(reminders)
        .where(_pending(), r.due_at <= now)
        .order_by(r.due_at, r.session_id, r.kind)
        .limit(limit)
    )


def select_next_due() -> AnySelect:
    """The earliest due_at among unfinished reminders (no row when none)."""
    return select(reminders.c.due_at).where(_pending()).order_by(reminders.c.due_at).limit(1)


@cache
def select_next_due_and_held() -> AnySelect:
    """One row: the earliest due_at among unfinished reminders and among held deliveries
    (each NULL when none), in one statement (one snapshot without a transaction)."""
    return select(
        select_next_due().scalar_subquery(),
        select(func.min(deferred_deliveries.c.due_at)).scalar_subquery(),
    )
