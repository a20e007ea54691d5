"""The export command of the shared grammar (`core.export_grammar`).

/export-attendance [session <id>] [class <series-id>] [member <member-id>]
                   [from YYYY-MM-DD] [to YYYY-MM-DD]
    the attendance CSV, sent to you privately (members: their own record)
"""

from __future__ import annotations

from datetime import date

from core.model import Model


class ExportAttendance(Model):
    """Every given filter applies; `first_day`/`last_day` are inclusive dates in the
    association's time zone."""

    session_id: str | None = None
    series_id: str | None = None
    member_id: str | None = None
    first_day: date | None = None
    last_day: date | None = None


ExportCommand = ExportAttendance
