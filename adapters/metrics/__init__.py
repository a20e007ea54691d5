"""Prometheus metrics: the core's telemetry port, vendor calls, HTTP requests, the store.

Importing this package costs nothing: `prometheus_client` is imported by `.registry`, which
the composition root imports only when metrics are enabled.
"""
