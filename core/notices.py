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
    # fair seats (docs/fair-seats.md)
    SEAT_OFFERED = "seat_offered"
    """A freed seat held for one waitlisted member until a deadline (Claim / Pass)."""
    SEAT_OPEN = "seat_open"
    """Late window: a free seat offered to everyone waitlisted; the first claim wins."""
    OFFER_LAPSED = "offer_lapsed"
    """An offer passed its deadline unclaimed (or was withdrawn)."""
    WAITLIST_MOVED = "waitlist_moved"
    """A waitlisted member's position changed materially."""
    MIN_ATTENDANCE_ASK = "min_attendance_ask"
    """Too few going at the decision time: the instructor is asked Keep / Cancel."""
    MIN_ATTENDANCE_OUTCOME = "min_attendance_outcome"
    """What was decided about a session with too few going."""
    NO_SHOW = "no_show"
    """A no-show or late cancel was recorded, or a consequence began or was waived."""
    APPEAL = "appeal"
    """A member appealed a no-show or a consequence (to admins)."""
    SUB_WANTED = "sub_wanted"
    """An instructor needs a substitute (to eligible instructors: Accept)."""
    SUB_FOUND = "sub_found"
    """A substitute took over a session."""
    SUB_MISSING = "sub_missing"
    """Nobody accepted to substitute before the deadline (to admins)."""
    # training record (docs/training-record.md)
    RANK_PROMOTED = "rank_promoted"
    """A member was promoted (to them: congratulations; about their latest class)."""
    RANK_ELIGIBLE = "rank_eligible"
    """The weekly digest of members newly eligible for their next rank (to instructors)."""


class ButtonStyle(StrEnum):
    PRIMARY = "primary"
    DANGER = "danger"
    PLAIN = "plain"


class NoticeButton(BaseModel):
    """A button on a notice that runs one command for whoever clicks it, as if they had
    typed it: `command` is the shared-grammar line (`/claim s-42`). Front ends render it as
    a button (the terminal prints the line to type) and run the line through the grammar
    and the executor with the clicker's own rights, replying only to them."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    label: TextField
    command: str
    style: ButtonStyle = ButtonStyle.PLAIN
    url: str | None = None
    """Set: a link button instead: it opens this URL (`command` is then only what the
    terminal prints beside it); Slack and Discord render a link button, nothing is run."""


class Notice(BaseModel):
    """One message about a session: `text` is English (a `core.i18n.Text`: front ends render
    it in the reader's language); `show_join` asks for a Join button.

    A RESCHEDULED notice carries the start it moved from and to (`moved_from`, `moved_to`);
    front ends write both in each reader's own time (`text` has them in UTC).
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

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
    buttons: tuple[NoticeButton, ...] = ()
    """Commands offered as buttons (Claim / Pass, Keep / Cancel, Accept, Appeal, …)."""


def for_every_kind(table: Mapping[NoticeKind, T]) -> Mapping[NoticeKind, T]:
    """`table`, checked to have an entry for every NoticeKind. Front ends build their
    per-kind tables with it at import, so a new kind fails at start-up, never at delivery."""
    missing = [kind.value for kind in NoticeKind if kind not in table]
    if missing:
        raise TypeError(f"no entry for notice kind(s) {', '.join(missing)}")
    return table
