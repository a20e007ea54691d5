"""Seat marks: what the no-show policy records about a member in one session.

A mark is written once per session × member × kind (the store's unique key), so a
redelivered end, a second clock or a second process never counts a no-show twice.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import field_validator

from core.model import Model, ensure_utc


class MarkKind(StrEnum):
    NO_SHOW = "no_show"
    """Going when the session ended, and never in the room."""
    LATE_CANCEL = "late_cancel"
    """Left the session (unrsvp) inside the late-cancel window before its start."""
    PRESENT = "present"
    """The instructor (or an admin) recorded the member present: overrides a no-show."""


PENALISED = (MarkKind.NO_SHOW, MarkKind.LATE_CANCEL)
"""The kinds that may count towards a restriction (and may be appealed and waived)."""


class SeatMark(Model):
    """One mark; `marked_by` is who recorded a PRESENT mark (None for the automatic kinds)."""

    session_id: str
    member_id: str
    kind: MarkKind
    created_at: datetime
    marked_by: str | None = None
    waived_by: str | None = None
    waived_at: datetime | None = None
    appealed_at: datetime | None = None

    @field_validator("created_at", "waived_at", "appealed_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else ensure_utc(value)

    @property
    def waived(self) -> bool:
        return self.waived_at is not None
