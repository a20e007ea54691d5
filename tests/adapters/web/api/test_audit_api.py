"""`GET /api/audit` and `GET /api/audit.csv` through the real HTTP server: admins only,
pages newest first walked with the `next` cursor, filters, 400s that say what to send, the
streamed CSV; and an action taken through the API is recorded from the front end "api"."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from tests.adapters.web.api.conftest import ADMIN, SENSEI, Api


async def five_sessions(api: Api) -> list[str]:
    ids = []
    for n in range(5):
        ids.append((await api.schedule(title=f"Kata {n}")).id)
        api.clock.advance(timedelta(seconds=1))
    return ids


async def test_only_an_admins_token_reads_the_log(api: Api) -> None:
    status, body = await api.call("GET", "/api/audit", SENSEI)
    assert status == 403 and "admin" in body["error"]["hint"]
    async with api.client.get("/api/audit.csv", headers=api.auth(SENSEI)) as response:
        assert response.status == 403
    status, _ = await api.call("GET", "/api/audit")
    assert status == 401


async def test_pages_follow_the_next_cursor_newest_first(api: Api) -> None:
    ids = await five_sessions(api)
    seen: list[str] = []
    path = "/api/audit?action=schedule&limit=2"
    while True:
        status, body = await api.call("GET", path, ADMIN)
        assert status == 200
        seen += [e["target"] for e in body["entries"]]
        if body["next"] is None:
            break
        path = f"/api/audit?action=schedule&limit=2&before={body['next']}"
    assert seen == list(reversed(ids))
    status, body = await api.call("GET", f"/api/audit?target={ids[2]}", ADMIN)
    (entry,) = body["entries"]
    assert entry["action"] == "schedule" and entry["after"]["title"] == "Kata 2"
    assert entry["at"].endswith("Z") and entry["actor_id"] == SENSEI.id


async def test_bad_filters_say_what_to_send(api: Api) -> None:
    for query in ("?action=promote", "?limit=0", "?from=yesterday", "?colour=red"):
        status, body = await api.call("GET", "/api/audit" + query, ADMIN)
        assert status == 400, query
        assert "action=<name>" in body["error"]["hint"]
    for ends in ("?from=0001-01-01", "?to=9999-12-31"):  # the calendar's ends: no bound
        status, body = await api.call("GET", "/api/audit" + ends, ADMIN)
        assert status == 200, body
    status, body = await api.call("GET", "/api/audit?from=2026-12-02&to=2026-12-01", ADMIN)
    assert status == 422 and "ends before it starts" in body["error"]["message"]


async def test_the_csv_streams_every_selected_entry(api: Api) -> None:
    ids = await five_sessions(api)
    async with api.client.get("/api/audit.csv", headers=api.auth(ADMIN)) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        text = (await response.read()).decode()
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert rows[0][:3] == ["id", "at", "actor_id"]
    assert [r[6] for r in rows[1:]] == list(reversed(ids))


async def test_an_action_through_the_api_is_recorded_as_from_the_api(api: Api) -> None:
    start = (api.clock.now() + timedelta(days=1)).isoformat()
    status, created = await api.call(
        "POST", "/api/training/sessions", SENSEI, json={"title": "Kihon", "start_time": start}
    )
    assert status == 201
    status, body = await api.call("GET", "/api/audit", ADMIN)
    (entry,) = body["entries"]
    assert (entry["front_end"], entry["target"]) == ("api", created["id"])
