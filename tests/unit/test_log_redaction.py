"""The redaction, the two formats and the id context of dojobot's logging, line by line."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from adapters.slack.jobs import JobRunner
from adapters.slack.settings import SlackSettings
from bot.log_redaction import REDACTED, Redactor, secrets_of
from bot.logging_setup import configure, unconfigure
from bot.settings import Settings
from core import log_context

DISCORD_TOKEN = "MTExMjIyMzMzNDQ0NTU1NjY2.GhIjKl.abcdefghijklmnopqrstuvwxyz0123"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJlLXZhbHVl"


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("POST https://slack.com/api/chat.postMessage token=xoxb-123-456-abc", "token="),
        ("headers: {'Authorization': 'Bearer xoxb-1-2-3'}", "'Authorization': '"),
        ("Authorization: Bot " + DISCORD_TOKEN, "Authorization: Bot "),
        ("IDENTIFY {'token': '" + DISCORD_TOKEN + "', 'intents': 1}", "'intents': 1"),
        ("POST /api/v10/interactions/1100000000000000015/aW50ZXJhY3Rpb24/callback", "/callback"),
        ("POST /api/v10/webhooks/1100000000000000001/aW50ZXJhY3Rpb24", "/webhooks/"),
        ("GET http://localhost:8080/join/" + JWT + " 302", "/join/"),
        ('{"url": "https:\\/\\/dojo.example\\/join\\/abc.def"}', "join"),
        ("GET http://localhost:8080/record/" + JWT + "/weeks.svg 200", "/record/"),
        ("https://jitsi.example/room#jwt=" + JWT + "&config.x=1", "&config.x=1"),
        ('{"authToken": "' + JWT + '", "id": "p1"}', '"id": "p1"'),
        ("connecting to wss://wss.slack.com/link/?ticket=1bd7e99063069e27&app_id=A1", "app_id"),
        ("posting to https://hooks.slack.com/actions/T0/1234/SeCrEt", "hooks.slack.com"),
        # a slash command's form body: the response URL is percent-encoded
        (
            "text=hi&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT0%2F1%2FSeCrEt",
            "text=hi",
        ),
        # a repr's quoted keyword values
        ("SlackApiError(password='pa55word', ok=False)", "ok=False"),
        ('refused: api_token="SeCrEt aW50ZXJhY3Rpb24" retry', "retry"),
        ("postgresql://dojo:pa55word@db:5432/dojo", "@db:5432"),
        ("room https://meet.jit.si/dojo-kata-abc123#userInfo.displayName=%22Ana%22", "#userInfo"),
    ],
)
def test_credentials_are_redacted_whatever_their_origin(line: str, kept: str) -> None:
    cleaned = Redactor(room_bases=["https://meet.jit.si"])(line)
    assert REDACTED in cleaned and kept in cleaned, cleaned
    for secret in (DISCORD_TOKEN, JWT, "xoxb-", "aW50ZXJhY3Rpb24", "pa55word", "SeCrEt"):
        assert secret not in cleaned
    assert "1bd7e99063069e27" not in cleaned and "dojo-kata-abc123" not in cleaned


def test_ordinary_lines_are_left_alone() -> None:
    redact = Redactor(["a-long-secret"], ["https://meet.jit.si"])
    for line in (
        "reminder 24h for slack:U0ANA sent; session q8aj7k5j; GET /sessions/{session_id} 200",
        "Discord bot connected as dojobot#1234; the Bot disconnected_unexpectedly",
        "a token expired; the signing secret is unset; see https://meet.jit.si",
    ):
        assert redact(line) == line


def test_every_secret_setting_is_known_including_a_database_password() -> None:
    settings = Settings(
        database_url=SecretStr("postgresql://dojo:s3cret-pass@db/dojo"),
        slack=SlackSettings(bot_token="xoxb-1-2-three", signing_secret="sign-me-please"),
        _env_file=None,
    )
    known = secrets_of(settings)
    assert {"xoxb-1-2-three", "sign-me-please"} <= set(known)
    redact = Redactor(known)
    assert redact("signing with sign-me-please") == f"signing with {REDACTED}"
    assert redact("password s3cret-pass refused") == f"password {REDACTED} refused"


@pytest.fixture
def captured() -> Iterator[tuple[io.StringIO, list[logging.Handler]]]:
    stream = io.StringIO()
    handlers: list[logging.Handler] = []
    level = logging.getLogger().level
    yield stream, handlers
    for handler in handlers:
        unconfigure(handler)
    logging.getLogger().setLevel(level)


def test_json_lines_carry_role_ids_and_a_scrubbed_traceback(
    captured: tuple[io.StringIO, list[logging.Handler]],
) -> None:
    stream, handlers = captured
    settings = Settings(
        slack=SlackSettings(bot_token="xoxb-1-2-three", signing_secret="sign-me-please"),
        log_format="json",
        _env_file=None,
    )
    handlers.append(configure(settings, "clock", level="INFO", stream=stream))
    log = logging.getLogger("tests.logs")
    with log_context.bound(request_id="r-1", session_id="s-1"):
        try:
            raise RuntimeError("auth failed for sign-me-please")
        except RuntimeError:
            log.exception("call with %s failed", "xoxb-1-2-three")
    log.info("plain")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["role"] == "clock" and first["level"] == "ERROR"
    assert first["logger"] == "tests.logs" and first["time"].endswith("+00:00")
    assert (first["request_id"], first["session_id"]) == ("r-1", "s-1")
    assert "delivery_id" not in first
    assert first["message"] == f"call with {REDACTED} failed"
    assert "RuntimeError" in first["exc_info"] and "sign-me-please" not in first["exc_info"]
    assert second["message"] == "plain" and "request_id" not in second


def test_text_lines_keep_their_look_and_add_the_ids_when_set(
    captured: tuple[io.StringIO, list[logging.Handler]],
) -> None:
    stream, handlers = captured
    handlers.append(configure(None, "web", level="INFO", fmt="text", stream=stream))
    log = logging.getLogger("tests.logs")
    log.warning("no ids")
    with log_context.bound(delivery_id="s-1:24h:abc"):
        log.warning("one id")
    assert stream.getvalue().splitlines() == [
        "WARNING tests.logs: no ids",
        "WARNING tests.logs: one id [delivery_id=s-1:24h:abc]",
    ]


def test_an_outside_request_id_is_used_only_when_sane() -> None:
    assert log_context.sane_id(" lb-7f3a ") == "lb-7f3a"
    assert log_context.sane_id("x" * 65) is None
    assert log_context.sane_id("two words") is None
    assert log_context.sane_id("<script>") is None


async def test_queued_slack_work_runs_under_the_ids_of_the_request_that_queued_it() -> None:
    runner = JobRunner(concurrency=1, quiet=0.0)
    seen: list[str | None] = []

    async def job() -> None:
        seen.append(log_context.current().request_id)

    async def request(request_id: str) -> None:
        with log_context.bound(request_id=request_id):
            runner.spawn(job())

    await asyncio.gather(request("first"), request("second"))
    await runner.close()
    assert seen == ["first", "second"]
