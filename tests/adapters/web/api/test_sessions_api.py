"""The REST API's behaviour: bodies, validation errors, filters, paging, sorting, states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.model import SessionStatus
from tests.adapters.web.api.conftest import ADMIN, ANA, GUS, KYOSHI, SENSEI, Api

SESSIONS = "/api/training/sessions"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# create --------------------------------------------------------------------------------
async def test_create_answers_201_with_the_session_and_its_location(api: Api) -> None:
    found = await api.event()
    start = api.clock.now() + timedelta(days=3)
    body = {
        "title": "  Kata basics ",
        "start_time": start.astimezone().isoformat(),
        "duration_minutes": 90,
        "capacity": 12,
        "recording_enabled": True,
        "chat_enabled": False,
        "visibility": "public",
        "event_id": found.id,
        "description": "Bring a belt",
        "tags": ["kata", " "],
    }
    async with api.client.post(SESSIONS, json=body, headers=api.auth(SENSEI)) as response:
        assert response.status == 201
        created = await response.json()
        assert response.headers["Location"] == f"{SESSIONS}/{created['id']}"
    assert created["title"] == "Kata basics"
    assert created["start_time"] == iso(start)
    assert created["end_time"] == iso(start + timedelta(minutes=90))
    assert created["instructor_id"] == SENSEI.id
    assert created["instructor_name"] == SENSEI.display_name
    assert created["status"] == "scheduled"
    assert created["room"] == {"provider": "memory", "state": "ready"}
    assert (created["going_count"], created["waitlisted_count"]) == (0, 0)
    assert created["tags"] == ["kata"]
    assert "room_id" not in str(created) and "origin" not in created
    stored = await api.service.get(created["id"])
    assert (stored.capacity, stored.event_id, stored.recording_enabled) == (12, found.id, True)


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"title": None}, ["body", "title"]),
        ({"title": "   "}, ["body", "title"]),
        ({"title": "x" * 201}, ["body", "title"]),
        ({"start_time": "2026-12-05T10:00:00"}, ["body", "start_time"]),
        ({"start_time": "tomorrow"}, ["body", "start_time"]),
        ({"start_time": 1796000000}, ["body", "start_time"]),
        ({"start_time": "9999-12-31T23:00:00Z"}, ["body", "start_time"]),
        ({"start_time": "0001-01-01T00:00:00+05:00"}, ["body", "start_time"]),
        ({"duration_minutes": 10}, ["body", "duration_minutes"]),
        ({"duration_minutes": 481}, ["body", "duration_minutes"]),
        ({"capacity": 0}, ["body", "capacity"]),
        ({"visibility": "secret"}, ["body", "visibility"]),
        ({"recording_enabled": "maybe"}, ["body", "recording_enabled"]),
        ({"room_id": "mine"}, ["body", "room_id"]),
        ({"event_id": "no/slashes"}, ["body", "event_id"]),
        ({"title": "lone \ud800 surrogate"}, ["body", "title"]),
        ({"tags": ["ok", "\x00"]}, ["body", "tags", 1]),
    ],
)
async def test_invalid_fields_are_422_with_details(
    api: Api, fields: dict[str, Any], loc: list[str]
) -> None:
    body = {"title": "Kata", "start_time": iso(api.clock.now() + timedelta(days=1))} | fields
    body = {k: v for k, v in body.items() if v is not None}
    status, answer = await api.call("POST", SESSIONS, SENSEI, json=body)
    assert status == 422
    error = answer["error"]
    assert error["code"] == "invalid_input"
    assert error["hint"]
    assert [d["loc"] for d in error["details"]] == [loc]
    assert error["details"][0]["message"]


async def test_core_rules_are_422_with_the_core_message_and_hint(api: Api) -> None:
    past = iso(api.clock.now() - timedelta(minutes=1))
    status, body = await api.call("POST", SESSIONS, SENSEI, json={"title": "K", "start_time": past})
    assert status == 422
    assert body["error"] == {
        "code": "invalid_input",
        "message": "The start time is in the past.",
        "hint": 'Send "start_time" as a future RFC 3339 date-time within two years, '
        'e.g. {"start_time": "2026-12-01T18:00:00+01:00"}.',
        "details": None,
    }


async def test_an_unknown_event_is_404(api: Api) -> None:
    start = iso(api.clock.now() + timedelta(days=1))
    body = {"title": "K", "start_time": start, "event_id": "nope"}
    status, answer = await api.call("POST", SESSIONS, SENSEI, json=body)
    assert status == 404
    assert answer["error"]["code"] == "not_found"


@pytest.mark.parametrize("raw", [b"{", b"", b"[1, 2]", b'"text"', b"\xff\xfe"])
async def test_bodies_that_are_not_json_objects_are_400(api: Api, raw: bytes) -> None:
    headers = {"Content-Type": "application/json"}
    status, body = await api.call("POST", SESSIONS, SENSEI, data=raw, headers=headers)
    assert status == 400
    assert body["error"]["code"] == "bad_request"
    assert body["error"]["hint"] == "Send a JSON object body."


# get, update, cancel ----------------------------------------------------------------------
async def test_get_shows_seat_counts(api: Api) -> None:
    session = await api.schedule(capacity=1)
    await api.service.rsvp(ANA, session.id)
    await api.service.rsvp(KYOSHI, session.id)
    status, body = await api.call("GET", f"{SESSIONS}/{session.id}", GUS)
    assert status == 200
    assert (body["going_count"], body["waitlisted_count"]) == (1, 1)


@pytest.mark.parametrize("session_id", ["nope", "a" * 65, "x%00y", "caf%C3%A9"])
async def test_unknown_sessions_are_404(api: Api, session_id: str) -> None:
    for method, suffix in [("GET", ""), ("PATCH", ""), ("DELETE", ""), ("POST", "/start")]:
        kwargs: dict[str, Any] = {"json": {"title": "x"}} if method == "PATCH" else {}
        status, body = await api.call(method, f"{SESSIONS}/{session_id}{suffix}", ADMIN, **kwargs)
        assert status == 404, (method, suffix)
        assert body["error"]["code"] == "not_found"
        assert body["error"]["message"].startswith("No session with id")


async def test_update_changes_only_the_fields_given(api: Api) -> None:
    session = await api.schedule(capacity=5)
    moved = api.clock.now() + timedelta(days=4)
    patch = {"start_time": iso(moved), "unlimited": True, "visibility": "public"}
    status, body = await api.call("PATCH", f"{SESSIONS}/{session.id}", ADMIN, json=patch)
    assert status == 200
    assert (body["start_time"], body["capacity"], body["visibility"]) == (
        iso(moved),
        None,
        "public",
    )
    assert body["title"] == "Kata basics"


async def test_an_empty_update_is_422_saying_what_to_change(api: Api) -> None:
    session = await api.schedule()
    status, body = await api.call("PATCH", f"{SESSIONS}/{session.id}", SENSEI, json={})
    assert status == 422
    assert body["error"]["message"] == "Nothing to change."


async def test_cancel_records_the_reason_and_a_second_cancel_is_409(api: Api) -> None:
    session = await api.schedule()
    path = f"{SESSIONS}/{session.id}"
    status, body = await api.call("DELETE", path, SENSEI, params={"reason": "dojo flooded"})
    assert status == 200
    assert (body["status"], body["cancel_reason"], body["canceled_by"]) == (
        "canceled",
        "dojo flooded",
        SENSEI.id,
    )
    status, body = await api.call("DELETE", path, SENSEI)
    assert status == 409
    assert body["error"]["code"] == "conflict"
    assert body["error"]["hint"]


# start, end, can-join ----------------------------------------------------------------------
async def test_start_too_early_is_409_then_start_and_end(api: Api) -> None:
    session = await api.schedule(in_=timedelta(hours=1))
    path = f"{SESSIONS}/{session.id}"
    status, body = await api.call("POST", f"{path}/start", SENSEI)
    assert status == 409
    assert body["error"]["message"].startswith("It's too early to start")
    api.clock.advance(timedelta(minutes=55))
    status, body = await api.call("POST", f"{path}/start", SENSEI)
    assert (status, body["status"], body["started_at"]) == (200, "live", iso(api.clock.now()))
    status, body = await api.call("POST", f"{path}/end", SENSEI)
    assert (status, body["status"]) == (200, "ended")
    status, body = await api.call("POST", f"{path}/end", SENSEI)
    assert status == 409


async def test_can_join_says_why_not_and_when(api: Api) -> None:
    session = await api.schedule(in_=timedelta(hours=1))
    path = f"{SESSIONS}/{session.id}/can-join"
    status, body = await api.call("GET", path, ANA)
    assert status == 200
    opens = session.start_time - timedelta(minutes=10)
    assert body["allowed"] is False
    assert (body["reason"], body["opens_at"]) == ("too_early", iso(opens))
    assert body["message"].startswith("Too early")
    api.clock.advance(timedelta(minutes=50))
    status, body = await api.call("GET", path, ANA)
    assert (body["allowed"], body["reason"], body["opens_at"]) == (True, None, None)
    status, body = await api.call("GET", path, GUS)
    assert (body["allowed"], body["reason"]) == (False, "members_only")


# list -----------------------------------------------------------------------------------
async def seed(api: Api) -> dict[str, str]:
    """Five sessions a day apart: s1..s5; s2 by kyoshi, s3 in an event, s4 canceled."""
    found = await api.event()
    ids = {}
    for n in range(1, 6):
        by = KYOSHI if n == 2 else SENSEI
        fields: dict[str, Any] = {"event_id": found.id} if n == 3 else {}
        ids[f"s{n}"] = (await api.schedule(by, timedelta(days=n), **fields)).id
    await api.service.cancel(SENSEI, ids["s4"])
    ids["event"] = found.id
    return ids


async def listed(api: Api, **params: Any) -> tuple[list[str], dict[str, Any]]:
    status, body = await api.call("GET", SESSIONS, ANA, params=params)
    assert status == 200, body
    return [item["id"] for item in body["items"]], body


async def test_list_filters_by_status_instructor_and_event(api: Api) -> None:
    ids = await seed(api)
    names = {v: k for k, v in ids.items()}

    async def names_of(**params: Any) -> list[str]:
        return [names[i] for i in (await listed(api, **params))[0]]

    assert await names_of() == ["s1", "s2", "s3", "s4", "s5"]
    assert await names_of(status="canceled") == ["s4"]
    multi = [("status", "canceled"), ("status", "live")]
    status, body = await api.call("GET", SESSIONS, ANA, params=multi)
    assert (status, [names[i["id"]] for i in body["items"]]) == (200, ["s4"])
    assert await names_of(instructor_id=KYOSHI.id) == ["s2"]
    assert await names_of(event_id=ids["event"]) == ["s3"]
    assert await names_of(instructor_id=SENSEI.id, status="scheduled") == ["s1", "s3", "s5"]
    after = iso(api.clock.now() + timedelta(days=2))
    before = iso(api.clock.now() + timedelta(days=4))
    assert await names_of(starts_after=after, starts_before=before) == ["s2", "s3"]


async def test_list_pages_and_sorts(api: Api) -> None:
    ids = await seed(api)
    names = {v: k for k, v in ids.items()}
    found, body = await listed(api, limit=2, offset=1)
    assert [names[i] for i in found] == ["s2", "s3"]
    assert (body["total"], body["limit"], body["offset"]) == (5, 2, 1)
    found, body = await listed(api, limit=2, offset=0, sort="-start_time")
    assert [names[i] for i in found] == ["s5", "s4"]
    found, body = await listed(api, offset=10)
    assert (found, body["total"], body["limit"]) == ([], 5, 20)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"status": "finished"}, "status"),
        ({"sort": "title"}, "sort"),
        ({"starts_after": "2026-12-01T10:00:00"}, "starts_after"),
        ({"instructor": "web:a"}, "instructor"),
    ],
)
async def test_bad_list_parameters_are_422_naming_the_parameter(
    api: Api, params: dict[str, str], field: str
) -> None:
    status, body = await api.call("GET", SESSIONS, ANA, params=params)
    assert status == 422
    assert body["error"]["details"][0]["loc"][:2] == ["query", field]


async def test_repeated_single_parameters_are_422(api: Api) -> None:
    status, body = await api.call("GET", SESSIONS, ANA, params=[("limit", "1"), ("limit", "2")])
    assert status == 422
    assert body["error"]["details"][0]["loc"][:2] == ["query", "limit"]


# events -----------------------------------------------------------------------------------
async def test_an_event_includes_its_training_sessions(api: Api) -> None:
    ids = await seed(api)
    status, body = await api.call("GET", f"/api/events/{ids['event']}", GUS)
    assert status == 200
    assert body["title"] == "Summer camp"
    assert [s["id"] for s in body["training_sessions"]] == [ids["s3"]]
    status, body = await api.call("GET", "/api/events/nope", GUS)
    assert (status, body["error"]["code"]) == (404, "not_found")


# protocol errors -------------------------------------------------------------------------
async def test_unknown_api_paths_are_json_404(api: Api) -> None:
    status, body = await api.call("GET", "/api/nothing/here", ANA)
    assert (status, body["error"]["code"]) == (404, "not_found")


async def test_unsupported_methods_are_json_405_with_allow(api: Api) -> None:
    async with api.client.put(SESSIONS, headers=api.auth(ADMIN)) as response:
        assert response.status == 405
        assert set(response.headers["Allow"].split(",")) == {"GET", "POST"}
        assert (await response.json())["error"]["code"] == "method_not_allowed"


async def test_without_a_secret_every_route_is_503_but_the_document(disabled_api: Api) -> None:
    status, body = await disabled_api.call("GET", SESSIONS)
    assert status == 503
    assert body["error"]["code"] == "api_disabled"
    assert "DOJOBOT_WEB__API_JWT_SECRET" in body["error"]["hint"]
    status, body = await disabled_api.call("GET", "/api/openapi.json")
    assert (status, body["openapi"]) == (200, "3.1.0")


async def test_the_core_is_unchanged_by_rejected_requests(api: Api) -> None:
    await api.call("POST", SESSIONS, SENSEI, json={"title": "K", "start_time": "nope"})
    assert await api.store.count_sessions(_all()) == 0


def _all() -> Any:
    from core.model import SessionFilter

    return SessionFilter(status=list(SessionStatus), include_archived=True)


async def test_an_unexpected_failure_is_a_json_500_without_internals(
    api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(_criteria: object) -> list[object]:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(api.store, "list_sessions", broken)
    status, body = await api.call("GET", SESSIONS, ANA)
    assert status == 500
    assert body["error"]["code"] == "internal_error"
    assert "hunter2" not in str(body)
    assert "API request GET /api/training/sessions failed" in caplog.text
