"""The REST API lists sessions that were not held, by their own status."""

from __future__ import annotations

from datetime import timedelta

from tests.adapters.web.api.conftest import ANA, Api

SESSIONS = "/api/training/sessions"


async def test_not_held_is_a_status_of_the_api(api: Api) -> None:
    unheld = await api.schedule(in_=timedelta(hours=1), duration_minutes=15)
    upcoming = await api.schedule(in_=timedelta(days=2))
    api.clock.set(unheld.end_time + timedelta(minutes=30))
    await api.service.end_overdue()
    status, body = await api.call("GET", SESSIONS, ANA, params={"status": "not_held"})
    assert status == 200
    assert [(i["id"], i["status"]) for i in body["items"]] == [(unheld.id, "not_held")]
    status, body = await api.call("GET", f"{SESSIONS}/{upcoming.id}", ANA)
    assert (status, body["status"]) == (200, "scheduled")
    status, document = await api.call("GET", "/api/openapi.json")
    assert status == 200 and '"not_held"' in str(document).replace("'", '"')
