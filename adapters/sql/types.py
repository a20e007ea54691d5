"""Column types shared by every dialect."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from core.model import ensure_utc


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns aware UTC datetimes.

    Naive values are refused. SQLite keeps no offset, so values are written there as naive
    UTC (fixed-width text, which still sorts and compares correctly) and read back as UTC;
    dialects with a real `timestamp with time zone` receive them aware.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        utc = ensure_utc(value)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {value!r}")
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class JSONB(JSON):
    """PostgreSQL's `JSONB` column type, for `JSON().with_variant(JSONB(), "postgresql")`.

    Declared here instead of imported from `sqlalchemy.dialects.postgresql`, so that a process
    on SQLite never loads the PostgreSQL dialect (about 2 MiB and 25 ms at start). The DDL
    says `JSONB` (`__visit_name__`); values are bound and read as by SQLAlchemy's own JSONB,
    which adds only containment operators (unused here) to PostgreSQL's JSON type.
    """

    __visit_name__ = "JSONB"
