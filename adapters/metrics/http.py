"""HTTP requests served, and the webhook deliveries among them, into `DojoMetrics`."""

from __future__ import annotations

from adapters.metrics.registry import DojoMetrics

WEBHOOKS = "/webhooks/"


def webhook_outcome(status: int) -> str:
    """What a webhook answer means to the sender: accepted (2xx: applied or a duplicate),
    bad_signature (401), retry_later (503: being applied elsewhere), refused (other 4xx:
    never retried), failed (5xx: redelivered)."""
    if status < 300:
        return "accepted"
    if status == 401:
        return "bad_signature"
    if status == 503:
        return "retry_later"
    return "refused" if status < 500 else "failed"


class HttpRequests:
    """Implements `adapters.web.metrics_middleware.HttpMeter`."""

    def __init__(self, metrics: DojoMetrics) -> None:
        self.metrics = metrics

    def request_served(self, route: str, method: str, status: int, seconds: float) -> None:
        self.metrics.http_requests.labels(route, method, str(status)).inc()
        self.metrics.http_duration.labels(route, method).observe(seconds)
        if route.startswith(WEBHOOKS):
            source = route[len(WEBHOOKS) :].partition("/")[0] or "unknown"
            self.metrics.webhook_deliveries.labels(source, webhook_outcome(status)).inc()
