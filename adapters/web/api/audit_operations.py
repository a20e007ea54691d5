"""The audit-log operations of the REST API, bound to their handlers."""

from __future__ import annotations

from adapters.web.api import paths
from adapters.web.api.audit_handlers import AuditApi
from adapters.web.api.audit_schemas import AuditFilter, AuditPageOut, AuditPageQuery
from adapters.web.api.operations import Operation

TAG = "audit"
_FORBIDDEN = (403, "The token is not an admin's: the audit log is for admins.")
_BAD = (400, "A filter that can't be read (error.hint says what to send).")
_RANGE = (422, "The range ends before it starts (to is before from).")


def audit_operations(api: AuditApi) -> list[Operation]:
    """Every audit operation, in the order of `paths.AUDIT_ROUTES`."""
    return [
        Operation(
            paths.AUDIT_LOG,
            "The audit log, newest first: who did what, when, from which front end, and "
            "what changed (before → after). Admins only. Continue with before=<next>.",
            api.list_audit,
            AuditPageOut,
            query=AuditPageQuery,
            errors=(400, 401, 403, 422, 503),
            tag=TAG,
            error_texts=(_BAD, _FORBIDDEN, _RANGE),
        ),
        Operation(
            paths.AUDIT_CSV,
            "The audit log as CSV (columns in docs/training-record.md), streamed. Admins only.",
            api.audit_csv,
            None,
            query=AuditFilter,
            errors=(400, 401, 403, 422, 503),
            tag=TAG,
            media_type="text/csv",
            error_texts=(_BAD, _FORBIDDEN, _RANGE),
        ),
    ]
