"""The training record over the REST API, through the real HTTP server: a member's ledger
in keyset pages, rank progress, promotions, attendance verdicts and the personal calendar
feed — each through the chat's use cases, with the chat's RBAC, audited like the chat's."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from adapters.web.api import RestApi
from core.model import Member, Role
from core.ranks import RankLadder, RankStep
from core.service import SessionService
from core.testing.chat import RecordingChatDelivery
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from core.training_ledger import LedgerEntry
from tests.adapters.web.api.conftest import ADMIN, ANA, SECRET, SENSEI, Api, member, serve

BEN = member("ben", Role.MEMBER)
LADDER = RankLadder(steps=(RankStep("White", min_classes=3), RankStep("Yellow", min_classes=2)))


@dataclass
class Links:
    """The `FeedLinks` port: the web pages are served at a fixed base URL."""

    def available(self) -> bool:
        return True

    def base_url(self) -> str:
        return "https://dojo.example/"


@pytest.fixture
async def api() -> AsyncIterator[Api]:
    """The conftest's API, with a rank ladder and calendar feeds on."""
    clock, store, rooms = FakeClock(), InMemorySessionStore(), InMemoryVideoRooms()
    service = SessionService(
        store, rooms, RecordingChatDelivery(), clock, rank_ladder=LADDER, feed_links=Links()
    )
    app = web.Application()
    RestApi(service, clock, SECRET).mount(app)
    client = TestClient(TestServer(app, host="127.0.0.1", port=0))
    await client.start_server()
    yield Api(client, clock, service, store, rooms)
    await client.close()


def entry(who: Member, day: int, n: int = 0, attended: bool = True) -> LedgerEntry:
    at = datetime(2026, 3, day, 18, tzinfo=UTC)
    return LedgerEntry(
        session_id=f"s-{day:02}-{n}",
        member_id=who.id,
        member_name=who.display_name,
        title=f"Kata {day}",
        series_id="c-7" if n == 0 else None,
        instructor_id=SENSEI.id,
        starts_at=at,
        session_seconds=3600,
        seconds_present=2700 if attended else 600,
        attended=attended,
        recorded_at=at + timedelta(hours=1),
    )


async def audit_actions(api: Api) -> list[str]:
    status, body = await api.call("GET", "/api/audit", ADMIN)
    assert status == 200
    return [e["action"] for e in body["entries"]]


# GET /api/members/{member_id}/training ------------------------------------------------
async def test_a_member_pages_through_their_own_ledger_with_next(api: Api) -> None:
    # five entries, two of them at the same start (the cursor's tie-break is the session)
    entries = [entry(ANA, 2), entry(ANA, 3), entry(ANA, 3, n=1), entry(ANA, 4, attended=False)]
    await api.store.save_ledger([*entries, entry(ANA, 9), entry(BEN, 3)])
    seen: list[str] = []
    path = f"/api/members/{ANA.id}/training?limit=2"
    while True:
        status, body = await api.call("GET", path, ANA)
        assert status == 200, body
        seen += [e["session_id"] for e in body["entries"]]
        if body["next"] is None:
            break
        path = f"/api/members/{ANA.id}/training?limit=2&after={body['next']}"
    assert seen == ["s-02-0", "s-03-0", "s-03-1", "s-04-0", "s-09-0"]
    status, body = await api.call(
        "GET", f"/api/members/{ANA.id}/training?from=2026-03-04&to=2026-03-04", ANA
    )
    assert body == {
        "entries": [
            {
                "session_id": "s-04-0",
                "title": "Kata 4",
                "class": "c-7",
                "starts_at": "2026-03-04T18:00:00Z",
                "minutes_present": 10,
                "session_minutes": 60,
                "attended": False,
                "verdict": None,
                "verdict_by": None,
            }
        ],
        "next": None,
    }


async def test_a_member_cannot_read_anothers_ledger_but_an_instructor_can(api: Api) -> None:
    await api.store.save_ledger([entry(BEN, 3)])
    status, body = await api.call("GET", f"/api/members/{BEN.id}/training", ANA)
    assert status == 403 and "GET /api/me" in body["error"]["hint"]
    status, body = await api.call("GET", f"/api/members/{BEN.id}/training", SENSEI)
    assert status == 200 and [e["session_id"] for e in body["entries"]] == ["s-03-0"]


