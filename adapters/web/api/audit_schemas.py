"""The REST API's audit log (`GET /api/audit`, `GET /api/audit.csv`): query and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from adapters.web.api.schemas import MEMBER_PATH_PATTERN, Day
from core.audit import AuditAction, AuditEntry

AUDIT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$"
MAX_PAGE = 100


class AuditFilter(BaseModel):
    """Filters of the audit log; every one given applies (none: every entry)."""

    model_config = ConfigDict(extra="forbid")

    actor: str | None = Field(None, pattern=MEMBER_PATH_PATTERN, description="Who acted.")
    action: AuditAction | None = Field(None, description="What was done.")
    target: str | None = Field(
        None, pattern=AUDIT_ID_PATTERN, description="What it acted on (a session id, …)."
    )
    from_: Day | None = Field(
        None, alias="from", description="From this day on (YYYY-MM-DD, the token's zone)."
    )
    to: Day | None = Field(None, description="Up to and including this day (YYYY-MM-DD).")


class AuditPageQuery(AuditFilter):
    """A page of the audit log, newest first."""

    before: str | None = Field(
        None,
        pattern=AUDIT_ID_PATTERN,
        description="Continue after this entry: the previous page's `next`.",
    )
    limit: int = Field(50, ge=1, le=MAX_PAGE, description="Entries per page (1–100).")


class AuditEntryOut(BaseModel):
    """One recorded action: who, when, from which front end, what changed."""

    id: str
    at: datetime
    actor_id: str
    actor_name: str
    front_end: str
    action: AuditAction
    target: str
    before: dict[str, Any]
    after: dict[str, Any]

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls.model_validate(entry.model_dump())


class AuditPageOut(BaseModel):
    """Entries newest first; `next` (None: the last page) continues with `before=`."""

    entries: list[AuditEntryOut]
    next: str | None
