"""Attendance exports on Slack: `/export-attendance` uploads the CSV into the member's DM
with the real slack_sdk's `files_upload_v2` (files.getUploadURLExternal → POST the bytes to
the upload URL → files.completeUploadExternal), against the fake Web API over HTTP, which
checks each step as Slack does."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError

from adapters.slack.chat import SlackChat
from adapters.slack.ids import member_id
from adapters.slack.pacing import ChannelPacer
from core.errors import DeliveryRefused
from core.export_file import ExportFile
from core.i18n import t
from core.testing.clock import FakeClock
from core.testing.store import InMemorySessionStore
from core.training_ledger import LedgerEntry
from tests.adapters.slack.fake_client import fake_slack_client
from tests.adapters.slack.world import ANA, BEN, SENSEI, SlackWorld, make_world
from tests.fakes.slack_api import TEAM, FakeSlackApi

DAY = datetime(2026, 11, 20, 18, tzinfo=UTC)


def entry(user: str, name: str, series: str = "c-7", n: int = 0) -> LedgerEntry:
    return LedgerEntry(
        session_id=f"s-{n}",
        member_id=member_id(TEAM, user),
        member_name=name,
        title="Kata",
        series_id=series,
        instructor_id=member_id(TEAM, SENSEI),
        starts_at=DAY + timedelta(days=n),
        session_seconds=3600,
        seconds_present=3600,
        attended=True,
        recorded_at=DAY + timedelta(days=n, hours=1),
    )


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[SlackWorld]:
    store = InMemorySessionStore()
    await store.save_ledger(
        [entry(ANA, "Ana"), entry(BEN, "=Ben"), entry(ANA, "Ana", series="c-9", n=1)]
    )
    built = await make_world(tmp_path, store=store)
    yield built
    await built.close()


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


async def test_a_member_gets_their_own_record_in_their_dm(world: SlackWorld) -> None:
    reply = await world.command("/export-attendance", "", ANA)
    assert reply["response_type"] == "ephemeral"
    [shared] = world.api.files_in(f"D{ANA}")
    assert shared.filename.startswith("attendance-member-slack-T0DOJO-U0ANA-")
    assert shared.filename in json.dumps(reply) and "sent to you privately" in json.dumps(reply)
    assert shared.title == "Attendance export: 2 rows" == shared.initial_comment
    assert shared.data is not None
    assert [row[5] for row in csv_rows(shared.data)[1:]] == [member_id(TEAM, ANA)] * 2
    [asked] = world.api.calls_of("files.getUploadURLExternal")
    assert int(asked.args["length"]) == len(shared.data)
    assert world.api.files_in(f"D{BEN}") == []


async def test_an_instructor_exports_a_class_and_a_member_is_refused_others(
    world: SlackWorld,
) -> None:
    await world.command("/export-attendance", "class c-7", SENSEI)
    [shared] = world.api.files_in(f"D{SENSEI}")
    assert shared.data is not None
    rows = csv_rows(shared.data)
    assert [row[6] for row in rows[1:]] == ["Ana", "'=Ben"]  # a formula stays text
    refused = await world.command("/export-attendance", f"member {member_id(TEAM, BEN)}", ANA)
    assert "only your own training record" in json.dumps(refused)
    assert world.api.files_in(f"D{ANA}") == []


# the fake checks each step like Slack ------------------------------------------------------


@pytest.fixture
async def chat() -> AsyncIterator[tuple[SlackChat, aiohttp.ClientSession, FakeSlackApi]]:
    async with fake_slack_client("Ada") as (api, client), aiohttp.ClientSession() as http:
        yield SlackChat(client, FakeClock(DAY), "https://d.example", ChannelPacer(0)), http, api


async def test_the_upload_steps_are_checked_like_slack(
    chat: tuple[SlackChat, aiohttp.ClientSession, FakeSlackApi],
) -> None:
    slack, http, _ = chat
    client = slack.client
    with pytest.raises(SlackApiError) as missing:
        await client.files_getUploadURLExternal(filename="a.csv", length=0)
    assert missing.value.response.data == {"ok": False, "error": "missing_argument"}
    answer = await client.files_getUploadURLExternal(filename="a.csv", length=5)
    url, file_id = str(answer["upload_url"]), str(answer["file_id"])
    assert url.startswith("http://127.0.0.1:")
    with pytest.raises(SlackApiError) as early:  # nothing uploaded yet
        await client.files_completeUploadExternal(files=[{"id": file_id}], channel_id="DU1")
    assert early.value.response["error"] == "file_not_found"
    async with http.post(url, data=b"too long") as wrong:
        assert wrong.status == 400
    async with http.post(url, data=b"a,b\r\n") as right:
        assert (right.status, await right.text()) == (200, "OK - 5")
    with pytest.raises(SlackApiError) as nowhere:
        await client.files_completeUploadExternal(files=[{"id": file_id}], channel_id="DU404")
    assert nowhere.value.response["error"] == "channel_not_found"
    done = await client.files_completeUploadExternal(files=[{"id": file_id}], channel_id="DU1")
    assert done["files"][0]["id"] == file_id
    with pytest.raises(SlackApiError) as twice:
        await client.files_completeUploadExternal(files=[{"id": file_id}], channel_id="DU1")
    assert twice.value.response["error"] == "file_not_found"


async def test_without_files_write_the_export_is_refused_not_crashed(
    chat: tuple[SlackChat, aiohttp.ClientSession, FakeSlackApi],
) -> None:
    slack, _, api = chat
    api.scopes.remove("files:write")
    file = ExportFile("a.csv", "text/csv; charset=utf-8", b"a\r\n", t("Attendance"))
    with pytest.raises(DeliveryRefused) as refused:
        await slack.send_file(member_id(TEAM, "U1"), file)
    assert "missing_scope" in str(refused.value)
