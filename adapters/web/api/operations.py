"""The route table of the REST API: one entry per operation, the single source of truth.

The aiohttp routes and the OpenAPI document are both generated from `Operation`s, so the
document cannot drift from what is served.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from pydantic import BaseModel

PREFIX = "/api"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Operation:
    """One method on one path, with what it reads, what it answers and who may call it."""

    method: str
    path: str
    """Full path with `{name}` placeholders, e.g. /api/training/sessions/{session_id}."""
    operation_id: str
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

    @property
    def route_path(self) -> str:
        """The path inside the API's sub-application (without the /api prefix)."""
        return self.path.removeprefix(PREFIX)

    @property
    def path_params(self) -> list[str]:
        """Names of the `{placeholders}` in the path, in order."""
        return [part[1:-1] for part in self.path.split("/") if part.startswith("{")]
