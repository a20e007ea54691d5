"""The REST API's handlers: authenticate, read the request, call the core, answer JSON.

Every rule (roles, ownership, session state, ranges) is the core's; handlers only translate.
The role check of core's permission table runs before the body is read, so a caller whose
role may never do something gets 403 rather than a validation error.
"""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel

from adapters.web.api.auth import BearerAuth
from adapters.web.api.errors import ApiDisabled
from adapters.web.api.requests import event_id, read_body, read_query, session_id
from adapters.web.api.schemas import (
    CancelQuery,
    CanJoinOut,
    EventOut,
    SessionCreate,
    SessionDetailOut,
    SessionListQuery,
    SessionOut,
    SessionPage,
    SessionUpdate,
)
from core.joining import refusal_text
from core.model import Member, SessionFilter
from core.permissions import Action, require
from core.service import SessionService

DISABLED_HINT = "Set DOJOBOT_WEB__API_JWT_SECRET (at least 32 bytes) and restart to enable the API."


def json_response(body: BaseModel, status: int = 200, **headers: str) -> web.Response:
    """`body` serialized by pydantic (datetimes in ISO 8601 UTC)."""
    return web.Response(
        status=status,
        text=body.model_dump_json(),
        content_type="application/json",
        headers=headers or None,
    )


class SessionsApi:
    """Handlers of /api/training/sessions… and /api/events/{event_id}."""

    def __init__(self, service: SessionService, auth: BearerAuth | None) -> None:
        self.service = service
        self.auth = auth

    def actor(self, request: web.Request) -> Member:
        """The member the bearer token names (503 while the API has no secret)."""
        return self._enabled().member(request.headers.get("Authorization"))

    async def member(self, request: web.Request) -> Member:
        """The member the bearer token names, as the core knows them: their profile created
        or refreshed from the token's claims (`identify`), under the profile their account
        is linked into, if any (401 without a valid token, 503 while the API is disabled)."""
        facts, role = self._enabled().facts(request.headers.get("Authorization"))
        return await self.service.identify(facts, role)

    def _enabled(self) -> BearerAuth:
        if self.auth is None:
            raise ApiDisabled(
                "The REST API is disabled: no JWT secret is configured.", DISABLED_HINT
            )
        return self.auth

    async def detail(self, session_id: str) -> SessionDetailOut:
        view = await self.service.view(session_id)
        return SessionDetailOut(
            **SessionOut.of(view.session).model_dump(),
            going_count=len(view.going),
            waitlisted_count=len(view.waitlisted),
        )

    async def create(self, request: web.Request) -> web.Response:
        actor = await self.member(request)
        require(actor, Action.SCHEDULE)
        body = await read_body(request, SessionCreate)
        session = await self.service.schedule(actor, body.command())
        location = f"/api/training/sessions/{session.id}"
        return json_response(await self.detail(session.id), 201, Location=location)

    async def list_sessions(self, request: web.Request) -> web.Response:
        actor = await self.member(request)
        query = read_query(request, SessionListQuery)
        criteria = SessionFilter(
            status=query.status,
            instructor_id=query.instructor_id,
            event_id=query.event_id,
            starts_after=query.starts_after,
            starts_before=query.starts_before,
            limit=query.limit,
            offset=query.offset,
            descending=query.sort == "-start_time",
        )
        sessions, total = await self.service.page_sessions(actor, criteria)
        page = SessionPage(
            items=[SessionOut.of(s) for s in sessions],
            total=total,
            limit=query.limit,
            offset=query.offset,
        )
        return json_response(page)

    async def get(self, request: web.Request) -> web.Response:
        require(await self.member(request), Action.VIEW)
        return json_response(await self.detail(session_id(request)))

    async def update(self, request: web.Request) -> web.Response:
        actor = await self.member(request)
        require(actor, Action.UPDATE)
        sid = session_id(request)
        body = await read_body(request, SessionUpdate)
        session = await self.service.update(actor, body.command(sid))
        return json_response(await self.detail(session.id))

    async def cancel(self, request: web.Request) -> web.Response:
        actor = await self.member(request)
        require(actor, Action.CANCEL)
        sid = session_id(request)
        query = read_query(request, CancelQuery)
        session = await self.service.cancel(actor, sid, query.reason)
        return json_response(await self.detail(session.id))

    async def start(self, request: web.Request) -> web.Response:
        session = await self.service.start(await self.member(request), session_id(request))
        return json_response(await self.detail(session.id))

    async def end(self, request: web.Request) -> web.Response:
        session = await self.service.end(await self.member(request), session_id(request))
        return json_response(await self.detail(session.id))

    async def can_join(self, request: web.Request) -> web.Response:
        actor = await self.member(request)
        session, decision = await self.service.can_join(actor, session_id(request))
        message = refusal_text(session, decision, actor)
        return json_response(CanJoinOut.of(session.id, decision, message))

    async def event(self, request: web.Request) -> web.Response:
        require(await self.member(request), Action.VIEW)
        event, sessions = await self.service.event_detail(event_id(request))
        body = EventOut(
            id=event.id,
            title=event.title,
            description=event.description,
            created_at=event.created_at,
            training_sessions=[SessionOut.of(s) for s in sessions],
        )
        return json_response(body)
