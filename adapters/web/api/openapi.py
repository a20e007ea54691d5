"""The OpenAPI 3.1 document, generated from the route table and the pydantic models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from adapters.web.api.errors import ErrorResponse
from adapters.web.api.operations import Operation
from adapters.web.api.schemas import ID_PATTERN, PATH_PATTERNS

REF = "#/components/schemas/{model}"

ERROR_TEXT = {
    400: "The body is not a JSON object.",
    401: "Missing, invalid or expired bearer token.",
    403: "The caller's role, or relation to the session, does not allow this.",
    404: "No such session, event or weekly class.",
    409: "The session's state does not allow this (e.g. it has ended).",
    422: "Invalid fields (listed in error.details) or a broken rule (e.g. a past start_time).",
    503: "The API is disabled: no JWT secret is configured.",
}


def openapi_document(operations: list[Operation], version: str = "1.0.0") -> dict[str, Any]:
    """The whole document: one path item per path, one operation per route."""
    keys, defs = _schemas(operations)
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, keys, defs)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "dojobot training sessions API",
            "version": version,
            "description": (
                "Schedule, list and run live training sessions. Authenticate with "
                "`Authorization: Bearer <JWT>` (HS256; claims sub, name, role, tz, exp). "
                'Errors answer `{"error": {"code", "message", "hint", "details"}}`.'
            ),
        },
        "paths": paths,
        "components": {
            "schemas": defs,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
        "security": [{"bearerAuth": []}],
    }


Keys = dict[tuple[Any, JsonSchemaMode], dict[str, Any]]
"""(model, mode) → {"$ref": …} of its component schema."""


def _schemas(operations: list[Operation]) -> tuple[Keys, dict[str, Any]]:
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [(ErrorResponse, "serialization")]
    for op in operations:
        wanted += [(m, "validation") for m in (op.body, op.query) if m is not None]
        if op.response is not None:
            wanted.append((op.response, "serialization"))
    keys, top = models_json_schema(list(dict.fromkeys(wanted)), ref_template=REF)
    return dict(keys), dict(top.get("$defs", {}))


def _operation(op: Operation, keys: Keys, defs: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "operationId": op.operation_id,
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": _path_params(op) + _query_params(op, keys, defs),
        "responses": _responses(op, keys),
    }
    if op.public:
        item["security"] = []
    if op.body is not None:
        item["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": keys[(op.body, "validation")]}},
        }
    return item


def _path_params(op: Operation) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": PATH_PATTERNS.get(name, ID_PATTERN)},
        }
        for name in op.path_params
    ]


def _query_params(op: Operation, keys: Keys, defs: dict[str, Any]) -> list[dict[str, Any]]:
    if op.query is None:
        return []
    model = defs[keys[(op.query, "validation")]["$ref"].rsplit("/", 1)[1]]
    required = set(model.get("required", []))
    params = []
    for name, schema in model["properties"].items():
        param: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": _without_null(schema),
        }
        if "description" in schema:
            param["description"] = schema["description"]
        if param["schema"].get("type") == "array":
            param |= {"style": "form", "explode": True}
        params.append(param)
    return params


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is absent or a value: drop the `null` branch and a null default."""
    schema = {k: v for k, v in schema.items() if k not in ("title", "description")}
    options = [s for s in schema.pop("anyOf", []) if s.get("type") != "null"]
    if len(options) == 1:
        schema |= options[0]
    elif options:
        schema["anyOf"] = options
    if schema.get("default", ...) is None:
        del schema["default"]
    return schema


def _responses(op: Operation, keys: Keys) -> dict[str, Any]:
    success: dict[str, Any] = {"description": "Success."}
    schema = keys[(op.response, "serialization")] if op.response is not None else {"type": "object"}
    success["content"] = {"application/json": {"schema": schema}}
    if op.media_type != "application/json":  # a file download, streamed
        success = {
            "description": "The file, streamed as it is read.",
            "headers": {
                "Content-Disposition": {
                    "description": "attachment; filename=… (what the file holds)",
                    "schema": {"type": "string"},
                }
            },
            "content": {op.media_type: {"schema": {"type": "string"}}},
        }
    if op.status == 204:  # done, nothing to answer
        success = {"description": "Done (no body)."}
    responses: dict[str, Any] = {str(op.status): success}
    error_schema = keys[(ErrorResponse, "serialization")]
    texts = ERROR_TEXT | dict(op.error_texts)
    for status in op.errors:
        responses[str(status)] = {
            "description": texts[status],
            "content": {"application/json": {"schema": error_schema}},
        }
    return responses
