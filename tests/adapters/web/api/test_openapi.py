"""The served OpenAPI document matches the routes aiohttp actually serves, both ways."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from adapters.web.api import RestApi
from core.testing.clock import FakeClock
from tests.adapters.web.api.conftest import SECRET, Api

DOC = "/api/openapi.json"
METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}


def served_routes(app: web.Application) -> set[tuple[str, str]]:
    """(METHOD, path) of every route under /api, sub-applications included."""
    found: set[tuple[str, str]] = set()
    for resource in app.router.resources():
        sub = resource.get_info().get("app")
        if isinstance(sub, web.Application):
            found |= served_routes(sub)
            continue
        for route in resource:
            if resource.canonical.startswith("/api"):
                found.add((route.method, resource.canonical))
    return found


def documented_routes(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    }


async def test_every_served_route_is_documented_and_vice_versa(api: Api) -> None:
    status, document = await api.call("GET", DOC)
    assert status == 200
    served = served_routes(api.client.app)
    assert served == documented_routes(document)
    assert ("PATCH", "/api/training/sessions/{session_id}") in served
    assert ("PUT", "/api/training/series/{series_id}/standing-rsvp") in served
    assert ("POST", "/api/members/{member_id}/forget/confirm") in served
    assert ("GET", "/api/attendance.csv") in served
    assert ("GET", "/api/audit") in served and ("GET", "/api/audit.csv") in served
    assert ("GET", "/api/members/{member_id}/training") in served
    assert ("PUT", "/api/training/sessions/{session_id}/attendance/{member_id}") in served
    assert ("DELETE", "/api/me/calendar-feed") in served
    assert len(served) == 37


async def test_the_document_is_public_and_everything_else_needs_a_token(api: Api) -> None:
    _, document = await api.call("GET", DOC)
    assert document["openapi"] == "3.1.0"
    assert document["security"] == [{"bearerAuth": []}]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if path == DOC:
                assert operation["security"] == []
            else:
                assert "security" not in operation
                assert "401" in operation["responses"], (method, path)


async def test_operation_ids_are_unique_and_refs_resolve(api: Api) -> None:
    _, document = await api.call("GET", DOC)
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    schemas = document["components"]["schemas"]

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            own = [node["$ref"]] if "$ref" in node else []
            return own + [r for v in node.values() for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    for ref in refs(document):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas


async def test_field_names_are_cores_and_ranges_are_documented(api: Api) -> None:
    _, document = await api.call("GET", DOC)
    create = document["components"]["schemas"]["SessionCreate"]["properties"]
    assert {"start_time", "duration_minutes", "capacity", "recording_enabled"} <= set(create)
    assert {"chat_enabled", "visibility", "event_id"} <= set(create)
    assert (create["duration_minutes"]["minimum"], create["duration_minutes"]["maximum"]) == (
        15,
        480,
    )
    listing = document["paths"]["/api/training/sessions"]["get"]["parameters"]
    limit = next(p for p in listing if p["name"] == "limit")
    assert limit["schema"] == {"default": 20, "maximum": 100, "minimum": 1, "type": "integer"}
    status = next(p for p in listing if p["name"] == "status")
    assert (status["style"], status["explode"]) == ("form", True)


def test_the_document_does_not_depend_on_the_secret() -> None:
    from unittest.mock import sentinel

    with_secret = RestApi(sentinel.service, FakeClock(), SECRET).document
    without = RestApi(sentinel.service, FakeClock(), None).document
    assert with_secret == without
