"""RestApi: the REST API as an aiohttp sub-application mounted at /api."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import SecretStr

from adapters.web.api.audit_handlers import AuditApi
from adapters.web.api.audit_operations import audit_operations
from adapters.web.api.auth import BearerAuth
from adapters.web.api.errors import json_errors
from adapters.web.api.export_handlers import ExportsApi
from adapters.web.api.export_operations import export_operations
from adapters.web.api.handlers import SessionsApi
from adapters.web.api.member_handlers import MembersApi
from adapters.web.api.member_operations import member_operations
from adapters.web.api.openapi import openapi_document
from adapters.web.api.operations import Operation
from adapters.web.api.paths import (
    OPENAPI_DOCUMENT,
    PREFIX,
    ROUTES,
    Handler,
    Route,
    routes_application,
)
from adapters.web.api.routes import session_operations
from adapters.web.api.series_handlers import SeriesApi
from adapters.web.api.series_operations import series_operations
from adapters.web.api.training_handlers import TrainingApi
from adapters.web.api.training_operations import training_operations
from core.clock import Clock
from core.service import SessionService


class RestApi:
    """The training-session API for the association's website.

    Without a JWT secret the routes still exist but answer 503 with a JSON error saying how
    to enable the API; the OpenAPI document is always served.
    """

    def __init__(self, service: SessionService, clock: Clock, secret: SecretStr | None) -> None:
        auth = BearerAuth(secret, clock) if secret is not None else None
        self.sessions = SessionsApi(service, auth)
        self.operations: list[Operation] = [
            *session_operations(self.sessions),
            *series_operations(SeriesApi(self.sessions)),
            *member_operations(MembersApi(self.sessions)),
            *export_operations(ExportsApi(self.sessions)),
            *audit_operations(AuditApi(self.sessions)),
            *training_operations(TrainingApi(self.sessions)),
            Operation(
                OPENAPI_DOCUMENT,
                "This OpenAPI document.",
                self._openapi,
                None,
                public=True,
                tag="meta",
            ),
        ]
        if [op.route for op in self.operations] != list(ROUTES):
            raise RuntimeError("the REST API's operations must be paths.ROUTES, in order")
        self.handlers: dict[Route, Handler] = {op.route: op.handler for op in self.operations}
        self.document: dict[str, Any] = openapi_document(self.operations)

    @property
    def enabled(self) -> bool:
        return self.sessions.auth is not None

    def application(self) -> web.Application:
        """A sub-application with every operation and JSON errors (also for its 404/405)."""
        return routes_application(self.handlers.__getitem__, json_errors)

    def mount(self, app: web.Application) -> None:
        """Add the API under /api to the shared server's application."""
        app.add_subapp(PREFIX, self.application())

    async def _openapi(self, _request: web.Request) -> web.Response:
        return web.json_response(self.document)
