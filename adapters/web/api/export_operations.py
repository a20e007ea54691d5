"""The export operations of the REST API, bound to their handlers."""

from __future__ import annotations

from adapters.web.api import paths
from adapters.web.api.export_handlers import ExportsApi
from adapters.web.api.export_schemas import AttendanceCsvQuery
from adapters.web.api.operations import Operation

TAG = "exports"


def export_operations(api: ExportsApi) -> list[Operation]:
    """Every export operation, in the order of `paths.EXPORT_ROUTES`."""
    return [
        Operation(
            paths.ATTENDANCE_CSV,
            "Attendance as CSV (one row per member × ended session; columns in "
            "docs/training-record.md), streamed. Members: only their own record.",
            api.attendance_csv,
            None,
            query=AttendanceCsvQuery,
            errors=(400, 401, 403, 422, 503),
            tag=TAG,
            media_type="text/csv",
            error_texts=(
                (400, "A filter that can't be read (error.hint says what to send)."),
                (403, "A member's token asked for someone else's record."),
                (422, "The date range ends before it starts."),
            ),
        ),
    ]
