"""`/join/<token>`: signed per-member links, checked at click time."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

from aiohttp import ClientResponse

from core.model import RoomLink, TrainingSession, Visibility
from tests.adapters.web.pages.conftest import ANA, GUEST, PUBLIC_URL, SENSEI, Site


def assert_hardened(response: ClientResponse) -> None:
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def open_link(site: Site, url: str) -> ClientResponse:
    assert url.startswith(PUBLIC_URL + "/join/"), url
    return await site.client.get(url.removeprefix(PUBLIC_URL), allow_redirects=False)


async def soon(site: Site) -> TrainingSession:
    """A session starting in 5 minutes: the room is open for joining."""
    return await site.schedule(in_=timedelta(minutes=5), title="Randori <night>")


async def test_the_service_hands_out_join_page_links_once_the_pages_are_served(
    site: Site,
) -> None:
    session = await soon(site)
    link = await site.service.join(ANA, session.id)
    assert link.expires_at == site.clock.now() + timedelta(minutes=15)
    response = await open_link(site, link.url)
    assert response.status == 302
    assert response.headers["Location"].startswith("https://rooms.invalid/memory-")
    assert "member=slack%3AT0001%3AU0ANA" in response.headers["Location"]
    assert_hardened(response)
    stays = await site.store.list_attendance(session.id)
    assert [(s.member_id, s.joined_at) for s in stays] == [(ANA.id, site.clock.now())]


async def test_the_instructor_gets_the_host_link(site: Site) -> None:
    session = await soon(site)
    response = await open_link(site, (await site.service.join(SENSEI, session.id)).url)
    assert response.status == 302 and "host=1" in response.headers["Location"]


async def test_a_forged_token_gets_403_and_learns_nothing(site: Site) -> None:
    session = await soon(site)
    token = site.token(ANA, session.id)
    body, signature = token.split(".")
    forged = body + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    for path in (f"/join/{forged}", "/join/nonsense", f"/join/{body}", f"/join/{token}x"):
        response = await site.client.get(path, allow_redirects=False)
        assert response.status == 403, path
        text = unescape(await response.text())
        assert "isn't valid" in text
        assert "Randori" not in text and session.id not in text and "Ana" not in text
        assert_hardened(response)
    assert site.rooms.issued == [] and await site.store.list_attendance(session.id) == []


async def test_an_expired_token_gets_403_saying_so(site: Site) -> None:
    session = await soon(site)
    link = await site.service.join(ANA, session.id)
    site.clock.advance(timedelta(minutes=15))
    response = await open_link(site, link.url)
    assert response.status == 403
    text = unescape(await response.text())
    assert "expired" in text and "Press Join again" in text and "Randori" not in text


async def test_too_early_says_why_with_a_countdown_on_the_server_clock(site: Site) -> None:
    session = await site.schedule(in_=timedelta(hours=1))  # e.g. moved after the link went out
    response = await site.client.get(f"/join/{site.token(ANA, session.id)}")
    assert response.status == 409
    assert_hardened(response)
    text = unescape(await response.text())
    assert "Too early" in text and "Tue 1 Dec 2026 10:50 CET (Europe/Berlin)" in text
    opens = session.join_opens_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'data-countdown-to="{opens}"' in text
    assert f'data-show-from="{opens}"' in text  # the "Join now" button appears then
    assert 'data-server-now="2026-12-01T09:00:00Z"' in text
    assert f'data-status-url="/sessions/{session.id}/status.json"' in text
    assert '<script src="/assets/page.js" defer>' in text
    assert site.rooms.issued == [] and await site.store.list_attendance(session.id) == []


async def test_other_refusals_say_why(site: Site) -> None:
    session = await soon(site)
    token = site.token(ANA, session.id)
    await site.service.cancel(SENSEI, session.id, "sensei is ill")
    response = await site.client.get(f"/join/{token}")
    assert response.status == 409
    text = unescape(await response.text())
    assert "was canceled" in text and "data-countdown-to" not in text

    members_only = await site.schedule(in_=timedelta(minutes=5), visibility=Visibility.MEMBERS_ONLY)
    response = await site.client.get(f"/join/{site.token(GUEST, members_only.id)}")
    assert response.status == 403
    assert "members only" in unescape(await response.text())


async def test_a_full_session_refuses_members_without_a_seat(site: Site) -> None:
    session = await site.schedule(in_=timedelta(minutes=5), capacity=1)
    await site.service.rsvp(SENSEI.model_copy(update={"id": "slack:T0001:U0X"}), session.id)
    response = await site.client.get(f"/join/{site.token(ANA, session.id)}")
    assert response.status == 409 and "is full" in unescape(await response.text())


async def test_a_room_provider_failure_is_503_and_a_vanished_session_404(site: Site) -> None:
    session = await soon(site)
    site.rooms.down = True
    response = await site.client.get(f"/join/{site.token(ANA, session.id)}")
    assert response.status == 503
    assert "unavailable" in unescape(await response.text())
    response = await site.client.get(f"/join/{site.token(ANA, 'gone1234')}")
    assert response.status == 404


async def test_a_room_without_ready_room_is_503(site: Site) -> None:
    site.rooms.fail_creates = 5
    session = await soon(site)
    response = await site.client.get(f"/join/{site.token(ANA, session.id)}")
    assert response.status == 503
    assert "isn't ready" in unescape(await response.text())


async def test_ui_kit_providers_get_a_page_with_the_member_token(site: Site) -> None:
    session = await soon(site)
    original = site.rooms.join_url

    async def with_token(*args: object, **kwargs: object) -> RoomLink:
        link = await original(*args, **kwargs)  # type: ignore[arg-type]
        return link.model_copy(update={"auth_token": 'tok"en<1>'})

    site.rooms.join_url = with_token  # type: ignore[method-assign]
    response = await site.client.get(f"/join/{site.token(ANA, session.id)}")
    assert response.status == 200
    assert_hardened(response)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'wasm-unsafe-eval' https://cdn.jsdelivr.net" in csp
    text = await response.text()
    assert 'data-auth-token="tok&quot;en&lt;1&gt;"' in text
    assert re.search(
        r'<script src="https://cdn\.jsdelivr\.net/npm/@cloudflare/realtimekit@[^"]+"', text
    )
    assert '<script src="/assets/rtk-join.js" defer>' in text
    assert "<rtk-meeting" in text


async def test_the_join_page_asks_the_rules_at_click_time_not_at_issue(site: Site) -> None:
    session = await soon(site)
    link = await site.service.join(ANA, session.id)
    site.clock.advance(timedelta(minutes=5 + session.duration_minutes))  # the class is over
    response = await open_link(site, link.url)
    assert response.status == 403  # the 15-minute link has expired by then
    fresh = await site.client.get(f"/join/{site.token(ANA, session.id)}")
    assert fresh.status == 409 and "was not held" in unescape(await fresh.text())  # never started
