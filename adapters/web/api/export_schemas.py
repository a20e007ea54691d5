"""The query of the REST API's attendance export (`GET /api/attendance.csv`)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from adapters.web.api.schemas import ID_PATTERN, MEMBER_PATH_PATTERN

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    """Only `YYYY-MM-DD` is a day here (pydantic alone would also take `0`, a timestamp)."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("write the day as YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]


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
