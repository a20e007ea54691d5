"""Errors as JSON with one stable shape: `{"error": {"code", "message", "hint", "details"}}`.

Core errors map to status codes by kind; pydantic validation errors become 422 with field
details; aiohttp's own 404/405 keep their status (and Allow header); anything unexpected is
logged and answered 500 without internals.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ValidationError

from adapters.web.api.hints import api_hint
from adapters.web.failures import loggable_path
from core.errors import (
    DeliveryRefused,
    DojoError,
    InvalidInput,
    InvalidState,
    NotFound,
    PermissionDenied,
    RoomUnavailable,
)
from core.failures import failure_text, report_failure

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Unauthorized(DojoError):
    """No bearer token, or one that is invalid or expired (401)."""

    code = "unauthorized"


class ApiDisabled(DojoError):
    """The API has no JWT secret configured (503)."""

    code = "api_disabled"


class FieldError(BaseModel):
    """One invalid field: where (`loc`, e.g. ["body", "capacity"]), what, and its error type."""

    loc: list[str | int]
    message: str
    type: str


class ErrorBody(BaseModel):
    code: str
    message: str
    hint: str | None = None
    details: list[FieldError] | None = None


class ErrorResponse(BaseModel):
    """Every error the API answers has this shape."""

    error: ErrorBody


STATUS_BY_ERROR: list[tuple[type[DojoError], int]] = [
    (Unauthorized, 401),
    (PermissionDenied, 403),
    (NotFound, 404),
    (InvalidState, 409),
    (InvalidInput, 422),
    (ApiDisabled, 503),
    (RoomUnavailable, 503),
    (DeliveryRefused, 502),
]
"""First match wins; any other DojoError is a 400."""

VALIDATION_HINT = "Fix the fields listed in details; the OpenAPI document is at /api/openapi.json."


def status_of(error: DojoError) -> int:
    """The HTTP status of a core (or API) error."""
    for kind, status in STATUS_BY_ERROR:
        if isinstance(error, kind):
            return status
    return 400


def error_response(
    status: int,
    code: str,
    message: str,
    hint: str | None = None,
    details: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    """A JSON error response of the stable shape."""
    body = ErrorResponse(error=ErrorBody(code=code, message=message, hint=hint, details=details))
    return web.Response(
        status=status,
        text=body.model_dump_json(),
        content_type="application/json",
        headers=headers,
    )


def field_errors(error: ValidationError, where: str) -> list[FieldError]:
    """Pydantic's errors as FieldErrors located in `where` (body, query, path)."""
    return [
        FieldError(loc=[where, *e["loc"]], message=e["msg"], type=e["type"])
        for e in error.errors(include_url=False, include_context=False, include_input=False)
    ]


class RequestInvalid(Exception):
    """Request data failed validation; carries its field errors (422)."""

    def __init__(self, details: list[FieldError]) -> None:
        super().__init__("request invalid")
        self.details = details


class BodyNotJson(Exception):
    """The request body is not a JSON object (400)."""


def from_dojo_error(error: DojoError) -> web.Response:
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthorized) else None
    hint = api_hint(error)
    return error_response(status_of(error), error.code, error.message, hint, None, headers)


def from_http_exception(error: web.HTTPException) -> web.Response:
    """aiohttp's own 404/405/413… as JSON, keeping their headers (e.g. Allow)."""
    codes = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}
    headers: dict[str, Any] = {
        k: v
        for k, v in error.headers.items()
        if k.lower() not in ("content-type", "content-length")
    }
    hint = None
    if error.status == 404:
        hint = "See /api/openapi.json for the routes."
    elif error.status == 405:
        hint = f"Allowed: {headers.get('Allow', '')}."
    return error_response(
        error.status, codes.get(error.status, "http_error"), error.reason, hint, None, headers
    )


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Render every failure of an API request as a JSON error; never leak internals."""
    try:
        return await handler(request)
    except DojoError as error:
        return from_dojo_error(error)
    except RequestInvalid as error:
        return error_response(
            422, "invalid_input", "The request is invalid.", VALIDATION_HINT, error.details
        )
    except BodyNotJson as error:
        return error_response(400, "bad_request", str(error), "Send a JSON object body.")
    except ValidationError as error:
        return error_response(
            422,
            "invalid_input",
            "The request is invalid.",
            VALIDATION_HINT,
            field_errors(error, "body"),
        )
    except web.HTTPException as error:
        if error.status < 400:
            raise
        return from_http_exception(error)
    except Exception:
        ref = report_failure(log, f"API request {request.method} {loggable_path(request)}")
        return error_response(500, "internal_error", failure_text(ref))
