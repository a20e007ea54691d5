"""Read models: a session together with what front ends show about it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from core.model import Event, Rsvp, RsvpStatus, TrainingSession


class SessionView(BaseModel):
    """A session with its going list and waitlist (in order) and its event."""

    model_config = ConfigDict(frozen=True)

    session: TrainingSession
    going: list[Rsvp]
    waitlisted: list[Rsvp]
    event: Event | None = None

    @classmethod
    def build(cls, session: TrainingSession, rsvps: list[Rsvp], event: Event | None) -> SessionView:
        ordered = sorted(rsvps, key=lambda r: r.position)
        return cls(
            session=session,
            going=[r for r in ordered if r.status is RsvpStatus.GOING],
            waitlisted=[r for r in ordered if r.status is RsvpStatus.WAITLISTED],
            event=event,
        )

    @property
    def seats_text(self) -> str:
        return seats_text(self.session.capacity, len(self.going), len(self.waitlisted))


class AnnouncementView(BaseModel):
    """What a session's channel announcement shows: the session, its seat counts and its
    event, gathered by the core so no front end reads the store to render it."""

    model_config = ConfigDict(frozen=True)

    session: TrainingSession
    going: int
    waitlisted: int
    event: Event | None = None

    @property
    def seats_text(self) -> str:
        return seats_text(self.session.capacity, self.going, self.waitlisted)


def seats_text(capacity: int | None, going: int, waitlisted: int) -> str:
    """E.g. `7/20 going` or `7 going` when unlimited, plus the waitlist length."""
    text = f"{going}/{capacity} going" if capacity else f"{going} going"
    return text + (f", {waitlisted} waitlisted" if waitlisted else "")
