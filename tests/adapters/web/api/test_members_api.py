"""Members through the REST API (issue 15), over real loopback HTTP: the caller's profile
filled from the token, reminder choices, linking an account with a one-time code, unlinking,
forget-me in two steps and an admin's forget; strict bodies, roles and API-worded hints."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

import pytest

from core.commands import ScheduleSeries
from core.members import FORGOTTEN_NAME, LINK_CODE_TTL
from core.model import Member, Role, RsvpStatus
from tests.adapters.web.api.conftest import ADMIN, ANA, SENSEI, Api

ME = "/api/me"
ANA_ON_SLACK = Member(id="slack:T1:U1", display_name="Ana S.", role=Role.MEMBER)
BEN = Member(id="web:ben", display_name="Ben", role=Role.MEMBER)


async def test_me_is_the_profile_filled_from_the_token(api: Api) -> None:
    headers = {"Authorization": "Bearer " + _token(api, ANA, timezone="Europe/Berlin")}
    status, me = await api.call("GET", ME, headers=headers)
    assert status == 200, me
    assert (me["id"], me["acting_id"], me["display_name"]) == (ANA.id, ANA.id, "Ana")
    assert me["timezone"] == "Europe/Berlin" and me["identities"] == [ANA.id]
    assert me["reminders"] == {"kinds": None, "route": None, "quiet_hours": None, "per_class": []}
    assert me["last_seen_at"].startswith("2026-12-01T09:00:00")
    status, again = await api.call("GET", ME, ANA)  # a token without tz keeps the zone
    assert again["timezone"] == "Europe/Berlin"


async def test_reminder_choices_are_replaced_whole_and_checked(api: Api) -> None:
    body: dict[str, Any] = {
        "kinds": ["24h", "2h"],
        "route": "dm",
        "quiet_hours": {"start": "22:00", "end": "07:00"},
    }
    status, me = await api.call("PUT", f"{ME}/reminders", ANA, json=body)
    assert status == 200, me
    assert me["reminders"] == body | {"per_class": []}
    status, me = await api.call("PUT", f"{ME}/reminders", ANA, json={"route": "none"})
    assert me["reminders"]["kinds"] is None and me["reminders"]["route"] == "none"

    status, refused = await api.call("PUT", f"{ME}/reminders", ANA, json={"kinds": ["2h", "3h"]})
    assert status == 422 and "one custom lead time" in refused["error"]["hint"]
    plan = await api.service.schedule_series(
        SENSEI, ScheduleSeries(title="Kids", weekdays=[0], local_time=time(17, 30), weeks=4)
    )
    override = {"class_id": plan.series.root_id, "kinds": ["1h"], "route": None}
    status, me = await api.call("PUT", f"{ME}/reminders", ANA, json={"per_class": [override]})
    assert status == 200 and me["reminders"]["per_class"] == [override]
    unknown = {"per_class": [{"class_id": "nosuchclass", "kinds": ["1h"]}]}
    status, refused = await api.call("PUT", f"{ME}/reminders", ANA, json=unknown)
    assert status == 404 and "GET /api/training/series" in refused["error"]["hint"]
    status, refused = await api.call(
        "PUT", f"{ME}/reminders", ANA, json={"quiet_hours": {"start": "25:00", "end": "07:00"}}
    )
    assert status == 422 and refused["error"]["details"][0]["loc"][:2] == ["body", "quiet_hours"]
    status, refused = await api.call("PUT", f"{ME}/reminders", ANA, json={"kind": ["1h"]})
    assert status == 422  # unknown fields are refused, not ignored


async def test_an_account_linked_with_a_code_is_the_same_member(api: Api) -> None:
    session = await api.schedule(capacity=5)
    status, code = await api.call("POST", f"{ME}/link-code", ANA)
    assert status == 201, code
    assert code["member_id"] == ANA.id and "POST /api/me/link" in code["next_step"]
    assert code["expires_at"].startswith("2026-12-01T09:10:00")

    status, refused = await api.call("POST", f"{ME}/link", ANA_ON_SLACK, json={"code": "WRONG1"})
    assert status == 422 and "unknown, used or expired" in refused["error"]["message"]
    assert "POST /api/me/link-code" in refused["error"]["hint"]  # no chat syntax in the API
    status, me = await api.call(
        "POST", f"{ME}/link", ANA_ON_SLACK, json={"code": code["code"].lower()}
    )
    assert status == 200, me
    assert (me["id"], me["acting_id"]) == (ANA.id, ANA_ON_SLACK.id)
    assert me["identities"] == [ANA.id, ANA_ON_SLACK.id]

    linked = await api.service.identify(_facts(ANA_ON_SLACK), Role.MEMBER)
    await api.service.rsvp(linked, session.id)
    await api.service.rsvp(await api.service.identify(_facts(ANA), Role.MEMBER), session.id)
    rsvps = await api.store.list_rsvps(session.id)
    assert [(r.member_id, r.status) for r in rsvps] == [(ANA.id, RsvpStatus.GOING)]
    plan = await api.service.schedule_series(
        SENSEI, ScheduleSeries(title="Kids", weekdays=[0], local_time=time(17, 30), weeks=4)
    )
    root = plan.series.root_id
    status, _ = await api.call("PUT", f"/api/training/series/{root}/standing-rsvp", ANA_ON_SLACK)
    assert status == 200  # every request acts as the profile the token's account is linked to
    assert [s.member_id for s in await api.store.list_standing_rsvps(root)] == [ANA.id]

    status, alone = await api.call("DELETE", f"{ME}/link", ANA_ON_SLACK)
    assert status == 200 and alone["id"] == ANA_ON_SLACK.id
    status, refused = await api.call("DELETE", f"{ME}/link", ANA_ON_SLACK)
    assert status == 422 and "not linked" in refused["error"]["message"]


async def test_an_expired_link_code_is_refused(api: Api) -> None:
    code = (await api.call("POST", f"{ME}/link-code", ANA))[1]["code"]
    api.clock.advance(LINK_CODE_TTL)
    status, refused = await api.call("POST", f"{ME}/link", BEN, json={"code": code})
    assert status == 422 and "expired" in refused["error"]["message"]


async def test_forget_me_takes_the_callers_own_confirmation(api: Api) -> None:
    session = await api.schedule(in_=timedelta(minutes=5))
    ana = await api.service.identify(_facts(ANA), Role.MEMBER)
    await api.service.rsvp(ana, session.id)
    status, code = await api.call("POST", f"{ME}/forget", ANA)
    assert status == 201 and f"{ME}/forget/confirm" in code["next_step"]
    confirm = {"code": code["code"]}
    status, refused = await api.call("POST", f"{ME}/forget/confirm", BEN, json=confirm)
    assert status == 422 and "POST /api/me/forget" in refused["error"]["hint"]
    status, done = await api.call("POST", f"{ME}/forget/confirm", ANA, json=confirm)
    assert status == 200 and done == {"kept_anonymously": 1}
    rsvps = await api.store.list_rsvps(session.id)
    assert [r.member_name for r in rsvps] == [FORGOTTEN_NAME]
    assert rsvps[0].status is RsvpStatus.LEFT  # the seat was given up first

    status, refused = await api.call("POST", f"{ME}/forget", SENSEI)
    assert status == 409 and "still teaches 1 session" in refused["error"]["message"]
    assert "DELETE /api/training/sessions/{session_id}" in refused["error"]["hint"]


async def test_only_admins_forget_someone_else_and_only_the_member_named(api: Api) -> None:
    await api.call("GET", ME, BEN)
    path = f"/api/members/{BEN.id}/forget"
    status, refused = await api.call("POST", path, ANA)
    assert (
        status == 403
        and refused["error"]["hint"] == "To be forgotten yourself: POST /api/me/forget."
    )
    status, refused = await api.call("POST", f"{path}/confirm", ANA, json={"code": "ABCDEFGH"})
    assert status == 403  # before the body is read
    status, refused = await api.call("POST", "/api/members/web:nobody/forget", ADMIN)
    assert status == 404

    status, code = await api.call("POST", path, ADMIN)
    assert status == 201 and code["member_id"] == BEN.id
    confirm = {"code": code["code"]}
    status, refused = await api.call(
        "POST", f"/api/members/{ANA.id}/forget/confirm", ADMIN, json=confirm
    )
    assert status == 422  # the code names Ben, not Ana: refused, and still Ben's to confirm
    status, done = await api.call("POST", f"{path}/confirm", ADMIN, json=confirm)
    assert status == 200 and done == {"kept_anonymously": 0}
    assert await api.store.get_profile(BEN.id) is None


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", ME),
        ("PUT", f"{ME}/reminders"),
        ("POST", f"{ME}/link-code"),
        ("POST", f"{ME}/link"),
        ("DELETE", f"{ME}/link"),
        ("POST", f"{ME}/forget"),
        ("POST", f"{ME}/forget/confirm"),
        ("POST", "/api/members/web:ben/forget"),
        ("POST", "/api/members/web:ben/forget/confirm"),
    ],
)
async def test_every_member_route_needs_a_token(
    api: Api, disabled_api: Api, method: str, path: str
) -> None:
    status, body = await api.call(method, path, json={})
    assert status == 401 and body["error"]["code"] == "unauthorized"
    status, body = await disabled_api.call(method, path, ANA, json={})
    assert status == 503 and body["error"]["code"] == "api_disabled"


def _token(api: Api, who: Member, **claims: Any) -> str:
    from tests.adapters.web.api.conftest import token

    return token(who, api.clock, **claims)


def _facts(who: Member) -> Any:
    from core.members import PlatformFacts

    return PlatformFacts(member_id=who.id, display_name=who.display_name)
