"""A request id flows from the HTTP request or the chat interaction through every log line of
its work (background jobs included); reminders carry their delivery id; lines about one
session carry its id. Captured through dojobot's own JSON logging at DEBUG."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.slack.settings import SlackSettings
from adapters.web import WebSettings
from bot.settings import Settings
from core.testing.clock import FakeClock
from tests.adapters.discord.harness import CHANNEL, GUILD
from tests.adapters.slack.world import PUBLIC_URL, SENSEI, SlackWorld, make_world
from tests.e2e import test_discord_story as discord_story
from tests.e2e.conftest import START, Terminal
from tests.e2e.log_watch import LogWatch
from tests.fakes.discord_api import FakeDiscord, slash_command
from tests.fakes.slack_api import BOT_TOKEN, SIGNING_SECRET


@pytest.fixture
def watch() -> Iterator[LogWatch]:
    watcher = LogWatch()
    yield watcher
    watcher.stop()


def with_id(records: list[dict[str, Any]], field: str, value: str) -> list[dict[str, Any]]:
    return [r for r in records if r.get(field) == value]


@pytest.fixture
async def slack_world(
    tmp_path: Path, watch: LogWatch, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[SlackWorld]:
    for name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(
        web=WebSettings(public_url=PUBLIC_URL),
        slack=SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET),
        _env_file=None,
    )
    watch.start(settings, "json")
    world = await make_world(tmp_path)
    yield world
    await world.close()


async def test_slack_request_id_reaches_the_queued_work_and_reminders_their_delivery_id(
    slack_world: SlackWorld, watch: LogWatch
) -> None:
    sender = slack_world.sender
    body = sender.command_body("/schedule-session", '"Kata" 2026-12-03 18:00 60m', SENSEI)
    headers = sender.signed(body) | {"X-Request-Id": "ops-slack-1"}
    assert await sender.post(body, headers) == (200, "")
    await slack_world.settle()
    [post] = slack_world.api.channel_posts("C0DOJO")
    sid = post.args["blocks"][2]["elements"][0]["text"].split("`")[1]

    records = watch.records()
    mine = with_id(records, "request_id", "ops-slack-1")
    loggers = {r["logger"] for r in mine}
    assert "adapters.web.access" in loggers  # the HTTP request itself
    assert "adapters.slack.library" in loggers  # the queued work: replies and the card
    assert any(r.get("session_id") == sid for r in mine), mine
    assert all(r["role"] == "run" for r in records)
    [access] = [r for r in mine if r["logger"] == "adapters.web.access"]
    assert access["message"].startswith("POST /slack/events 200")

    mark = len(records)
    clock = slack_world.clock
    # nobody is going: only the channel's post, by default only the 10-minute one
    await slack_world.app.alarm.advance(START.replace(day=3, hour=16, minute=50) - clock.now())
    sends = [r for r in watch.records()[mark:] if r.get("delivery_id")]
    assert sends, "the 10 min reminder to the channel was logged with its delivery id"
    assert {r["delivery_id"].split(":")[:2][0] for r in sends} == {sid}
    assert {r["delivery_id"].split(":")[1] for r in sends} == {"10m"}
    assert all(r.get("session_id") == sid for r in sends)


async def test_terminal_lines_each_carry_their_own_request_id(
    tmp_path: Path, watch: LogWatch
) -> None:
    term = Terminal(tmp_path, FakeClock(START))
    watch.start(term.settings, "json")
    await term.boot()
    try:
        printed = await term.type(
            "/as sensei instructor", '/schedule-session "Kata" 2026-12-03 18:00 60m'
        )
        sid = term.session_id(printed)
        mark = len(watch.records())
        await term.type("/as ana member", f"/rsvp {sid}")
        rsvp = [r for r in watch.records()[mark:] if r.get("request_id")]
    finally:
        assert term.app is not None
        await term.app.close()
    assert rsvp and {r["session_id"] for r in rsvp if "session_id" in r} == {sid}
    assert len({r["request_id"] for r in watch.records() if r.get("request_id")}) >= 2


async def test_a_discord_interaction_id_is_the_request_id_of_its_work(
    tmp_path: Path, watch: LogWatch
) -> None:
    fake = FakeDiscord()
    await fake.start()
    story = discord_story.Story(tmp_path, fake)
    watch.start(story.settings, "json")
    gateway = await story.boot()
    try:
        payload = slash_command("sessions", discord_story.ANA, GUILD, CHANNEL)
        await gateway.interact(payload)
    finally:
        assert story.app is not None
        await story.app.close()
        await fake.stop()
    mine = with_id(watch.records(), "request_id", str(payload["id"]))
    assert any(r["logger"].startswith("discord.") for r in mine), mine


async def test_http_requests_echo_a_sane_request_id_or_get_one(
    tmp_path: Path, watch: LogWatch
) -> None:
    term = Terminal(tmp_path, FakeClock(START))
    watch.start(term.settings, "json")
    app = await term.boot()
    assert app.web is not None
    try:
        async with httpx.AsyncClient(base_url=app.web.base_url) as client:
            given = await client.get("/healthz", headers={"X-Request-Id": "lb-7f3a"})
            wild = await client.get("/healthz", headers={"X-Request-Id": "x" * 65})
            none = await client.get("/join/not-a-real-token")
            missing = await client.get("/no/such/page", headers={"X-Request-Id": "lost-1"})
    finally:
        await app.close()
    assert given.headers["X-Request-Id"] == "lb-7f3a"
    assert wild.headers["X-Request-Id"] != "x" * 65 and len(wild.headers["X-Request-Id"]) == 16
    assert none.headers["X-Request-Id"] not in ("", given.headers["X-Request-Id"])
    access = [r for r in watch.records() if r["logger"] == "adapters.web.access"]
    assert [r["request_id"] for r in access[:1]] == ["lb-7f3a"]
    assert any(r["message"].startswith("GET /join/{token} ") for r in access), access
    assert "not-a-real-token" not in watch.text
    assert (missing.status_code, missing.headers["X-Request-Id"]) == (404, "lost-1")
    [lost] = [r for r in access if r["request_id"] == "lost-1"]
    assert lost["message"].startswith("GET unmatched 404 ")
