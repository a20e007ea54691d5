"""What anyone may know about a session: its public state, without any member data.

Used by the session page and by `/sessions/<id>/status.json`, which the page polls so it
follows the service's clock (not the browser's) without a reload.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from adapters.web.words import say, t
from core.i18n import ENGLISH, Translator
from core.model import SessionStatus, TrainingSession
from core.views import SessionView, seats_text

STATUS_LABELS = {
    SessionStatus.SCHEDULED: t("Scheduled"),
    SessionStatus.LIVE: t("Live now"),
    SessionStatus.ENDED: t("Ended"),
    SessionStatus.CANCELED: t("Canceled"),
    SessionStatus.NOT_HELD: t("Not held (never started)"),
}


class PublicStatus(TypedDict):
    """The JSON body of `status.json`; instants are ISO 8601 UTC strings."""

    id: str
    status: str
    status_label: str
    now: str
    start_time: str
    join_opens_at: str
    end_time: str
    join_open: bool
    seats: str
    going: int
    capacity: int | None
    recording_enabled: bool


def iso(instant: datetime) -> str:
    """`2026-12-01T18:00:00Z`: what `<time datetime>` and JavaScript's Date both read."""
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def join_open(session: TrainingSession, now: datetime) -> bool:
    """Whether the session's room is open for joining at `now` (rules permitting)."""
    if session.status is SessionStatus.LIVE:
        return True
    return session.status is SessionStatus.SCHEDULED and (
        session.join_opens_at <= now < session.end_time
    )


def public_status(view: SessionView, now: datetime, tr: Translator = ENGLISH) -> PublicStatus:
    """The session's public state at `now`: counts only, never who; its words in `tr`'s
    language."""
    session = view.session
    going, waitlisted = len(view.going), len(view.waitlisted)
    return PublicStatus(
        id=session.id,
        status=session.status.value,
        status_label=say(STATUS_LABELS[session.status], tr),
        now=iso(now),
        start_time=iso(session.start_time),
        join_opens_at=iso(session.join_opens_at),
        end_time=iso(session.end_time),
        join_open=join_open(session, now),
        seats=say(seats_text(session.capacity, going, waitlisted), tr),
        going=going,
        capacity=session.capacity,
        recording_enabled=session.recording_enabled,
    )
