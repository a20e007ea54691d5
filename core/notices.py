"""What the core tells people; front ends render these in their own UI."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from core.i18n import TextField
from core.model import ReminderKind, TrainingSession

T = TypeVar("T")


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
    """One message about a session: `text` is English (a `core.i18n.Text`: front ends render
    it in the reader's language); `show_join` asks for a Join button.

    A RESCHEDULED notice carries the start it moved from and to (`moved_from`, `moved_to`);
    front ends write both in each reader's own time (`text` has them in UTC).
    """

    model_config = ConfigDict(frozen=True)

    kind: NoticeKind
    session: TrainingSession
    text: TextField
    reminder_kind: ReminderKind | None = None
    show_join: bool = False
    mention_member_id: str | None = None
    moved_from: datetime | None = None
    moved_to: datetime | None = None
    delivery_marker: str | None = None
    """Set on a reminder DM: its `DeliveryKey.marker()`, carried on the platform message so
    `ChatDelivery.already_delivered` can find it after a crash."""
    locale: str | None = None
    """The language of the member it is sent to (None: the default); `text` is rendered in
    it by the front end."""


def for_every_kind(table: Mapping[NoticeKind, T]) -> Mapping[NoticeKind, T]:
    """`table`, checked to have an entry for every NoticeKind. Front ends build their
    per-kind tables with it at import, so a new kind fails at start-up, never at delivery."""
    missing = [kind.value for kind in NoticeKind if kind not in table]
    if missing:
        raise TypeError(f"no entry for notice kind(s) {', '.join(missing)}")
    return table
