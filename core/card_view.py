"""A session's announcement card as the store has it now (its counts and event)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.model import RsvpStatus, TrainingSession
from core.views import AnnouncementView

if TYPE_CHECKING:
    from core.ports import SessionStore


async def card_view(store: SessionStore, session: TrainingSession) -> AnnouncementView:
    """The view of `session`'s card: going and waitlisted counts and its event, read now."""
    going = await store.count_going(session.id)
    waiting = (RsvpStatus.WAITLISTED, RsvpStatus.OFFERED)  # an offered seat is not taken yet
    waitlisted = sum(1 for r in await store.list_rsvps(session.id) if r.status in waiting)
    event = await store.get_event(session.event_id) if session.event_id else None
    return AnnouncementView(session=session, going=going, waitlisted=waitlisted, event=event)
