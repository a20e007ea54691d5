"""The REST API's CSV exports: `GET /api/attendance.csv`, streamed.

The rows are written as the store yields them, a few hundred at a time
(`core.attendance_csv`): memory stays flat however large the export. The rules are the
core's (`training_entries`): they are checked before the response starts, so a refusal is
still a JSON error; a failure after the first bytes can only cut the stream short (the
chunked encoding then ends without its last chunk, which clients report as an error).
"""

from __future__ import annotations

import logging

from aiohttp import web
from pydantic import ValidationError

from adapters.web.api.export_schemas import AttendanceCsvQuery
from adapters.web.api.handlers import SessionsApi
from core.attendance_csv import CONTENT_TYPE
from core.errors import DojoError, InvalidInput, PermissionDenied
from core.export_commands import ExportAttendance
from core.failures import report_failure

log = logging.getLogger(__name__)

FILTER_HINT = (
    "Filter with session=<id>, class=<class-id>, member=<member-id>, from=YYYY-MM-DD, "
    "to=YYYY-MM-DD, e.g. GET /api/attendance.csv?class=c-7&from=2026-01-01&to=2026-03-31."
)
OWN_HINT = "A member's token exports only their own record: leave member= out."


class BadFilter(DojoError):
    """A filter of an export that can't be read (400, with what to send instead)."""

    code = "bad_filter"


class ExportsApi:
    """Handlers of the CSV exports."""

    def __init__(self, sessions: SessionsApi) -> None:
        self.sessions = sessions

    async def attendance_csv(self, request: web.Request) -> web.StreamResponse:
        """The attendance CSV for the token's member (docs/training-record.md, "Exports")."""
        actor = await self.sessions.member(request)
        filters = _filters(request)
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
        response = web.StreamResponse(
            headers={
                "Content-Type": CONTENT_TYPE,
                "Content-Disposition": (
                    f'attachment; filename="{service.attendance_filename(query)}"'
                ),
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            }
        )
        response.enable_chunked_encoding()
        await response.prepare(request)
        try:
            async for chunk in chunks:
                await response.write(chunk.encode())
        except (ConnectionResetError, OSError):
            raise  # the client went away: nothing to tell it
        except Exception:
            report_failure(log, "attendance export stream")
            response.force_close()
            return response  # no last chunk: the client sees the export as cut short
        await response.write_eof()
        return response


def _filters(request: web.Request) -> AttendanceCsvQuery:
    """The query string as filters; anything unreadable is a 400 saying what to send."""
    data: dict[str, object] = {}
    for key in dict.fromkeys(request.query.keys()):
        values = request.query.getall(key)
        data[key] = values if len(values) > 1 else values[0]
    try:
        return AttendanceCsvQuery.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False, include_context=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "query"
        raise BadFilter(f"Bad filter {where}: {first['msg']}.", FILTER_HINT) from None
