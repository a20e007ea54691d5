"""The query of the REST API's attendance export (`GET /api/attendance.csv`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from adapters.web.api.schemas import ID_PATTERN, MEMBER_PATH_PATTERN, Day


class AttendanceCsvQuery(BaseModel):
    """Filters of the attendance export; every one given applies (none: all you may read)."""

    model_config = ConfigDict(extra="forbid")

    session: str | None = Field(None, pattern=ID_PATTERN, description="Only this session.")
    class_: str | None = Field(
        None, alias="class", pattern=ID_PATTERN, description="Only this weekly class (series id)."
    )
    member: str | None = Field(
        None,
        pattern=MEMBER_PATH_PATTERN,
        description="Only this member (instructors, admins); members get only their own.",
    )
    from_: Day | None = Field(
        None, alias="from", description="From this day on (YYYY-MM-DD, the association's zone)."
    )
    to: Day | None = Field(None, description="Up to and including this day (YYYY-MM-DD).")
