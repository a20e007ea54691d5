"""Every dojobot metric, in a registry of its own (one per app: tests build several apps).

Names carry the `dojobot_` prefix and their unit (`_seconds`, `_total` for counters). Label
values come from small fixed sets (kinds, platforms, outcomes, route patterns, exception
class names): never a member id, a title, a token or a raw path.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    disable_created_metrics,
)
from prometheus_client.exposition import choose_encoder

LATENESS_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 10800.0)
"""Reminder lateness: on time is under a few seconds; a downtime shows as minutes or hours."""
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REMINDER = ("kind", "platform")


class DojoMetrics:
    """The metrics of one process, and their exposition."""

    def __init__(self, role: str) -> None:
        disable_created_metrics()  # type: ignore[no-untyped-call]  # no `_created` series
        self.registry = CollectorRegistry()
        r = self.registry
        Info("dojobot_process", "The process role (run, web, discord, clock).", registry=r).info(
            {"role": role}
        )
        self.reminders_due = Counter(
            "dojobot_reminders_due",
            "Due reminder deliveries attempted (each attempt counts).",
            REMINDER,
            registry=r,
        )
        self.reminders_sent = Counter(
            "dojobot_reminders_sent", "Reminder deliveries sent.", REMINDER, registry=r
        )
        self.reminders_skipped = Counter(
            "dojobot_reminders_skipped",
            "Due reminders dropped unsent, by reason (canceled, moved, stale, gone…).",
            (*REMINDER, "reason"),
            registry=r,
        )
        self.reminders_failed = Counter(
            "dojobot_reminders_failed",
            "Reminder deliveries that failed this attempt (retried later), by reason.",
            (*REMINDER, "reason"),
            registry=r,
        )
        self.reminders_reclaimed = Counter(
            "dojobot_reminders_reclaimed",
            "Deliveries claimed before a crash and never recorded sent: resent, or found "
            "already delivered on the platform.",
            (*REMINDER, "outcome"),
            registry=r,
        )
        self.reminder_lateness = Histogram(
            "dojobot_reminder_lateness_seconds",
            "From a reminder's due time to its sending.",
            REMINDER,
            buckets=LATENESS_BUCKETS,
            registry=r,
        )
        self.rsvps = Counter(
            "dojobot_rsvps", "RSVPs and leaves by outcome.", ("outcome",), registry=r
        )
        self.vendor_calls = Counter(
            "dojobot_vendor_calls",
            "HTTP calls to vendors (slack, discord, realtimekit, zerodb) by API method and "
            "outcome (2xx, 4xx, 429, 5xx, error).",
            ("vendor", "method", "outcome"),
            registry=r,
        )
        self.vendor_retries = Counter(
            "dojobot_vendor_retries",
            "Vendor calls that were a retry of a failed one (429, 5xx, network error).",
            ("vendor", "method"),
            registry=r,
        )
        self.webhook_deliveries = Counter(
            "dojobot_webhook_deliveries",
            "Inbound webhook deliveries by source and outcome.",
            ("source", "outcome"),
            registry=r,
        )
        self.http_requests = Counter(
            "dojobot_http_requests",
            "HTTP requests served, by route pattern, method and status.",
            ("route", "method", "status"),
            registry=r,
        )
        self.http_duration = Histogram(
            "dojobot_http_request_duration_seconds",
            "Time to answer an HTTP request, by route pattern and method.",
            ("route", "method"),
            buckets=HTTP_BUCKETS,
            registry=r,
        )
        self.store_errors = Counter(
            "dojobot_store_errors",
            "Store operations that failed unexpectedly, by operation and error class.",
            ("operation", "error"),
            registry=r,
        )
        self.clock_leading = Gauge(
            "dojobot_clock_leading",
            "1 while this process runs the clock (sends reminders), else 0.",
            registry=r,
        )

    def watch_leadership(self, leading: Callable[[], bool]) -> None:
        """Read whether this process leads the clock at each scrape."""
        self.clock_leading.set_function(lambda: 1.0 if leading() else 0.0)

    def render(self, accept: str) -> tuple[bytes, str]:
        """The exposition in the format the scraper accepts, and its content type."""
        encoder, content_type = choose_encoder(accept)
        return encoder(self.registry), content_type

    def value(self, name: str, labels: dict[str, str] | None = None) -> float:
        """A sample's current value (0 when absent)."""
        found = self.registry.get_sample_value(name, labels or {})
        return 0.0 if found is None else found
