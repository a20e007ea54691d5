"""Reading a request's path ids, query and JSON body into validated models."""

from __future__ import annotations

import json
import re
from typing import TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from adapters.web.api.errors import BodyNotJson, RequestInvalid, field_errors
from adapters.web.api.schemas import ID_PATTERN
from core.errors import NotFound

M = TypeVar("M", bound=BaseModel)

_ID = re.compile(ID_PATTERN)
LIST_HINT = "List sessions with GET /api/training/sessions."
MAX_BODY_BYTES = 256 * 1024
"""The largest request body the API reads (a session is at most a few tens of KB)."""


def session_id(request: web.Request) -> str:
    """The `{session_id}` of the path; ids that cannot exist are NotFound at once."""
    value = request.match_info["session_id"]
    if not _ID.fullmatch(value):
        raise NotFound(f"No session with id “{value[:64]}”.", LIST_HINT)
    return value


def event_id(request: web.Request) -> str:
    """The `{event_id}` of the path; ids that cannot exist are NotFound at once."""
    value = request.match_info["event_id"]
    if not _ID.fullmatch(value):
        raise NotFound(f"No event with id “{value[:64]}”.")
    return value


def read_query(request: web.Request, model: type[M]) -> M:
    """The query string as `model`; list fields take repeated parameters (status=a&status=b)."""
    data: dict[str, object] = {}
    for key in dict.fromkeys(request.query.keys()):
        values = request.query.getall(key)
        field = model.model_fields.get(key)
        is_list = field is not None and "list[" in str(field.annotation)
        data[key] = values if is_list or len(values) > 1 else values[0]
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise RequestInvalid(field_errors(error, "query")) from None


async def read_body(request: web.Request, model: type[M]) -> M:
    """The JSON object body as `model`, with JSON types as documented (the schemas' strict
    integers and booleans).

    413 over `MAX_BODY_BYTES`; 400 when not JSON, nested too deeply or not an object; 422
    when fields are invalid: `true` is no integer and `"5"` no number.
    """
    announced = request.content_length
    if announced is not None and announced > MAX_BODY_BYTES:
        raise web.HTTPRequestEntityTooLarge(MAX_BODY_BYTES, announced)
    raw = await request.read()
    if len(raw) > MAX_BODY_BYTES:
        raise web.HTTPRequestEntityTooLarge(MAX_BODY_BYTES, len(raw))
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise BodyNotJson("The request body is not valid JSON (or is nested too deeply).") from None
    if not isinstance(data, dict):
        raise BodyNotJson("The request body must be a JSON object.")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise RequestInvalid(field_errors(error, "body")) from None
