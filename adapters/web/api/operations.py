"""The operations of the REST API: each route of `paths.ROUTES` with its handler and schemas.

The aiohttp routes and the OpenAPI document are both generated from `Operation`s, so the
document cannot drift from what is served.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from adapters.web.api.paths import Handler, Route


@dataclass(frozen=True)
class Operation:
    """One method on one path, with what it reads, what it answers and who may call it."""

    route: Route
    summary: str
    handler: Handler
    response: type[BaseModel] | None
    """The success body; None means a free-form JSON object."""
    status: int = 200
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    errors: tuple[int, ...] = ()
    public: bool = False
    """No bearer token needed."""
    tag: str = "training sessions"
    media_type: str = "application/json"
    """The success body's type; not JSON (e.g. `text/csv`): a streamed file download."""
    error_texts: tuple[tuple[int, str], ...] = ()
    """Descriptions of this operation's error statuses where the general ones don't fit."""

    @property
    def method(self) -> str:
        return self.route.method

    @property
    def path(self) -> str:
        """Full path with `{name}` placeholders, e.g. /api/training/sessions/{session_id}."""
        return self.route.path

    @property
    def operation_id(self) -> str:
        return self.route.operation_id

    @property
    def route_path(self) -> str:
        """The path inside the API's sub-application (without the /api prefix)."""
        return self.route.route_path

    @property
    def path_params(self) -> list[str]:
        """Names of the `{placeholders}` in the path, in order."""
        return self.route.path_params
