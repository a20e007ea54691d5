"""Weekly classes through the REST API (issue 14): a timetable created, lived with for weeks
on the FakeClock, changed and ended, over real loopback HTTP; strict bodies and roles."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core.model import RsvpStatus, SessionFilter
from core.series import occurrence_id
from tests.adapters.web.api.conftest import ADMIN, ANA, GUS, KYOSHI, SENSEI, Api

SERIES = "/api/training/series"
PREVIEW = "/api/training/series-preview"
BERLIN = ZoneInfo("Europe/Berlin")
KIDS: dict[str, Any] = {
    "title": "Kids karate",
    "weekdays": ["mon", "wed"],
    "local_time": "17:30",
    "timezone": "Europe/Berlin",
    "until": "2027-06-30",
    "capacity": 20,
}


def local(moment: str) -> str:
    """An API UTC date-time as "Wed 17:30" in Berlin."""
    return datetime.fromisoformat(moment).astimezone(BERLIN).strftime("%a %H:%M")


async def listed(api: Api, root: str) -> int:
    found = await api.store.list_sessions(SessionFilter(series_id=root, limit=1000))
    return len(found)


async def test_a_timetable_is_created_lived_with_changed_and_ended(api: Api) -> None:
    status, preview = await api.call("POST", PREVIEW, SENSEI, json=KIDS)
    assert status == 200
    assert [o["local_start"][11:] for o in preview["upcoming"]] == ["17:30:00+01:00"] * 5
    assert preview["notes"] == [] and preview["total"] > 50
    assert (await api.call("GET", SERIES, ANA))[1]["items"] == []  # a preview stores nothing

    async with api.client.post(SERIES, json=KIDS, headers=api.auth(SENSEI)) as response:
        assert response.status == 201
        plan = await response.json()
        root = plan["series"]["id"]
        assert response.headers["Location"] == f"{SERIES}/{root}"
    series = plan["series"]
    assert series["weekdays"] == ["mon", "wed"] and series["local_time"] == "17:30"
    assert series["timezone"] == "Europe/Berlin" and series["until"] == "2027-06-30"
    assert series["instructor_id"] == SENSEI.id and series["status"] == "active"
    assert series["calendar_path"] == f"/series/{root}.ics"
    assert await listed(api, root) == 8  # four weeks ahead, not the whole year

    status, standing = await api.call("PUT", f"{SERIES}/{root}/standing-rsvp", ANA)
    assert status == 200 and standing["standing"] is True
    assert [r["status"] for r in standing["rsvps"]] == ["going"] * 8

    # three weeks later the clock has listed more classes, and Ana goes to them too
    api.clock.advance(timedelta(weeks=3))
    await api.service.materialise_series()
    status, detail = await api.call("GET", f"{SERIES}/{root}", ANA)
    assert status == 200
    assert detail["standing"] is True and detail["standing_count"] == 1
    assert {local(s["start_time"]) for s in detail["upcoming"]} == {"Mon 17:30", "Wed 17:30"}
    newest = detail["upcoming"][-1]["id"]
    assert (await api.service.rsvp_of(ANA, newest)).status is RsvpStatus.GOING  # type: ignore[union-attr]

    holiday = date(2027, 1, 6)
    status, skipped = await api.call(
        "POST", f"{SERIES}/{root}/skips", SENSEI, json={"day": "2027-01-06", "reason": "Epiphany"}
    )
    assert status == 201
    assert skipped["skip"]["day"] == "2027-01-06" and skipped["skip"]["reason"] == "Epiphany"
    assert skipped["canceled"]["id"] == occurrence_id(root, holiday)
    assert skipped["canceled"]["status"] == "canceled"

    status, changed = await api.call(
        "PATCH",
        f"{SERIES}/{root}",
        SENSEI,
        json={"scope": "following", "from_day": "2027-01-11", "local_time": "18:00"},
    )
    assert status == 200
    assert [(s["first_day"], s["local_time"]) for s in changed["segments"]] == [
        ("2026-12-01", "17:30"),
        ("2027-01-11", "18:00"),
    ]
    assert changed["skips"] == [
        {"day": "2027-01-06", "reason": "Epiphany", "created_at": skipped["skip"]["created_at"]}
    ]
    times = {s["id"][-8:]: local(s["start_time"]) for s in changed["upcoming"]}
    assert times["20270111"] == "Mon 18:00" and times["20270104"] == "Mon 17:30"

    status, dropped = await api.call("DELETE", f"{SERIES}/{root}/standing-rsvp", ANA)
    assert status == 200 and dropped["standing"] is False and dropped["changed"] is True

    status, ended = await api.call("DELETE", f"{SERIES}/{root}?reason=Dojo+moves", SENSEI)
    assert status == 200
    assert ended["series"]["status"] == "ended"
    assert ended["canceled"] and {s["cancel_reason"] for s in ended["canceled"]} == {"Dojo moves"}
    assert (await api.call("GET", SERIES, ANA))[1]["items"] == []
    assert (await api.call("DELETE", f"{SERIES}/{root}", SENSEI))[0] == 409


async def test_preview_tells_the_dst_gap(api: Api) -> None:
    body = KIDS | {"weekdays": ["sun"], "local_time": "02:30", "first_day": "2027-03-01"}
    body = {k: v for k, v in body.items() if k != "until"} | {"weeks": 8}
    status, preview = await api.call("POST", PREVIEW, SENSEI, json=body)
    assert status == 200
    gap = [o for o in preview["upcoming"] if o["shifted"]]
    assert [(o["day"], o["local_start"][11:]) for o in gap] == [("2027-03-28", "03:00:00+02:00")]
    assert any("doesn't exist" in note for note in preview["notes"])


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"weekdays": [0, 2]}, ["body", "weekdays", 0]),
        ({"weekdays": []}, ["body", "weekdays"]),
        ({"weekdays": ["monday"]}, ["body", "weekdays", 0]),
        ({"local_time": "25:00"}, ["body", "local_time"]),
        ({"local_time": "5:30pm"}, ["body", "local_time"]),
        ({"until": "2027-02-30"}, ["body", "until"]),
        ({"until": 20270630}, ["body", "until"]),
        ({"interval_weeks": 5}, ["body", "interval_weeks"]),
        ({"weeks": True}, ["body", "weeks"]),
        ({"every": "week"}, ["body", "every"]),
    ],
)
async def test_bad_fields_are_422_with_their_place(
    api: Api, change: dict[str, Any], where: list[Any]
) -> None:
    status, body = await api.call("POST", SERIES, SENSEI, json=KIDS | change)
    assert status == 422
    assert where in [d["loc"] for d in body["error"]["details"]]


async def test_broken_timetable_rules_are_422_with_an_api_hint(api: Api) -> None:
    status, body = await api.call("POST", SERIES, SENSEI, json=KIDS | {"weeks": 12})
    assert status == 422
    assert "not both" in body["error"]["message"]
    assert '"weekdays": ["mon", "wed"]' in body["error"]["hint"]
    assert "every mon,wed" not in body["error"]["hint"]  # never the chat syntax
    status, body = await api.call("POST", SERIES, SENSEI, json=KIDS | {"first_day": "2027-07-01"})
    assert status == 422 and "before it starts" in body["error"]["message"]
    status, body = await api.call("POST", SERIES, SENSEI, json=KIDS | {"timezone": "CET"})
    assert status == 422 and "abbreviation" in body["error"]["message"]
    assert (await api.call("GET", SERIES, ANA))[1]["items"] == []


async def test_roles_and_ownership(api: Api) -> None:
    # the role check comes before the body: a member gets 403 even for a broken body
    assert (await api.call("POST", SERIES, ANA, json={"x": 1}))[0] == 403
    assert (await api.call("POST", PREVIEW, ANA, json=KIDS))[0] == 403
    assert (await api.call("POST", SERIES, None, json=KIDS))[0] == 401
    status, plan = await api.call("POST", SERIES, SENSEI, json=KIDS)
    root = plan["series"]["id"]
    assert (await api.call("PATCH", f"{SERIES}/{root}", KYOSHI, json={"capacity": 5}))[0] == 403
    assert (await api.call("PATCH", f"{SERIES}/{root}", ADMIN, json={"capacity": 5}))[0] == 200
    skip = {"day": "2026-12-09"}
    assert (await api.call("POST", f"{SERIES}/{root}/skips", ANA, json=skip))[0] == 403
    assert (await api.call("DELETE", f"{SERIES}/{root}", KYOSHI))[0] == 403
    status, body = await api.call("PUT", f"{SERIES}/{root}/standing-rsvp", GUS)
    assert status == 404  # as GET: a guest learns nothing of a members-only class
    assert (await api.call("DELETE", f"{SERIES}/{root}/standing-rsvp", GUS))[0] == 404
    status, body = await api.call("GET", f"{SERIES}/nope", ANA)
    assert status == 404 and "GET /api/training/series" in body["error"]["hint"]
    assert (await api.call("GET", f"{SERIES}/not%20an%20id", ANA))[0] == 404
    status, body = await api.call(
        "POST", f"{SERIES}/{root}/skips", SENSEI, json={"day": "2026-12-10"}
    )
    assert status == 422 and "doesn't meet" in body["error"]["message"]


async def test_standing_rsvp_when_full_waitlists(api: Api) -> None:
    _, plan = await api.call("POST", SERIES, SENSEI, json=KIDS | {"capacity": 1})
    root = plan["series"]["id"]
    first = await api.call("PUT", f"{SERIES}/{root}/standing-rsvp", ANA)
    second = await api.call("PUT", f"{SERIES}/{root}/standing-rsvp", ADMIN)
    assert {r["status"] for r in first[1]["rsvps"]} == {"going"}
    assert {r["status"] for r in second[1]["rsvps"]} == {"waitlisted"}
    _, detail = await api.call("GET", f"{SERIES}/{root}", ANA)
    assert detail["standing_count"] == 2
    assert datetime.fromisoformat(detail["upcoming"][0]["start_time"]) > api.clock.now()
    assert detail["upcoming"][0]["start_time"].endswith("Z")
    assert api.clock.now().tzinfo is UTC
