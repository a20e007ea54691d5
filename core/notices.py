"""What the core tells people; front ends render these in their own UI."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from core.model import ReminderKind, TrainingSession


class NoticeKind(StrEnum):
    REMINDER = "reminder"
    PROMOTED = "promoted"
    CANCELED = "canceled"
    RESCHEDULED = "rescheduled"
    STARTED = "started"
    ENDED = "ended"
    DM_FALLBACK = "dm_fallback"
    RECORDING_READY = "recording_ready"


class Notice(BaseModel):
    """One message about a session: `text` is plain English; `show_join` asks for a Join button."""

    model_config = ConfigDict(frozen=True)

    kind: NoticeKind
    session: TrainingSession
    text: str
    reminder_kind: ReminderKind | None = None
    show_join: bool = False
    mention_member_id: str | None = None
