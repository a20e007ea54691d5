"""Hostile and careless API input: strict JSON types, API-worded hints, bounded bodies."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.adapters.web.api.conftest import SENSEI, Api

SESSIONS = "/api/training/sessions"
CHAT_COMMAND = re.compile(r"(^|\s)/[a-z][a-z-]*( |$|\.)")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"capacity": True}, "capacity"),
        ({"capacity": "5"}, "capacity"),
        ({"capacity": 5.5}, "capacity"),
        ({"duration_minutes": "90"}, "duration_minutes"),
        ({"duration_minutes": False}, "duration_minutes"),
        ({"recording_enabled": 1}, "recording_enabled"),
        ({"chat_enabled": "true"}, "chat_enabled"),
    ],
)
async def test_json_types_are_strict(api: Api, fields: dict[str, Any], field: str) -> None:
    body = {"title": "Kata", "start_time": iso(api.clock.now() + timedelta(days=1))} | fields
    status, answer = await api.call("POST", SESSIONS, SENSEI, json=body)
    assert status == 422, answer
    assert [d["loc"] for d in answer["error"]["details"]] == [["body", field]]
    session = await api.schedule()
    status, answer = await api.call("PATCH", f"{SESSIONS}/{session.id}", SENSEI, json=fields)
    assert status == 422, answer
    assert (await api.service.get(session.id)).capacity is None


async def test_an_integral_number_is_an_integer(api: Api) -> None:
    body = {"title": "Kata", "start_time": iso(api.clock.now() + timedelta(days=1))}
    status, answer = await api.call("POST", SESSIONS, SENSEI, json=body | {"capacity": 12.0})
    assert (status, answer["capacity"]) == (201, 12)


async def test_hints_speak_the_api_not_chat_commands(api: Api) -> None:
    session = await api.schedule()
    one = f"{SESSIONS}/{session.id}"
    answers = [
        await api.call("PATCH", one, SENSEI, json={}),
        await api.call("GET", f"{SESSIONS}/nosuchid", SENSEI),
        await api.call("POST", f"{one}/end", SENSEI),
        await api.call(
            "POST",
            SESSIONS,
            SENSEI,
            json={"title": "K", "start_time": iso(api.clock.now() - timedelta(minutes=1))},
        ),
        await api.call(
            "POST",
            SESSIONS,
            SENSEI,
            json={
                "title": "K",
                "event_id": "nope",
                "start_time": iso(api.clock.now() + timedelta(days=1)),
            },
        ),
    ]
    hints = [body["error"]["hint"] for _, body in answers]
    assert [status for status, _ in answers] == [422, 404, 409, 422, 404]
    assert not [hint for hint in hints if CHAT_COMMAND.search(hint)], hints
    assert hints[0] == (f'Send the fields to change: PATCH {one} with e.g. {{"capacity": 30}}.')
    assert hints[1] == f"List sessions with GET {SESSIONS}."
    assert hints[2] == f"Start it with POST {one}/start."
    assert '"start_time"' in hints[3] and '"event_id"' in hints[4]


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 200_000,
        b'{"title": ' + b"[" * 100_000,
        b'{"tags": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    ],
    ids=["array", "in an object", "closed"],
)
async def test_deeply_nested_json_is_400(api: Api, raw: bytes) -> None:
    headers = {"Content-Type": "application/json"}
    status, answer = await api.call("POST", SESSIONS, SENSEI, data=raw, headers=headers)
    assert status == 400 and answer["error"]["code"] == "bad_request"


async def test_a_200_kb_nested_array_is_400_and_a_huge_body_413(api: Api) -> None:
    headers = {"Content-Type": "application/json"}
    raw = b"[" * 100_000 + b"]" * 100_000
    status, answer = await api.call("POST", SESSIONS, SENSEI, data=raw, headers=headers)
    assert status == 400 and "nested too deeply" in answer["error"]["message"]
    huge = b'{"title": "' + b"x" * 300_000 + b'"}'
    status, answer = await api.call("POST", SESSIONS, SENSEI, data=huge, headers=headers)
    assert status == 413 and answer["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not.a.jwt", "Basic Zm9vOmJhcg==", "Bearer " + "A" * 5000],
)
async def test_unauthenticated_garbage_is_401_without_a_traceback(
    api: Api, caplog: pytest.LogCaptureFixture, authorization: str | None
) -> None:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    for raw in (b"{not json", b"[" * 100_000, b'{"capacity": true}'):
        async with api.client.post(SESSIONS, data=raw, headers=headers) as response:
            assert response.status in (400, 401)
    assert not [r for r in caplog.records if r.exc_info]
