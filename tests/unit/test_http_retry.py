"""The one Retry-After parser every HTTP adapter (RealtimeKit, ZeroDB) uses."""

from __future__ import annotations

from datetime import UTC, datetime

from adapters.http_retry import retry_after_seconds

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_zone_less_http_date_is_read_as_utc() -> None:
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:07", NOW) == 7.0
    assert retry_after_seconds("Thu, 01 Jan 2026 00:00:05 -0000", NOW) == 5.0


def test_delta_seconds_dates_and_garbage() -> None:
    assert retry_after_seconds(" 3 ", NOW) == 3.0
    assert retry_after_seconds("-4", NOW) == 0.0
    assert retry_after_seconds("Thu, 01 Jan 2026 01:00:00 +0100", NOW) == 0.0
    assert retry_after_seconds("Wed, 31 Dec 2025 23:59:00 GMT", NOW) == 0.0
    assert retry_after_seconds("", NOW) is None
    assert retry_after_seconds("later", NOW) is None
