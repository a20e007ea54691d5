"""The audit log: every admin and instructor action, who did it, when, from where, and
what changed (before → after). Append-only: stores add and read entries, and drop those
past the retention; nothing else ever changes one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator

from core.model import Model, ensure_utc


@dataclass(frozen=True)
class AuditRules:
    """The association's audit settings (`DOJOBOT_AUDIT__…`)."""

    kept_for: timedelta = timedelta(days=730)
    """Entries older than this are dropped by the daily clean-up."""


class AuditAction(StrEnum):
    SCHEDULE = "schedule"
    UPDATE = "update"
    CAPACITY = "capacity"
    CANCEL = "cancel"
    START = "start"
    END = "end"
    ATTENDANCE = "attendance"
    PROMOTION = "promotion"
    PROMOTION_CORRECTED = "promotion_corrected"
    WAIVER = "waiver"
    LINK = "link"
    UNLINK = "unlink"
    FORGET = "forget"


class AuditEntry(Model):
    """One recorded action. `target` names what it acted on (a session id, a member id);
    `before`/`after` hold only the fields that changed (JSON values)."""

    id: str
    at: datetime
    actor_id: str
    actor_name: str
    front_end: str
    """Where it came from ("slack", "discord", "terminal", "api", "clock", …)."""
    action: AuditAction
    target: str
    before: dict[str, Any] = Field(default_factory=dict)
    after: dict[str, Any] = Field(default_factory=dict)

    @field_validator("at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return ensure_utc(value)


class AuditQuery(Model):
    """Which entries to read, newest first (every given filter applies; None: any).

    `since` inclusive, `until` exclusive, on `at`; `before_id` continues a page (entries
    strictly older than that entry, in the order (at, id) descending); `limit` per page.
    """

    actor_id: str | None = None
    action: AuditAction | None = None
    target: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    before_id: str | None = None
    limit: int = Field(default=20, ge=1, le=1000)

    @field_validator("since", "until")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else ensure_utc(value)
