"""The audit-log settings (`DOJOBOT_AUDIT__…`), turned into the core's `AuditRules`."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, field_validator

from bot.duration_setting import duration_setting
from core.audit import AuditRules

MIN_KEPT_FOR = timedelta(days=30)
"""The shortest retention allowed: an audit log that forgets within days audits nothing."""


class AuditSettings(BaseModel):
    """How long the audit log keeps its entries (`docs/training-record.md`, "Audit log")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kept_for: timedelta = AuditRules().kept_for
    """Entries older than this are dropped by the daily clean-up: `730d` (the default, two
    years), `365d`, ISO 8601 `P400D`; at least 30 days."""

    @field_validator("kept_for", mode="before")
    @classmethod
    def _duration(cls, value: object) -> object:
        return duration_setting(value)

    @field_validator("kept_for")
    @classmethod
    def _long_enough(cls, value: timedelta) -> timedelta:
        if value < MIN_KEPT_FOR:
            raise ValueError(f"must be at least 30d (e.g. 730d for two years), not {value}")
        return value

    def rules(self) -> AuditRules:
        """The core's audit rules."""
        return AuditRules(kept_for=self.kept_for)
