"""Durations in the association's settings, written like the commands' (`2h`, `15m`,
`1h30m`, `30d`) or in ISO 8601 (`PT2H`); `0` is zero (a setting may refuse it)."""

from __future__ import annotations

from datetime import timedelta


def duration_setting(value: object) -> object:
    """`value` as a duration when it is a duration written in words, else unchanged for
    pydantic to read (ISO 8601, whole seconds, a timedelta). A `field_validator(mode="before")`
    body; any other text is refused saying what to write."""
    from core.errors import InvalidInput
    from core.timeparse import is_duration, parse_duration

    if isinstance(value, str) and value.strip() == "0":
        return timedelta(0)
    if not isinstance(value, str):
        return value
    if is_duration(value):
        try:
            return parse_duration(value)
        except InvalidInput as error:
            raise ValueError(error.user_text()) from None
    if not value.strip().upper().startswith("P") and not value.strip().isdigit():
        raise ValueError(f"{value[:40]!r} is not a duration: write e.g. 2h, 15m or 1h30m")
    return value
