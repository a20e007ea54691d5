"""Values of the audit log as JSON: what `before`/`after` hold, and their stored text.

Every store keeps `before`/`after` as the same canonical JSON text (sorted keys, compact),
so dumps of any two stores are equal.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any

from pydantic import BaseModel


def json_value(value: Any) -> Any:
    """`value` as a plain JSON value: instants as ISO-8601 UTC (`…Z`), dates and times ISO, enums
    their value, durations whole minutes, sets sorted lists, models their JSON dump."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return int(value.total_seconds() // 60)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, (set, frozenset)):
        return sorted(json_value(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return value


def changed(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields whose JSON values differ: (before, after)."""
    before = {
        k: json_value(old.get(k)) for k in new if json_value(old.get(k)) != json_value(new[k])
    }
    return before, {k: json_value(new[k]) for k in before}


def to_text(values: dict[str, Any]) -> str:
    """The stored text of `before`/`after`: canonical JSON (sorted keys, compact, UTF-8)."""
    return json.dumps(json_value(values), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def from_text(text: str) -> dict[str, Any]:
    """The inverse of `to_text` (a JSON object; anything else is refused)."""
    values = json.loads(text)
    if not isinstance(values, dict):
        raise ValueError("before/after must be a JSON object")
    return values
