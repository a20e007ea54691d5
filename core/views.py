"""Read models: a session together with what front ends show about it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from core.i18n import Text, TextField, t, tn
from core.model import Event, Rsvp, RsvpStatus, TrainingSession
from core.recurrence import Placement
from core.series import Series, SeriesSkip

_WAITING = (RsvpStatus.WAITLISTED, RsvpStatus.OFFERED)
"""On the waitlist: waiting, or holding an offered seat (waitlist offers)."""


class SessionView(BaseModel):
    """A session with its going list and waitlist (in order) and its event."""

    model_config = ConfigDict(frozen=True, defer_build=True)

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
            waitlisted=[r for r in ordered if r.status in _WAITING],
            event=event,
        )

    @property
    def seats_text(self) -> Text:
        return seats_text(
            self.session.capacity,
            len(self.going),
            len(self.waitlisted),
            minimum=self.session.min_going,
        )


class AnnouncementView(BaseModel):
    """What a session's channel announcement shows: the session, its seat counts and its
    event, gathered by the core so no front end reads the store to render it."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    session: TrainingSession
    going: int
    waitlisted: int
    event: Event | None = None

    @property
    def seats_text(self) -> Text:
        return seats_text(
            self.session.capacity, self.going, self.waitlisted, minimum=self.session.min_going
        )


def seats_text(
    capacity: int | None, going: int, waitlisted: int, minimum: int | None = None
) -> Text:
    """E.g. `7/20 going` or `7 going` when unlimited, plus the minimum (`· min 5`) and the
    waitlist length."""
    seats: Text = (
        t("{going}/{capacity} going", going=going, capacity=capacity)
        if capacity
        else t("{going} going", going=going)
    )
    if minimum is not None:
        seats = t("{seats} · min {minimum}", seats=seats, minimum=minimum)
    if not waitlisted:
        return seats
    return tn("{seats}, {n} waitlisted", "{seats}, {n} waitlisted", waitlisted, seats=seats)


class SeriesPlan(BaseModel):
    """A weekly class as created (or previewed): its next classes, how many in all, and
    what DST does to any of them (to tell the instructor)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    series: Series
    upcoming: list[Placement]
    notes: list[TextField]
    total: int


class SeriesDetail(BaseModel):
    """A weekly class with its listed occurrences to come, skipped days and standing RSVPs
    (how many, and whether the reader has one)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    series: Series
    """The segment holding today (or the next to come)."""
    segments: list[Series]
    """Every running segment, in timetable order (one unless changed from a day on)."""
    upcoming: list[TrainingSession]
    skips: list[SeriesSkip]
    standing_count: int
    standing: bool
