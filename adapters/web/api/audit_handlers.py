"""The REST API's audit log: `GET /api/audit` (cursor pages) and `GET /api/audit.csv`
(streamed). Admin tokens only: the core refuses everyone else (403) before anything is
read; the CSV's rules are checked before the response starts."""

from __future__ import annotations

import logging
from typing import TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from adapters.web.api.audit_schemas import AuditEntryOut, AuditFilter, AuditPageOut, AuditPageQuery
from adapters.web.api.export_handlers import BadFilter
from adapters.web.api.handlers import SessionsApi, json_response
from core.audit_commands import ShowAudit
from core.errors import InvalidInput, PermissionDenied
from core.failures import report_failure

log = logging.getLogger(__name__)
Q = TypeVar("Q", bound=BaseModel)

FILTER_HINT = (
    "Filter with actor=<member-id>, action=<name>, target=<id>, from=YYYY-MM-DD, "
    "to=YYYY-MM-DD, before=<next of the previous page>, limit=1…100, "
    "e.g. GET /api/audit?target=s-42&action=capacity."
)
ADMIN_HINT = "The audit log is for admins: use an admin's token."
CSV_TYPE = "text/csv; charset=utf-8"


def _command(filters: AuditFilter, before: str | None = None) -> ShowAudit:
    if filters.from_ and filters.to and filters.to < filters.from_:
        raise InvalidInput(  # a rule the schema can't state: 422, like the core's own
            "The range ends before it starts (to is before from).", FILTER_HINT
        )
    return ShowAudit(
        actor_id=filters.actor,
        action=filters.action,
        target=filters.target,
        since=filters.from_,
        until=filters.to,
        before_id=before,
    )


class AuditApi:
    """Handlers of the audit log."""

    def __init__(self, sessions: SessionsApi) -> None:
        self.sessions = sessions

    async def list_audit(self, request: web.Request) -> web.Response:
        """One page of entries, newest first, and the cursor of the next."""
        actor = await self.sessions.member(request)
        query_in = _read(request, AuditPageQuery)
        service = self.sessions.service
        query = service.audit_query(actor, _command(query_in, query_in.before), query_in.limit + 1)
        try:
            entries = await service.audit_entries(actor, query)
        except PermissionDenied as error:
            raise PermissionDenied(error.message, ADMIN_HINT) from error
        shown = entries[: query_in.limit]
        more = len(entries) > query_in.limit
        return json_response(
            AuditPageOut(
                entries=[AuditEntryOut.of(e) for e in shown],
                next=shown[-1].id if more else None,
            )
        )

    async def audit_csv(self, request: web.Request) -> web.StreamResponse:
        """Every selected entry as CSV (columns in docs/training-record.md), streamed."""
        actor = await self.sessions.member(request)
        filters = _read(request, AuditFilter)
        service = self.sessions.service
        query = service.audit_query(actor, _command(filters))
        try:
            chunks = await service.audit_chunks(actor, query)
        except PermissionDenied as error:
            raise PermissionDenied(error.message, ADMIN_HINT) from error
        response = web.StreamResponse(
            headers={
                "Content-Type": CSV_TYPE,
                "Content-Disposition": 'attachment; filename="audit.csv"',
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
            report_failure(log, "audit export stream")
            response.force_close()
            return response  # no last chunk: the client sees the export as cut short
        await response.write_eof()
        return response


def _read(request: web.Request, model: type[Q]) -> Q:
    """The query string as `model`; anything unreadable is a 400 saying what to send."""
    data: dict[str, object] = {}
    for key in dict.fromkeys(request.query.keys()):
        values = request.query.getall(key)
        data[key] = values if len(values) > 1 else values[0]
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False, include_context=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "query"
        raise BadFilter(f"Bad filter {where}: {first['msg']}.", FILTER_HINT) from None
