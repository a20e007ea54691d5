"""Issue 11, item 1: Slack's retries and replays are handled once across `web` processes
and across restarts (the delivery key is claimed in PostgreSQL, not in a process's memory).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from adapters.sql import SqlSessionStore
from core.model import SessionFilter
from tests.fakes.slack_api import FakeSlackApi, SlackSender
from tests.reliability.conftest import CHANNEL, SENSEI, slack_env, web_processes
from tests.reliability.processes import WebProcess, running

WITHIN = 15.0


async def post(http: httpx.AsyncClient, to: WebProcess, body: str, headers: dict[str, str]) -> bool:
    """POST a signed Slack request; True when the process dropped it as a repeat."""
    response = await http.post(f"{to.url}/slack/events", content=body, headers=headers)
    assert response.status_code == 200, (response.status_code, response.text)
    return bool(response.headers.get("x-slack-no-retry") == "1")


async def test_a_command_retried_on_another_process_and_replayed_after_a_restart_runs_once(
    tmp_path: Path, pg_url: str, pg_store: SqlSessionStore, slack_api: FakeSlackApi
) -> None:
    env = slack_env(pg_url, slack_api)
    first, second = web_processes(tmp_path, env)
    sender = SlackSender(first.url, slack_api)
    body = sender.command_body("/schedule-session", '"Kata" tomorrow 18:00 60m', SENSEI, CHANNEL)
    original = sender.signed(body)
    try:
        async with running(first, second), httpx.AsyncClient(timeout=WITHIN) as http:
            dropped = await asyncio.gather(
                post(http, first, body, original),
                post(http, second, body, sender.signed(body, retry=1)),  # Slack's retry
            )
            assert sorted(dropped) == [False, True]
            await slack_api.wait_for(lambda: len(slack_api.responses) >= 1, WITHIN)
            assert await pg_store.count_sessions(SessionFilter()) == 1

            await first.stop()  # a restart, then the same request replayed (same signature)
            restarted = WebProcess("web0-again", env, tmp_path / "web0")
            async with running(restarted):
                assert await post(http, restarted, body, original)
                assert await post(http, second, body, sender.signed(body, retry=2))
            for process in (first, second, restarted):
                assert not process.tracebacks(), process.log()
    finally:
        await sender.close()
    assert await pg_store.count_sessions(SessionFilter()) == 1
    assert len(slack_api.responses) == 1
    assert len(slack_api.channel_posts(CHANNEL)) == 1  # one announcement card
