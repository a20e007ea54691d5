"""Every route × every role: who gets in is decided by core's permission table and ownership.

Roles: no token, admin, the session's own instructor, another instructor, a member, a guest.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest

from core.model import Member, SessionStatus
from tests.adapters.web.api.conftest import ADMIN, ANA, GUS, KYOSHI, SENSEI, Api

Request = tuple[str, str, dict[str, Any]]
Arrange = Callable[[Api], Awaitable[Request]]

CALLERS: dict[str, Member | None] = {
    "nobody": None,
    "admin": ADMIN,
    "owner": SENSEI,
    "other_instructor": KYOSHI,
    "member": ANA,
    "guest": GUS,
}


async def create(api: Api) -> Request:
    start = (api.clock.now() + timedelta(days=1)).isoformat()
    return "POST", "/api/training/sessions", {"json": {"title": "Randori", "start_time": start}}


async def list_(api: Api) -> Request:
    await api.schedule()
    return "GET", "/api/training/sessions", {}


async def get(api: Api) -> Request:
    session = await api.schedule()
    return "GET", f"/api/training/sessions/{session.id}", {}


async def update(api: Api) -> Request:
    session = await api.schedule()
    return "PATCH", f"/api/training/sessions/{session.id}", {"json": {"capacity": 12}}


async def cancel(api: Api) -> Request:
    session = await api.schedule()
    return "DELETE", f"/api/training/sessions/{session.id}", {"params": {"reason": "flu"}}


async def start(api: Api) -> Request:
    session = await api.schedule(in_=timedelta(minutes=5))
    return "POST", f"/api/training/sessions/{session.id}/start", {}


async def end(api: Api) -> Request:
    session = await api.schedule(in_=timedelta(minutes=5))
    await api.service.start(SENSEI, session.id)
    return "POST", f"/api/training/sessions/{session.id}/end", {}


async def can_join(api: Api) -> Request:
    session = await api.schedule(in_=timedelta(minutes=5))
    return "GET", f"/api/training/sessions/{session.id}/can-join", {}


async def event(api: Api) -> Request:
    found = await api.event()
    await api.schedule(event_id=found.id)
    return "GET", f"/api/events/{found.id}", {}


ROUTES: dict[str, tuple[Arrange, int, set[str]]] = {
    # route: (arrange, success status, roles that succeed); everyone else with a token: 403.
    "create": (create, 201, {"admin", "owner", "other_instructor"}),
    "list": (list_, 200, {"admin", "owner", "other_instructor", "member", "guest"}),
    "get": (get, 200, {"admin", "owner", "other_instructor", "member", "guest"}),
    "update": (update, 200, {"admin", "owner"}),
    "cancel": (cancel, 200, {"admin", "owner"}),
    "start": (start, 200, {"owner"}),
    "end": (end, 200, {"owner"}),
    "can_join": (can_join, 200, {"admin", "owner", "other_instructor", "member", "guest"}),
    "event": (event, 200, {"admin", "owner", "other_instructor", "member", "guest"}),
}


def expected(route: str, caller: str) -> int:
    _, success, allowed = ROUTES[route]
    if caller == "nobody":
        return 401
    return success if caller in allowed else 403


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize("route", list(ROUTES))
async def test_rbac_matrix(api: Api, route: str, caller: str) -> None:
    arrange = ROUTES[route][0]
    method, path, kwargs = await arrange(api)
    status, body = await api.call(method, path, CALLERS[caller], **kwargs)
    assert status == expected(route, caller), body
    if status == 403:
        assert body["error"]["code"] == "forbidden"
        assert body["error"]["message"]


async def test_forbidden_changes_leave_the_session_alone(api: Api) -> None:
    session = await api.schedule()
    path = f"/api/training/sessions/{session.id}"
    assert (await api.call("DELETE", path, KYOSHI))[0] == 403
    assert (await api.call("PATCH", path, ANA, json={"title": "Mine now"}))[0] == 403
    kept = await api.service.get(session.id)
    assert (kept.status, kept.title) == (SessionStatus.SCHEDULED, "Kata basics")


async def test_a_role_that_may_never_schedule_gets_403_before_validation(api: Api) -> None:
    status, body = await api.call("POST", "/api/training/sessions", ANA, json={"title": ""})
    assert status == 403
    assert "Only admin or instructor members can schedule" in body["error"]["message"]


async def test_admin_may_not_start_someone_elses_session(api: Api) -> None:
    session = await api.schedule(in_=timedelta(minutes=5))
    status, body = await api.call("POST", f"/api/training/sessions/{session.id}/start", ADMIN)
    assert status == 403
    assert "the session's instructor" in body["error"]["message"]
