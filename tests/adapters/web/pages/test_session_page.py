"""The public session page and its status endpoint: public facts only, live on the server clock."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

from core.commands import ScheduleSession
from core.model import Member, Origin, Visibility
from tests.adapters.web.pages.conftest import ANA, SENSEI, Site

BEN = Member(id="discord:4242", display_name="Ben Blue")


async def page_of(site: Site, session_id: str) -> tuple[int, str, dict[str, str]]:
    response = await site.client.get(f"/sessions/{session_id}")
    return response.status, await response.text(), dict(response.headers)


async def test_the_page_shows_the_public_facts_and_no_member_data(site: Site) -> None:
    session = await site.schedule(recording_enabled=True, description="Bring a <belt> & water")
    await site.service.rsvp(ANA, session.id)
    await site.service.rsvp(BEN, session.id)
    status, html, headers = await page_of(site, session.id)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "script-src 'self';" in headers["Content-Security-Policy"]
    text = unescape(html)
    assert "<h1>Kata basics</h1>" in text
    assert "with Sensei Sato" in text
    assert 'id="status" class="badge" data-status="scheduled">Scheduled<' in text
    assert '<time data-local datetime="2026-12-03T09:00:00Z">Thu 3 Dec 2026 10:00 CET' in text
    assert "Starts in 2 d 0 h 0 min" in text
    assert '<p id="seats">2/20 going</p>' in text
    assert '<span id="recording" class="badge">● Recorded</span>' in text
    assert "Bring a &lt;belt&gt; &amp; water" in html  # escaped
    for secret in (ANA.display_name, ANA.id, BEN.display_name, BEN.id, SENSEI.id, "U0ANA"):
        assert secret not in text, secret


async def test_the_join_box_appears_from_ten_minutes_before_the_start(site: Site) -> None:
    session = await site.schedule(in_=timedelta(minutes=30))
    _, html, _ = await page_of(site, session.id)
    assert '<div id="join-box" data-show-from="2026-12-01T09:20:00Z"' in html
    assert 'data-open="false" hidden>' in html
    site.clock.advance(timedelta(minutes=20))
    _, html, _ = await page_of(site, session.id)
    assert 'data-open="true">' in html
    # Slack sessions send the reader to the session's channel, where their own Join button is
    assert 'href="https://slack.com/app_redirect?channel=C0DOJO&amp;team=T0001"' in html
    assert "Get your link in Slack" in html and "Joining is personal" in html
    assert 'data-server-now="2026-12-01T09:20:00Z"' in html
    assert 'data-status-url="/sessions/' in html and 'data-poll-ms="2000"' in html


async def test_status_json_follows_the_service_clock_and_holds_no_member_data(
    site: Site,
) -> None:
    session = await site.schedule(in_=timedelta(minutes=30), capacity=None)
    await site.service.rsvp(ANA, session.id)
    response = await site.client.get(f"/sessions/{session.id}/status.json")
    assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
    body = await response.json()
    assert body == {
        "id": session.id,
        "status": "scheduled",
        "status_label": "Scheduled",
        "now": "2026-12-01T09:00:00Z",
        "start_time": "2026-12-01T09:30:00Z",
        "join_opens_at": "2026-12-01T09:20:00Z",
        "end_time": "2026-12-01T10:30:00Z",
        "join_open": False,
        "seats": "1 going",
        "going": 1,
        "capacity": None,
        "recording_enabled": False,
    }
    site.clock.advance(timedelta(minutes=25))
    body = await (await site.client.get(f"/sessions/{session.id}/status.json")).json()
    assert body["join_open"] is True and body["now"] == "2026-12-01T09:25:00Z"
    await site.service.start(SENSEI, session.id)
    body = await (await site.client.get(f"/sessions/{session.id}/status.json")).json()
    assert (body["status"], body["status_label"], body["join_open"]) == ("live", "Live now", True)
    await site.service.end(SENSEI, session.id)
    body = await (await site.client.get(f"/sessions/{session.id}/status.json")).json()
    assert (body["status"], body["join_open"]) == ("ended", False)
    _, html, _ = await page_of(site, session.id)
    assert 'data-open="closed" hidden' in html and 'id="countdown"' in html


async def test_unknown_sessions_are_404(site: Site) -> None:
    status, html, _ = await page_of(site, "nosuch12")
    assert status == 404 and "No such session" in html
    response = await site.client.get("/sessions/nosuch12/status.json")
    assert response.status == 404 and await response.json() == {"error": "not_found"}
    assert (await site.client.get("/sessions/bad.id!")).status == 404


async def test_titles_and_names_are_escaped(site: Site) -> None:
    session = await site.schedule(title='<script>alert("x")</script>')
    _, html, _ = await page_of(site, session.id)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


async def test_canceled_sessions_say_so_and_other_platforms_get_their_instruction(
    site: Site,
) -> None:
    session = await site.schedule(visibility=Visibility.MEMBERS_ONLY)
    await site.service.cancel(SENSEI, session.id)
    _, html, _ = await page_of(site, session.id)
    assert 'data-status="canceled">Canceled<' in html
    assert "members only" in html
    discord = await site.service.schedule(
        SENSEI,
        ScheduleSession(title="Ukemi", start_time=site.clock.now() + timedelta(days=1)),
        Origin(platform="discord", workspace_id="111", channel_id="222"),
    )
    _, html, _ = await page_of(site, discord.id)
    assert 'href="https://discord.com/channels/111/222"' in html
    terminal = await site.service.schedule(
        SENSEI,
        ScheduleSession(title="Kihon", start_time=site.clock.now() + timedelta(days=1)),
        Origin(platform="terminal", channel_id="dojo"),
    )
    _, html, _ = await page_of(site, terminal.id)
    # no channel to link to: the sentence saying how, and nothing that looks like a button
    box = html.split('id="join-box"')[1].split("</div>")[0]
    assert f"type /join {terminal.id}" in box
    assert 'class="button"' not in box and 'id="join"' not in box and "<a " not in box


async def test_assets_are_served_and_nothing_else(site: Site) -> None:
    response = await site.client.get("/assets/page.js")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/javascript")
    assert "serverNow" in await response.text()
    assert (await site.client.get("/assets/style.css")).status == 200
    assert (await site.client.get("/assets/rtk-join.js")).status == 200
    assert (await site.client.get("/assets/../settings.py")).status == 404
    assert (await site.client.get("/assets/context.py")).status == 404
