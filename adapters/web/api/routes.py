"""The operations of the REST API, bound to their handlers."""

from __future__ import annotations

from adapters.web.api import paths
from adapters.web.api.handlers import SessionsApi
from adapters.web.api.operations import Operation
from adapters.web.api.schemas import (
    CancelQuery,
    CanJoinOut,
    EventOut,
    SessionCreate,
    SessionDetailOut,
    SessionListQuery,
    SessionPage,
    SessionUpdate,
)


def session_operations(api: SessionsApi) -> list[Operation]:
    """Every authenticated operation; the OpenAPI document's own route is added by RestApi."""
    return [
        Operation(
            paths.CREATE_SESSION,
            "Schedule a session (instructor or admin); the caller is its instructor.",
            api.create,
            SessionDetailOut,
            status=201,
            body=SessionCreate,
            errors=(400, 401, 403, 404, 422, 503),
        ),
        Operation(
            paths.LIST_SESSIONS,
            "List sessions: filters, limit/offset paging, sort by start_time.",
            api.list_sessions,
            SessionPage,
            query=SessionListQuery,
            errors=(401, 422, 503),
        ),
        Operation(
            paths.GET_SESSION,
            "One session with its seat counts.",
            api.get,
            SessionDetailOut,
            errors=(401, 404, 503),
        ),
        Operation(
            paths.UPDATE_SESSION,
            "Change a session (its instructor or an admin); only the fields given change.",
            api.update,
            SessionDetailOut,
            body=SessionUpdate,
            errors=(400, 401, 403, 404, 409, 422, 503),
        ),
        Operation(
            paths.CANCEL_SESSION,
            "Cancel a session (its instructor or an admin); members are told.",
            api.cancel,
            SessionDetailOut,
            query=CancelQuery,
            errors=(401, 403, 404, 409, 422, 503),
        ),
        Operation(
            paths.START_SESSION,
            "Go live (the session's own instructor, from 10 minutes before start_time).",
            api.start,
            SessionDetailOut,
            errors=(401, 403, 404, 409, 503),
        ),
        Operation(
            paths.END_SESSION,
            "End a live session (its own instructor).",
            api.end,
            SessionDetailOut,
            errors=(401, 403, 404, 409, 503),
        ),
        Operation(
            paths.CAN_JOIN_SESSION,
            "Whether the caller may join the session's room right now, and why not.",
            api.can_join,
            CanJoinOut,
            errors=(401, 404, 503),
        ),
        Operation(
            paths.GET_EVENT,
            "An event with its training_sessions, soonest first.",
            api.event,
            EventOut,
            errors=(401, 404, 503),
            tag="events",
        ),
    ]
