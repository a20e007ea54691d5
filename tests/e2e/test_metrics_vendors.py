"""Vendor calls counted through bootstrap for Discord (discord.py, aiohttp trace) and
RealtimeKit (httpx hooks), with a 429 each; webhook deliveries; labels free of ids."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.metrics.registry import DojoMetrics
from adapters.web import WebSettings
from adapters.zerodb.settings import ZeroDBSettings
from adapters.zerodb.tables import ZeroDBError
from bot.bootstrap import App, bootstrap
from bot.settings import Settings
from core.model import SessionFilter
from core.testing.clock import FakeClock
from tests.adapters.discord.harness import CHANNEL, GUILD
from tests.e2e.test_discord_story import ANA, SENSEI, Story
from tests.e2e.test_realtimekit_story import Story as RtkStory
from tests.e2e.test_realtimekit_story import rtk_settings, started_app
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.realtimekit_api import ACCOUNT, APP, TOKEN, payload, running_fake_realtimekit
from tests.fakes.zerodb_standin import ZeroDBStandIn, open_standin_store

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TITLE = "Zanshin Secret Randori"
_LABEL = re.compile(r'(\w+)="([^"]*)"')


def metrics_of(app: App | None) -> DojoMetrics:
    assert app is not None and app.metering is not None and app.metering.metrics is not None
    return app.metering.metrics


def label_values(metrics: DojoMetrics) -> set[str]:
    """Every label value in the exposition."""
    return {value for _, value in _LABEL.findall(metrics.render("")[0].decode())}


def leaks(metrics: DojoMetrics, secrets: list[str]) -> list[str]:
    """The secrets found in a label value or anywhere in the text (numbers: labels only)."""
    text = metrics.render("")[0].decode()
    values = label_values(metrics)
    return [s for s in secrets if any(s in v for v in values) or (not s.isdigit() and s in text)]


async def test_discord_calls_429s_and_retries_are_counted_without_ids(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    story = Story(tmp_path, fake)
    await story.boot()
    try:
        when = "2026-12-03T17:00:00Z"
        answer = await story.slash("schedule-session", SENSEI, title=TITLE, when=when)
        sid = re.search(r"id `([A-Za-z0-9_-]+)`", str(answer))
        assert sid, answer
        await story.press(f"dojobot:rsvp:{sid.group(1)}", ANA, story.announcement())
        fake.inject_429("POST", r"/users/@me/channels", retry_after=0.001)  # Ana's DM channel
        assert story.app is not None
        await story.app.alarm.advance(datetime(2026, 12, 2, 17, tzinfo=UTC) - story.clock.now())
        assert len(fake.dms_to(ANA.user_id)) == 1
        metrics = metrics_of(story.app)
        dm = {"vendor": "discord", "method": "POST /users/@me/channels"}
        assert metrics.value("dojobot_vendor_calls_total", dm | {"outcome": "429"}) == 1
        assert metrics.value("dojobot_vendor_calls_total", dm | {"outcome": "2xx"}) == 1
        assert metrics.value("dojobot_vendor_retries_total", dm) == 1
        assert (
            metrics.value("dojobot_reminders_sent_total", {"kind": "24h", "platform": "discord"})
            >= 1
        )
        methods = {v for v in label_values(metrics) if v.startswith(("GET /", "POST /"))}
        assert "POST /interactions/{id}/{id}/callback" in methods, methods
        ids = [str(n) for n in (GUILD, CHANNEL, ANA.user_id, SENSEI.user_id)]
        secrets = [*ids, TITLE, "Zanshin", "fake-token", "token-", sid.group(1)]
        assert leaks(metrics, secrets) == []
    finally:
        assert story.app is not None
        await story.app.close()


async def test_realtimekit_calls_429s_and_webhooks_are_counted_without_ids(
    tmp_path: Path,
) -> None:
    output: list[str] = []
    async with running_fake_realtimekit() as fake:
        app = await started_app(rtk_settings(tmp_path, fake), output)
        story = RtkStory(app, fake, output)
        try:
            fake.fail_next(429, retry_after="0")
            await story.type(
                "/as sensei instructor", f'/schedule-session "{TITLE}" 2026-12-01 18:00 UTC 60m'
            )
            await story.type("/advance 7h")  # the clock creates the room 2 h before the start
            assert fake.meetings, output
            started = payload("meeting.started", story.meeting)
            assert await story.deliver(started) == 200
            assert await story.deliver(started) == 200  # a redelivery: a duplicate
            assert app.web is not None
            forged = await story.http.post(
                f"{app.web.base_url}/webhooks/realtimekit",
                content=started,
                headers={"rtk-signature": "forged"},
            )
            assert forged.status_code == 401
            metrics = metrics_of(app)
            create = {"vendor": "realtimekit", "method": "POST /meetings"}
            assert metrics.value("dojobot_vendor_calls_total", create | {"outcome": "429"}) == 1
            assert metrics.value("dojobot_vendor_calls_total", create | {"outcome": "2xx"}) == 1
            assert metrics.value("dojobot_vendor_retries_total", create) == 1
            hooks = "dojobot_webhook_deliveries_total"
            accepted = {"source": "realtimekit", "outcome": "accepted"}
            assert metrics.value(hooks, accepted) == 2
            refused = {"source": "realtimekit", "outcome": "bad_signature"}
            assert metrics.value(hooks, refused) == 1
            secrets = [ACCOUNT, APP, TOKEN]
            secrets += [story.meeting, TITLE, "Zanshin", "terminal:sensei"]
            assert leaks(metrics, secrets) == []
        finally:
            await story.http.aclose()
            await app.close()


async def test_zerodb_calls_retries_and_store_errors_are_counted(tmp_path: Path) -> None:
    standin = ZeroDBStandIn()
    base_url = await standin.start()
    store = await open_standin_store(base_url, standin)
    settings = Settings(
        data_dir=tmp_path / "data",
        web=WebSettings(enabled=False),
        zerodb=ZeroDBSettings(
            base_url=base_url, project_id=standin.project_id, api_key=standin.api_key
        ),
        _env_file=None,
    )
    app = await bootstrap(settings, role="clock", clock=FakeClock(START), store=store)
    try:
        metrics = metrics_of(app)
        standin.fail_next(503)  # once: the query is retried
        assert await app.store.count_sessions(SessionFilter()) == 0
        standin.fail_next(503, times=10)  # beyond the retries: a store error
        with pytest.raises(ZeroDBError):
            await app.store.count_sessions(SessionFilter())
        calls = [
            (labels["method"], labels["outcome"])
            for labels in _series(metrics, "dojobot_vendor_calls_total")
            if labels["vendor"] == "zerodb"
        ]
        assert calls and all("{" in m or "dojobot_" in m for m, _ in calls), calls
        assert any(outcome == "5xx" for _, outcome in calls)
        retries = sum(
            metrics.value("dojobot_vendor_retries_total", {"vendor": "zerodb", "method": m})
            for m in {m for m, _ in calls}
        )
        assert retries == 1 + 3  # one, then three before giving up (four attempts)
        error = {"operation": "count_sessions", "error": "ZeroDBError"}
        assert metrics.value("dojobot_store_errors_total", error) == 1
        assert leaks(metrics, [standin.project_id, standin.api_key]) == []
    finally:
        await app.close()
        await standin.close()


def _series(metrics: DojoMetrics, name: str) -> list[dict[str, str]]:
    """The label sets of a metric's samples."""
    return [
        dict(sample.labels)
        for family in metrics.registry.collect()
        for sample in family.samples
        if sample.name == name
    ]
