"""The core's `Telemetry` port, counted in Prometheus metrics."""

from __future__ import annotations

from datetime import timedelta

from adapters.metrics.registry import DojoMetrics
from core.model import ReminderKind
from core.telemetry import RsvpOutcome


class PrometheusTelemetry:
    """Implements `core.telemetry.Telemetry` on a `DojoMetrics`."""

    def __init__(self, metrics: DojoMetrics) -> None:
        self.metrics = metrics

    def reminder_due(self, kind: ReminderKind, platform: str) -> None:
        self.metrics.reminders_due.labels(kind.value, platform).inc()

    def reminder_sent(self, kind: ReminderKind, platform: str, lateness: timedelta) -> None:
        self.metrics.reminders_sent.labels(kind.value, platform).inc()
        seconds = max(lateness.total_seconds(), 0.0)
        self.metrics.reminder_lateness.labels(kind.value, platform).observe(seconds)

    def reminder_skipped(self, kind: ReminderKind, platform: str, reason: str) -> None:
        self.metrics.reminders_skipped.labels(kind.value, platform, reason).inc()

    def reminder_failed(self, kind: ReminderKind, platform: str, reason: str) -> None:
        self.metrics.reminders_failed.labels(kind.value, platform, reason).inc()

    def reminder_reclaimed(self, kind: ReminderKind, platform: str, outcome: str) -> None:
        self.metrics.reminders_reclaimed.labels(kind.value, platform, outcome).inc()

    def rsvp(self, outcome: RsvpOutcome) -> None:
        self.metrics.rsvps.labels(outcome.value).inc()
