"""A session on Cloudflare RealtimeKit, driven through the terminal and signed webhooks.

Everything is real except Cloudflare: bootstrap wires SQLite, APScheduler, the shared web
server and `RealtimeKitRooms` (httpx) pointed at the fake RealtimeKit API on loopback.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.realtimekit import RealtimeKitSettings
from adapters.web import WebSettings
from bot.bootstrap import App, bootstrap
from bot.settings import Settings
from bot.wiring.realtimekit import build_realtimekit_webhooks
from core.model import Member, Role, RoomState, SessionStatus
from core.testing.clock import FakeClock
from tests.e2e.conftest import START
from tests.fakes.realtimekit_api import (
    ACCOUNT,
    APP,
    TOKEN,
    FakeRealtimeKit,
    WebhookSigner,
    payload,
    running_fake_realtimekit,
)

SIGNER = WebhookSigner()
ANA = Member(id="terminal:ana", display_name="Ana")
SENSEI = Member(id="terminal:sensei", display_name="Sensei", role=Role.INSTRUCTOR)
SLOT = START.replace(hour=18)  # 2026-12-01 18:00 UTC


def iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


class Story:
    """The app, the fake Cloudflare, and helpers to type commands and deliver webhooks."""

    def __init__(self, app: App, fake: FakeRealtimeKit, output: list[str]) -> None:
        self.app = app
        self.fake = fake
        self.output = output
        self.http = httpx.AsyncClient()

    async def type(self, *lines: str) -> list[str]:
        mark = len(self.output)
        for line in lines:
            self.output.append(f"> {line}")
            assert await self.app.console.handle(line)
        return self.output[mark:]

    async def deliver(self, body: bytes, delivery: str | None = None) -> int:
        assert self.app.web is not None
        response = await self.http.post(
            f"{self.app.web.base_url}/webhooks/realtimekit",
            content=body,
            headers=SIGNER.headers(body, delivery),
        )
        return response.status_code

    async def participant(self, who: str, at: datetime, event: str, **more: Any) -> int:
        member = {"customParticipantId": f"terminal:{who}", "userDisplayName": who.title()}
        times = {"joinedAt": iso(at)} | more
        return await self.deliver(
            payload(f"meeting.participant{event}", self.meeting, participant=member | times)
        )

    @property
    def meeting(self) -> str:
        [meeting_id] = self.fake.meetings
        return meeting_id

    async def open_join_page(self, printed: list[str]) -> None:
        """If the front end showed our own /join/ page link, open it like a browser would."""
        for line in printed:
            found = re.search(r"(https?://\S+/join/\S+)", line)
            if found:
                await self.http.get(found.group(1))


def rtk_settings(tmp_path: Path, fake: FakeRealtimeKit) -> Settings:
    """Settings for the RealtimeKit world: its data under `tmp_path`, rooms on `fake`."""
    return Settings(
        data_dir=tmp_path / "data",
        web=WebSettings(port=0),
        realtimekit=RealtimeKitSettings(
            account_id=ACCOUNT,
            app_id=APP,
            api_token=TOKEN,
            base_url=fake.base_url,
            webhook_public_key=SIGNER.public_pem,
            backoff_seconds=0,
        ),
        _env_file=None,
    )


async def started_app(settings: Settings, output: list[str]) -> App:
    """The app bootstrapped with the RealtimeKit webhooks on a FakeClock, started."""
    app = await bootstrap(
        settings,
        write=output.append,
        clock=FakeClock(START),
        components=[build_realtimekit_webhooks],
    )
    await app.start()
    return app


@pytest.fixture
async def story(tmp_path: Path) -> AsyncIterator[Story]:
    output: list[str] = []
    async with running_fake_realtimekit() as fake:
        fake.down = True  # Cloudflare is down when the session is scheduled
        app = await started_app(rtk_settings(tmp_path, fake), output)
        made = Story(app, fake, output)
        try:
            yield made
        finally:
            await made.http.aclose()
            await app.close()


async def test_cloudflare_down_then_join_attendance_summary_and_recording(story: Story) -> None:
    fake = story.fake
    printed = await story.type(
        "/as sensei instructor", '/schedule-session "Randori" 2026-12-01 18:00 UTC 60m rec'
    )
    assert any("retried before the start" in line for line in printed), printed
    sid = re.search(r"\(id ([a-z0-9]+)\)", "\n".join(printed)).group(1)  # type: ignore[union-attr]
    await story.type("/as ana member", f"/rsvp {sid}", "/as ben member", f"/rsvp {sid}")

    # Cloudflare is back; the clock creates the meeting 2 h before the start
    fake.down = False
    await story.type("/advance 6h59m")
    assert fake.meetings == {}
    await story.type("/advance 1m")
    session = await story.app.store.get_session(sid)
    assert session is not None and session.room.state is RoomState.READY
    assert fake.meetings[story.meeting]["record_on_start"] is True
    assert fake.meetings[story.meeting]["persist_chat"] is False  # a week's chat: not asked
    assert session.room.room_id == story.meeting

    # join: a participant per member, host preset for the instructor, token in the link
    await story.type("/advance 1h55m")  # 17:55, the room is open
    for member in (ANA, SENSEI):  # what a Join button does (the terminal's /join also
        link = await story.app.service.join(member, sid)  # records attendance itself)
        await story.open_join_page([link.url])
    ana = fake.participant_of(story.meeting, "terminal:ana")
    sensei = fake.participant_of(story.meeting, "terminal:sensei")
    assert ana is not None and ana["preset_name"] == "group_call_participant"
    assert sensei is not None and sensei["preset_name"] == "group_call_host"
    assert not any(ana["token"] in line for line in story.output)  # tokens stay off chat

    # webhooks: the instructor in → live; Ana's join delivered twice counts once
    assert await story.participant("sensei", SLOT - timedelta(minutes=4), "Joined") == 200
    assert await story.deliver(payload("meeting.started", story.meeting)) == 200
    assert (await story.app.service.get(sid)).status is SessionStatus.LIVE
    for _ in range(2):
        assert await story.participant("ana", SLOT, "Joined") == 200
    rows = await story.app.store.list_attendance(sid)
    assert sorted(r.member_id for r in rows) == ["terminal:ana", "terminal:sensei"]

    # the instructor records, then stops
    printed = await story.type("/as sensei instructor", f"/recording {sid} start")
    assert any("Recording started" in line for line in printed), printed
    [recording] = fake.recordings.values()
    assert recording["status"] == "INVOKED"  # the recorder has not joined yet
    printed = await story.type(f"/recording {sid} stop")
    assert recording["status"] == "UPLOADING", printed
    printed = await story.type("/as ana member", f"/recording {sid} stop")
    assert any("Only sensei" in line for line in printed), printed

    # Ana leaves, the meeting ends: session ended, summary with the no-show, room closed
    await story.type("/advance 50m")  # 18:45
    left = SLOT + timedelta(minutes=40)
    assert await story.participant("ana", SLOT, "Left", leftAt=iso(left)) == 200
    printed_mark = len(story.output)
    ended = payload("meeting.ended", story.meeting, reason="HOST_ENDED_MEETING")
    assert await story.deliver(ended) == 200
    printed = story.output[printed_mark:]
    summary = "\n".join(line for line in printed if "ended" in line)
    assert "[#dojo · everyone]" in summary
    assert "Attended (2): Sensei 49 min, Ana 40 min" in summary, printed
    assert "RSVP'd but absent (1): ben" in summary, printed
    assert (await story.app.service.get(sid)).status is SessionStatus.ENDED
    assert fake.meetings[story.meeting]["status"] == "INACTIVE"

    # the recording is uploaded: stored, DMed to the attendees (members-only session)
    url = "https://recordings.example/randori.mp4?sig=1"
    upload = payload(
        "recording.statusUpdate",
        story.meeting,
        recording={
            "id": "r1",
            "status": "UPLOADED",
            "downloadUrl": url,
            "meetingId": story.meeting,
        },
    )
    assert await story.deliver(upload) == 200
    assert (await story.app.service.get(sid)).recording_url == url
    dms = [line for line in story.output if url in line]
    assert len(dms) == 2 and all("[DM →" in line for line in dms), dms

    # the daily cleanup removes the participants
    await story.type("/advance 1d")
    assert fake.participants[story.meeting] == {}


async def test_forged_webhook_is_refused(story: Story) -> None:
    assert story.app.web is not None
    body = payload("meeting.started", "any-meeting")
    forged = WebhookSigner().headers(body)
    response = await story.http.post(
        f"{story.app.web.base_url}/webhooks/realtimekit", content=body, headers=forged
    )
    assert response.status_code == 401
