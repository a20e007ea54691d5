"""The REST API's CSV exports: `GET /api/attendance.csv`, streamed.

The rows are written as the store yields them, a few hundred at a time
(`core.attendance_csv`): memory stays flat however large the export. The rules are the
core's (`training_entries`): they are checked before the response starts, so a refusal is
still a JSON error; a failure after the first bytes can only cut the stream short (the
chunked encoding then ends without its last chunk, which clients report as an error).
"""

from __future__ import annotations

from aiohttp import web

from adapters.web.api.csv_responses import read_filters, stream_csv
from adapters.web.api.export_schemas import AttendanceCsvQuery
from adapters.web.api.handlers import SessionsApi
from core.attendance_csv import CONTENT_TYPE
from core.errors import InvalidInput, PermissionDenied
from core.export_commands import ExportAttendance

FILTER_HINT = (
    "Filter with session=<id>, class=<class-id>, member=<member-id>, from=YYYY-MM-DD, "
    "to=YYYY-MM-DD, e.g. GET /api/attendance.csv?class=c-7&from=2026-01-01&to=2026-03-31."
)
OWN_HINT = "A member's token exports only their own record: leave member= out."


class ExportsApi:
    """Handlers of the CSV exports."""

    def __init__(self, sessions: SessionsApi) -> None:
        self.sessions = sessions

    async def attendance_csv(self, request: web.Request) -> web.StreamResponse:
        """The attendance CSV for the token's member (docs/training-record.md, "Exports")."""
        actor = await self.sessions.member(request)
        filters = read_filters(request, AttendanceCsvQuery, FILTER_HINT)
        if filters.from_ and filters.to and filters.to < filters.from_:
            raise InvalidInput("The range ends before it starts (to is before from).", FILTER_HINT)
        service = self.sessions.service
        command = ExportAttendance(
            session_id=filters.session,
            series_id=filters.class_,
            member_id=filters.member,
            first_day=filters.from_,
            last_day=filters.to,
        )
        query = service.attendance_query(actor, command)
        try:
            chunks = await service.attendance_chunks(actor, query)
        except PermissionDenied as error:
            raise PermissionDenied(error.message, OWN_HINT) from error
        filename = service.attendance_filename(query)
        return await stream_csv(request, chunks, filename, CONTENT_TYPE, "attendance export stream")
