"""The REST API's audit log: `GET /api/audit` (cursor pages) and `GET /api/audit.csv`
(streamed). Admin tokens only: the core refuses everyone else (403) before anything is
read; the CSV's rules are checked before the response starts."""

from __future__ import annotations

from aiohttp import web

from adapters.web.api.audit_schemas import AuditEntryOut, AuditFilter, AuditPageOut, AuditPageQuery
from adapters.web.api.csv_responses import read_filters, stream_csv
from adapters.web.api.handlers import SessionsApi, json_response
from core.audit_commands import ShowAudit
from core.errors import InvalidInput, PermissionDenied

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
        query_in = read_filters(request, AuditPageQuery, FILTER_HINT)
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
        filters = read_filters(request, AuditFilter, FILTER_HINT)
        service = self.sessions.service
        query = service.audit_query(actor, _command(filters))
        try:
            chunks = await service.audit_chunks(actor, query)
        except PermissionDenied as error:
            raise PermissionDenied(error.message, ADMIN_HINT) from error
        return await stream_csv(request, chunks, "audit.csv", CSV_TYPE, "audit export stream")
