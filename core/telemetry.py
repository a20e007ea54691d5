"""What the core tells the operator's metrics: a port, and the no-op used by default.

The core knows some facts only it can see (a reminder sent and how late, one skipped because
its session was cancelled, a delivery resent after a crash, what an RSVP did). It reports
them through `Telemetry`, given to its constructors by the composition root; the adapter in
`adapters.metrics` turns them into Prometheus metrics. Labels are drawn from small fixed sets
(kinds, platforms, outcomes): never a member id, a title or anything a user typed.
"""

from __future__ import annotations

import re
from datetime import timedelta
from enum import StrEnum
from typing import Protocol

from core.model import CHANNEL_RECIPIENT, ReminderKind, RsvpChange, RsvpStatus, TrainingSession

_PLATFORM = re.compile(r"[a-z]{1,16}")


class RsvpOutcome(StrEnum):
    """What one RSVP operation came to."""

    GOING = "going"
    WAITLISTED = "waitlisted"
    LEFT = "left"
    UNCHANGED = "unchanged"
    """Already going/waitlisted (or not there, for a leave): nothing changed."""
    PROMOTED = "promoted"
    """A waitlisted member got the seat someone left."""
    REFUSED = "refused"
    """Closed, not allowed or not found: the member was told why."""


class Telemetry(Protocol):
    """Facts the core reports for metrics; every method is cheap and never raises."""

    def reminder_due(self, kind: ReminderKind, platform: str) -> None:
        """A due delivery, claimed by this process, is being attempted (each attempt counts:
        it ends sent, failed or found already delivered)."""

    def reminder_sent(self, kind: ReminderKind, platform: str, lateness: timedelta) -> None:
        """A delivery went out, `lateness` after it was due."""

    def reminder_skipped(self, kind: ReminderKind, platform: str, reason: str) -> None:
        """A due reminder was dropped unsent (session cancelled, moved, no longer useful)."""

    def reminder_failed(self, kind: ReminderKind, platform: str, reason: str) -> None:
        """A delivery failed this time ("rate_limited" or "error"); it is retried later."""

    def reminder_reclaimed(self, kind: ReminderKind, platform: str, outcome: str) -> None:
        """A delivery claimed before a crash and never recorded sent: "already_delivered"
        (found on the platform, not sent again) or "resent"."""

    def rsvp(self, outcome: RsvpOutcome) -> None:
        """What one RSVP or leave did."""


class NoTelemetry:
    """Reports nowhere: the default when no metrics are wired."""

    def reminder_due(self, kind: ReminderKind, platform: str) -> None:
        return None

    def reminder_sent(self, kind: ReminderKind, platform: str, lateness: timedelta) -> None:
        return None

    def reminder_skipped(self, kind: ReminderKind, platform: str, reason: str) -> None:
        return None

    def reminder_failed(self, kind: ReminderKind, platform: str, reason: str) -> None:
        return None

    def reminder_reclaimed(self, kind: ReminderKind, platform: str, outcome: str) -> None:
        return None

    def rsvp(self, outcome: RsvpOutcome) -> None:
        return None


NO_TELEMETRY: Telemetry = NoTelemetry()


def platform_of(recipient_id: str, session: TrainingSession | None = None) -> str:
    """The platform label of a delivery: the member id's prefix ("slack" of "slack:T1:U2"),
    or the session's channel platform for a channel post; "other" when unknown. Never the
    id itself."""
    if recipient_id == CHANNEL_RECIPIENT:
        prefix = session.origin.platform if session and session.origin else ""
    else:
        prefix = recipient_id.partition(":")[0] if ":" in recipient_id else ""
    return prefix if _PLATFORM.fullmatch(prefix) else "other"


def rsvp_outcome(change: RsvpChange) -> RsvpOutcome:
    """The outcome of an RSVP or a leave from what the store did."""
    if not change.changed or change.rsvp is None:
        return RsvpOutcome.UNCHANGED
    return {
        RsvpStatus.GOING: RsvpOutcome.GOING,
        RsvpStatus.WAITLISTED: RsvpOutcome.WAITLISTED,
        RsvpStatus.OFFERED: RsvpOutcome.WAITLISTED,
        RsvpStatus.LEFT: RsvpOutcome.LEFT,
    }[change.rsvp.status]
