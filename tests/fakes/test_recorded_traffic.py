"""`DOJOBOT_FAKES_RECORD_DIR`: every vendor fake appends what it receives and answers, no secret."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.realtimekit import RealtimeKitRooms, RealtimeKitSettings
from core.model import Member
from tests.adapters.realtimekit.conftest import session
from tests.fakes import recording
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.realtimekit_api import ACCOUNT, APP, TOKEN, running_fake_realtimekit
from tests.fakes.slack_api import BOT_TOKEN, FakeSlackApi
from tests.fakes.zerodb_standin import ZeroDBStandIn, open_standin_store

HTTP_KEYS = {"method", "path", "query", "body", "status", "response"}
SLACK_KEYS = {"method", "http", "query", "args", "response"}
DISCORD_TOKEN = "discord-bot-token-secret"
INTERACTION_TOKEN = "aW50ZXJhY3Rpb24tdG9rZW4"
ANN = Member(id="slack:T1:U2", display_name="Ann")


def lines(directory: Path, vendor: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (directory / f"{vendor}.jsonl").read_text().splitlines()]


async def drive_slack() -> None:
    fake = FakeSlackApi()
    await fake.start()
    client = AsyncWebClient(token=BOT_TOKEN, base_url=fake.base_url)
    try:
        await client.chat_postMessage(channel="C0DOJO", text="Kata at 9")
        async with httpx.AsyncClient() as raw:  # a token passed as an argument, as Slack allows
            await raw.post(
                fake.base_url + "auth.test",
                data={"token": BOT_TOKEN, "client_secret": "shh-client-secret"},
            )
    finally:
        await client.session.close() if client.session else None
        await fake.close()


async def drive_discord(base: str) -> None:
    headers = {"Authorization": f"Bot {DISCORD_TOKEN}"}
    async with httpx.AsyncClient(base_url=base, headers=headers) as client:
        assert (await client.post("/channels/111/messages", json={"content": "Kata"})).is_success
        callback = f"/interactions/222/{INTERACTION_TOKEN}/callback"
        answer = await client.post(callback, json={"type": 4, "data": {"content": "ok"}})
        assert answer.is_success, answer.text
        stats = base.removesuffix("/api/v10") + "/_fake/stats"
        assert (await client.get(stats)).is_success  # a test's control path: not recorded


async def drive_realtimekit() -> str:
    async with running_fake_realtimekit() as fake:
        settings = RealtimeKitSettings(
            account_id=ACCOUNT, app_id=APP, api_token=TOKEN, base_url=fake.base_url
        )
        rooms = RealtimeKitRooms(settings, page_url="https://dojo.example")
        try:
            room_id = await rooms.create_room(session())
            link = await rooms.join_url(session(room_id), ANN, False, datetime.now(UTC))
        finally:
            await rooms.close()
    return link.auth_token or ""


async def drive_zerodb() -> str:
    standin = ZeroDBStandIn()
    base_url = await standin.start()
    store = await open_standin_store(base_url, standin)
    try:
        assert await store.get_session("nope") is None
    finally:
        await store.close()
        await standin.close()
    return standin.api_key


async def test_every_fake_records_requests_and_answers_without_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(recording.ENV, str(tmp_path))
    await drive_slack()
    discord = FakeDiscord()
    discord.add_guild(1, {}, [111])
    await drive_discord(await discord.start())
    await discord.stop()
    participant_token = await drive_realtimekit()
    zerodb_key = await drive_zerodb()
    check_recordings(tmp_path, [participant_token, zerodb_key])


def vendor_files(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in directory.iterdir()}


def check_recordings(tmp_path: Path, minted: list[str]) -> None:
    """Every file has the documented keys and what was said; no secret is anywhere."""
    files = vendor_files(tmp_path)
    assert sorted(files) == [
        "discord.jsonl",
        "realtimekit.jsonl",
        "slack.jsonl",
        "zerodb.jsonl",
    ]
    slack = lines(tmp_path, "slack")
    assert all(set(line) == SLACK_KEYS for line in slack)
    post, auth = slack
    assert (post["method"], post["http"]) == ("chat.postMessage", "POST")
    assert post["args"]["channel"] == "C0DOJO" and post["response"]["ok"] is True
    assert post["response"]["ts"]
    assert auth["method"] == "auth.test" and auth["args"] == {}
    for vendor in ("discord", "realtimekit", "zerodb"):
        assert all(set(line) == HTTP_KEYS for line in lines(tmp_path, vendor)), vendor
    discord_lines = lines(tmp_path, "discord")
    assert [(d["method"], d["status"]) for d in discord_lines] == [("POST", 200), ("POST", 200)]
    assert discord_lines[0]["body"] == {"content": "Kata"}
    assert discord_lines[0]["response"]["content"] == "Kata"
    assert discord_lines[1]["path"] == "/api/v10/interactions/222/[redacted]/callback"
    meeting = lines(tmp_path, "realtimekit")
    create = next(m for m in meeting if m["method"] == "POST" and m["path"].endswith("/meetings"))
    assert create["body"]["title"] == "Kata basics" and create["status"] == 201
    assert create["response"]["data"]["id"]
    zerodb = lines(tmp_path, "zerodb")
    assert any(z["method"] == "POST" and z["status"] < 300 for z in zerodb)

    everything = "".join(files.values())
    for secret in (
        BOT_TOKEN,
        "shh-client-secret",
        DISCORD_TOKEN,
        INTERACTION_TOKEN,
        TOKEN,
        *minted,
    ):
        assert secret and secret not in everything


async def test_a_fake_in_its_own_process_records_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(recording.ENV, str(tmp_path))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fakes.discord_api", "50", "1.0", stdout=asyncio.subprocess.PIPE
    )
    try:
        assert process.stdout is not None
        base = (await process.stdout.readline()).decode().strip()
        async with httpx.AsyncClient(base_url=base) as client:
            assert (await client.get("/users/@me")).is_success
    finally:
        process.terminate()
        await process.wait()
    [line] = lines(tmp_path, "discord")
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v10/users/@me", 200)
    assert line["response"]["bot"] is True


def test_unset_records_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(recording.ENV, raising=False)
    assert recording.recording_middlewares("slack") == []
    recording.TrafficRecorder.from_env("zerodb").write({"x": 1})
    assert not vendor_files(tmp_path)


def test_lines_from_two_recorders_never_mix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(recording.ENV, str(tmp_path))
    first, second = (recording.TrafficRecorder.from_env("slack") for _ in range(2))
    big = "x" * 100_000
    for n in range(20):
        (first if n % 2 else second).write({"n": n, "big": big})
    assert [line["n"] for line in lines(tmp_path, "slack")] == list(range(20))