async def test_bad_ledger_filters_say_what_to_send(api: Api) -> None:
    base = f"/api/members/{ANA.id}/training"
    for query in ("?limit=0", "?from=yesterday", "?after=nope", "?colour=red"):
        status, body = await api.call("GET", base + query, ANA)
        assert status == 400, query
        assert "after=<next" in body["error"]["hint"]
    for query in ("?from=2026-03-05&to=2026-03-01", "?after=20261399T000000000000Z.s-1"):
        status, body = await api.call("GET", base + query, ANA)
        assert status == 422, query
        assert body["error"]["hint"].startswith("Filter with")


# GET /api/members/{member_id}/progress -------------------------------------------------
async def test_progress_counts_attended_classes_toward_the_next_rank(api: Api) -> None:
    await api.store.save_ledger([entry(ANA, 2), entry(ANA, 3, attended=False)])
    status, body = await api.call("GET", f"/api/members/{ANA.id}/progress", ANA)
    assert status == 200, body
    assert (body["current_rank"], body["since"], body["next_rank"]) == (None, None, "White")
    assert (body["classes_done"], body["classes_needed"], body["eligible"]) == (1, 3, False)
    assert set(body) >= {"months_done", "months_needed"}
    status, body = await api.call("GET", f"/api/members/{BEN.id}/progress", ANA)
    assert status == 403 and body["error"]["code"] == "forbidden"
    status, body = await api.call("GET", f"/api/members/{BEN.id}/progress", SENSEI)
    assert status == 200 and body["member_id"] == BEN.id
    status, body = await api.call("GET", "/api/members/no%20such/progress", SENSEI)
    assert status == 404 and "GET /api/me" in body["error"]["hint"]


# POST /api/members/{member_id}/promotions -----------------------------------------------
async def test_an_instructor_records_a_promotion_audited_like_promote(api: Api) -> None:
    path = f"/api/members/{ANA.id}/promotions"
    status, body = await api.call(
        "POST", path, SENSEI, json={"rank": "white", "date": "2026-01-10"}
    )
    assert status == 201, body
    assert (body["rank"], body["promoted_on"], body["member_id"]) == ("White", "2026-01-10", ANA.id)
    assert body["recorded_by"] == SENSEI.id
    assert "promotion" in await audit_actions(api)
    status, body = await api.call("GET", f"/api/members/{ANA.id}/progress", ANA)
    assert (body["current_rank"], body["since"], body["next_rank"]) == (
        "White",
        "2026-01-10",
        "Yellow",
    )


async def test_a_member_cannot_promote(api: Api) -> None:
    status, body = await api.call(
        "POST", f"/api/members/{ANA.id}/promotions", ANA, json={"rank": "Yellow"}
    )
    assert status == 403 and "Instructors and admins" in body["error"]["hint"]
    assert "promotion" not in await audit_actions(api)


async def test_a_rank_off_the_ladder_or_a_bad_body_is_refused(api: Api) -> None:
    path = f"/api/members/{ANA.id}/promotions"
    status, body = await api.call("POST", path, SENSEI, json={"rank": "Purple"})
    assert status == 422 and "White" in body["error"]["hint"] and "Yellow" in body["error"]["hint"]
    tomorrow = (api.clock.now() + timedelta(days=2)).date().isoformat()
    status, body = await api.call("POST", path, SENSEI, json={"rank": "White", "date": tomorrow})
    assert status == 422 and "future" in body["error"]["message"]
    for bad in ({}, {"rank": "White", "date": 20260110}, {"rank": "White", "belt": 1}):
        status, body = await api.call("POST", path, SENSEI, json=bad)
        assert status == 422 and body["error"]["details"], bad


# PUT /api/training/sessions/{session_id}/attendance/{member_id} -------------------------
async def ended_session(api: Api) -> str:
    session = await api.schedule(in_=timedelta(minutes=5))
    await api.service.start(SENSEI, session.id)
    api.clock.advance(timedelta(minutes=30))
    await api.service.end(SENSEI, session.id)
    await api.call("GET", "/api/me", ANA)  # Ana is known to dojobot
    return session.id


