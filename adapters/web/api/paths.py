"""Where each REST API operation is served: method, path and operation id, nothing else.

The routes are mounted at start from this table alone (no pydantic models, no OpenAPI
document); `routes.py` gives each route its handler and schemas when the API is built.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Middleware

PREFIX = "/api"
SESSIONS = PREFIX + "/training/sessions"
ONE = SESSIONS + "/{session_id}"
OPENAPI_PATH = PREFIX + "/openapi.json"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Route:
    """One method on one path, named by its OpenAPI operation id."""

    method: str
    path: str
    """Full path with `{name}` placeholders, e.g. /api/training/sessions/{session_id}."""
    operation_id: str

    @property
    def route_path(self) -> str:
        """The path inside the API's sub-application (without the /api prefix)."""
        return self.path.removeprefix(PREFIX)

    @property
    def path_params(self) -> list[str]:
        """Names of the `{placeholders}` in the path, in order."""
        return [part[1:-1] for part in self.path.split("/") if part.startswith("{")]


CREATE_SESSION = Route("POST", SESSIONS, "createSession")
LIST_SESSIONS = Route("GET", SESSIONS, "listSessions")
GET_SESSION = Route("GET", ONE, "getSession")
UPDATE_SESSION = Route("PATCH", ONE, "updateSession")
CANCEL_SESSION = Route("DELETE", ONE, "cancelSession")
START_SESSION = Route("POST", ONE + "/start", "startSession")
END_SESSION = Route("POST", ONE + "/end", "endSession")
CAN_JOIN_SESSION = Route("GET", ONE + "/can-join", "canJoinSession")
GET_EVENT = Route("GET", PREFIX + "/events/{event_id}", "getEvent")
OPENAPI_DOCUMENT = Route("GET", OPENAPI_PATH, "getOpenApiDocument")

SERIES = PREFIX + "/training/series"
ONE_SERIES = SERIES + "/{series_id}"
PREVIEW_SERIES = Route("POST", SERIES + "-preview", "previewSeries")
"""Not …/series/preview: that path would also match …/series/{series_id} (its Allow header)."""
CREATE_SERIES = Route("POST", SERIES, "createSeries")
LIST_SERIES = Route("GET", SERIES, "listSeries")
GET_SERIES = Route("GET", ONE_SERIES, "getSeries")
UPDATE_SERIES = Route("PATCH", ONE_SERIES, "updateSeries")
END_SERIES = Route("DELETE", ONE_SERIES, "endSeries")
SKIP_SERIES_DAY = Route("POST", ONE_SERIES + "/skips", "skipSeriesDay")
STAND_SERIES = Route("PUT", ONE_SERIES + "/standing-rsvp", "standSeries")
DROP_STANDING_SERIES = Route("DELETE", ONE_SERIES + "/standing-rsvp", "dropStandingSeries")
SERIES_ROUTES: tuple[Route, ...] = (
    PREVIEW_SERIES,
    CREATE_SERIES,
    LIST_SERIES,
    GET_SERIES,
    UPDATE_SERIES,
    END_SERIES,
    SKIP_SERIES_DAY,
    STAND_SERIES,
    DROP_STANDING_SERIES,
)
"""Weekly classes (`series_operations`)."""

ME = PREFIX + "/me"
ONE_MEMBER = PREFIX + "/members/{member_id}"
GET_ME = Route("GET", ME, "getMe")
SET_MY_REMINDERS = Route("PUT", ME + "/reminders", "setMyReminders")
CREATE_LINK_CODE = Route("POST", ME + "/link-code", "createLinkCode")
LINK_ACCOUNT = Route("POST", ME + "/link", "linkAccount")
UNLINK_ACCOUNT = Route("DELETE", ME + "/link", "unlinkAccount")
FORGET_ME = Route("POST", ME + "/forget", "forgetMe")
CONFIRM_FORGET_ME = Route("POST", ME + "/forget/confirm", "confirmForgetMe")
FORGET_MEMBER = Route("POST", ONE_MEMBER + "/forget", "forgetMember")
CONFIRM_FORGET_MEMBER = Route("POST", ONE_MEMBER + "/forget/confirm", "confirmForgetMember")
MEMBER_ROUTES: tuple[Route, ...] = (
    GET_ME,
    SET_MY_REMINDERS,
    CREATE_LINK_CODE,
    LINK_ACCOUNT,
    UNLINK_ACCOUNT,
    FORGET_ME,
    CONFIRM_FORGET_ME,
    FORGET_MEMBER,
    CONFIRM_FORGET_MEMBER,
)
"""The caller's profile, reminders, linked accounts and forget-me (`member_operations`)."""

ATTENDANCE_CSV = Route("GET", PREFIX + "/attendance.csv", "exportAttendanceCsv")
EXPORT_ROUTES: tuple[Route, ...] = (ATTENDANCE_CSV,)
"""CSV exports, streamed (`export_operations`)."""

AUDIT_LOG = Route("GET", PREFIX + "/audit", "listAudit")
AUDIT_CSV = Route("GET", PREFIX + "/audit.csv", "exportAuditCsv")
AUDIT_ROUTES: tuple[Route, ...] = (AUDIT_LOG, AUDIT_CSV)
"""The audit log, admins only (`audit_operations`)."""

MEMBER_TRAINING = Route("GET", ONE_MEMBER + "/training", "listMemberTraining")
MEMBER_PROGRESS = Route("GET", ONE_MEMBER + "/progress", "getMemberProgress")
RECORD_PROMOTION = Route("POST", ONE_MEMBER + "/promotions", "recordPromotion")
SET_ATTENDANCE = Route("PUT", ONE + "/attendance/{member_id}", "setAttendance")
NEW_CALENDAR_FEED = Route("POST", ME + "/calendar-feed", "newCalendarFeed")
REVOKE_CALENDAR_FEED = Route("DELETE", ME + "/calendar-feed", "revokeCalendarFeed")
TRAINING_ROUTES: tuple[Route, ...] = (
    MEMBER_TRAINING,
    MEMBER_PROGRESS,
    RECORD_PROMOTION,
    SET_ATTENDANCE,
    NEW_CALENDAR_FEED,
    REVOKE_CALENDAR_FEED,
)
"""The training record: ledger, rank progress, promotions, verdicts, the personal calendar
feed (`training_operations`)."""

ROUTES: tuple[Route, ...] = (
    CREATE_SESSION,
    LIST_SESSIONS,
    GET_SESSION,
    UPDATE_SESSION,
    CANCEL_SESSION,
    START_SESSION,
    END_SESSION,
    CAN_JOIN_SESSION,
    GET_EVENT,
    *SERIES_ROUTES,
    *MEMBER_ROUTES,
    *EXPORT_ROUTES,
    *AUDIT_ROUTES,
    *TRAINING_ROUTES,
    OPENAPI_DOCUMENT,
)
"""Every route the API serves, in the order they are added to the router."""


def routes_application(
    handler_for: Callable[[Route], Handler], errors: Middleware
) -> web.Application:
    """The API's sub-application: every route of `ROUTES` with its handler, and `errors` as
    middleware (it also answers the sub-application's own 404/405)."""
    api = web.Application(middlewares=[errors])
    for route in ROUTES:
        api.router.add_route(
            route.method, route.route_path, handler_for(route), name=route.operation_id
        )
    return api