async def test_the_instructor_marks_a_member_present_audited(api: Api) -> None:
    session_id = await ended_session(api)
    path = f"/api/training/sessions/{session_id}/attendance/{ANA.id}"
    status, body = await api.call("PUT", path, SENSEI, json={"verdict": "present"})
    assert status == 200, body
    assert (body["verdict"], body["changed"], body["member_id"]) == ("present", True, ANA.id)
    status, body = await api.call("PUT", path, SENSEI, json={"verdict": "present"})
    assert status == 200 and body["changed"] is False
    assert (await audit_actions(api)).count("attendance") == 1
    status, body = await api.call("GET", f"/api/members/{ANA.id}/training", ANA)
    (mine,) = body["entries"]
    assert (mine["attended"], mine["verdict"], mine["verdict_by"]) == (True, "present", SENSEI.id)


async def test_only_the_instructor_or_an_admin_marks_attendance(api: Api) -> None:
    session_id = await ended_session(api)
    path = f"/api/training/sessions/{session_id}/attendance/{ANA.id}"
    for who in (ANA, member("kyoshi", Role.INSTRUCTOR)):
        status, body = await api.call("PUT", path, who, json={"verdict": "absent"})
        assert status == 403 and "instructor or an admin" in body["error"]["hint"]
    status, body = await api.call("PUT", path, ADMIN, json={"verdict": "absent"})
    assert status == 200 and body["verdict"] == "absent"


async def test_bad_verdicts_and_unended_sessions_are_refused(api: Api) -> None:
    session_id = await ended_session(api)
    path = f"/api/training/sessions/{session_id}/attendance/{ANA.id}"
    status, body = await api.call("PUT", path, SENSEI, json={"verdict": "late"})
    assert status == 422 and body["error"]["details"][0]["loc"] == ["body", "verdict"]
    status, body = await api.call(
        "PUT",
        f"/api/training/sessions/{session_id}/attendance/web:nobody",
        SENSEI,
        json={"verdict": "present"},
    )
    assert status == 404
    later = await api.schedule()
    status, body = await api.call(
        "PUT",
        f"/api/training/sessions/{later.id}/attendance/{ANA.id}",
        SENSEI,
        json={"verdict": "present"},
    )
    assert status == 409 and f"{later.id}/end" in body["error"]["hint"]


# POST / DELETE /api/me/calendar-feed ------------------------------------------------------
async def test_a_new_feed_url_replaces_the_old_and_delete_stops_it(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    status, first = await api.call("POST", "/api/me/calendar-feed", ANA)
    assert status == 201 and first["url"].startswith("https://dojo.example/calendar/feed/")
    status, second = await api.call("POST", "/api/me/calendar-feed", ANA)
    assert status == 201 and second["url"] != first["url"]

    def token(url: str) -> str:
        return url.rsplit("/", 1)[1].removesuffix(".ics")

    assert await api.service.feed_sessions(token(first["url"])) is None  # the old one stopped
    assert await api.service.feed_sessions(token(second["url"])) == []
    async with api.client.delete("/api/me/calendar-feed", headers=api.auth(ANA)) as response:
        assert response.status == 204 and await response.read() == b""
    assert await api.service.feed_sessions(token(second["url"])) is None
    async with api.client.delete("/api/me/calendar-feed", headers=api.auth(ANA)) as response:
        assert response.status == 204  # none left: still done
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert token(first["url"]) not in logged and token(second["url"]) not in logged


async def test_the_feed_needs_a_token_and_served_pages(api: Api) -> None:
    status, body = await api.call("POST", "/api/me/calendar-feed")
    assert status == 401
    async with api.client.delete("/api/me/calendar-feed") as response:
        assert response.status == 401
    without_pages, client = await serve(SECRET)  # no FeedLinks: the web pages are off
    try:
        status, body = await without_pages.call("POST", "/api/me/calendar-feed", ANA)
        assert status == 409 and "DOJOBOT_WEB__ENABLED" in body["error"]["hint"]
    finally:
        await client.close()
