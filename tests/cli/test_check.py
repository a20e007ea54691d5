"""`dojobot check` as a real process against the loopback fakes of Slack, Discord,
RealtimeKit and ZeroDB, a real SQLite file and a web server answering `/healthz`: one line
per part, what is wrong and what to do, the right exit status, and no secret printed."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy.engine import make_url

from adapters.discord import DiscordFrontEnd, DiscordSettings
from adapters.sql import open_sql_store
from adapters.sql.migrations import head_version
from adapters.web.health import Health
from bot.chat_router import ChatRouter
from core.executor import CommandExecutor
from core.service import SessionService
from core.testing.clock import FakeClock
from core.testing.rooms import InMemoryVideoRooms
from core.testing.store import InMemorySessionStore
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.realtimekit_api import ACCOUNT, APP, TOKEN, running_fake_realtimekit
from tests.fakes.slack_api import APP_TOKEN, BOT_TOKEN, FakeSlackApi
from tests.fakes.zerodb_standin import ZeroDBStandIn
from tests.pg_server import fresh_database, require_server

DISCORD_TOKEN = "discord-bot-token-for-tests"
GUILD = 700000000000000001
SLACK_SECRET = "slack-signing-secret-for-tests"
DB_PASSWORD = "pg-password-never-printed"


@dataclass
class Run:
    code: int
    lines: list[str]
    stderr: str

    def line(self, part: str) -> str:
        """The one line about `part`."""
        [found] = [line for line in self.lines if line[5:].split(" ", 1)[0] == part]
        return found


@dataclass
class Parts:
    """The running fakes and the environment pointing dojobot at them."""

    slack: FakeSlackApi
    discord: FakeDiscord
    health: dict[str, bool]
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path = Path()
    extra_secrets: list[str] = field(default_factory=list)

    @property
    def secrets(self) -> list[str]:
        fixed = [BOT_TOKEN, SLACK_SECRET, DISCORD_TOKEN, TOKEN, DB_PASSWORD, "sk_test_standin"]
        return fixed + self.extra_secrets


async def dojobot_check(parts: Parts, *args: str, **env: str) -> Run:
    """Run `python -m bot check` with the parts' environment (plus `env`)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "check",
        *args,
        env=parts.env | env,
        cwd=parts.cwd,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    run = Run(process.returncode or 0, out.decode().splitlines(), err.decode())
    printed = out.decode() + run.stderr
    assert not [s for s in parts.secrets if s in printed], printed
    assert "Traceback" not in printed, printed
    return run


def base_env(tmp_path: Path) -> dict[str, str]:
    """The machine's environment without any dojobot setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJOBOT_")}
    env.pop("DATABASE_URL", None)
    return env | {"DOJOBOT_DATA_DIR": str(tmp_path / "data")}


async def register_real_commands(fake: FakeDiscord, data: Path) -> None:
    """Start dojobot's own Discord front end once (REST only): it registers its commands."""
    clock = FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    service = SessionService(InMemorySessionStore(), InMemoryVideoRooms(), ChatRouter(), clock)
    settings = DiscordSettings(
        token=DISCORD_TOKEN,
        api_base=fake.base,
        gateway=False,
        guild_ids=[GUILD],
        quiet_start=False,
    )
    frontend = DiscordFrontEnd(
        settings, CommandExecutor(service), clock, "https://dojo.example", "UTC", data
    )
    await frontend.start()
    await frontend.stop()


@pytest.fixture
async def parts(tmp_path: Path) -> AsyncIterator[Parts]:
    slack = FakeSlackApi()
    await slack.start()
    discord = FakeDiscord()
    await discord.start()
    discord.token = DISCORD_TOKEN
    health = {"store": True}

    async def ping() -> None:
        if not health["store"]:
            raise ConnectionError("the store is down")

    app = web.Application()
    Health(ping, lambda: health["store"]).add_routes(app)
    web_server = TestServer(app, host="127.0.0.1", port=0)
    await web_server.start_server()
    store = await open_sql_store(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'dojobot.db'}")
    await store.close()
    await register_real_commands(discord, tmp_path / "discord")
    try:
        async with running_fake_realtimekit() as rtk:
            env = base_env(tmp_path) | {
                "DOJOBOT_WEB__PUBLIC_URL": str(web_server.make_url("")).rstrip("/"),
                "DOJOBOT_SLACK__BOT_TOKEN": BOT_TOKEN,
                "DOJOBOT_SLACK__SIGNING_SECRET": SLACK_SECRET,
                "DOJOBOT_SLACK__API_BASE_URL": slack.base_url,
                "DOJOBOT_DISCORD__TOKEN": DISCORD_TOKEN,
                "DOJOBOT_DISCORD__API_BASE": discord.base,
                "DOJOBOT_DISCORD__GUILD_IDS": f"[{GUILD}]",
                "DOJOBOT_REALTIMEKIT__ACCOUNT_ID": ACCOUNT,
                "DOJOBOT_REALTIMEKIT__APP_ID": APP,
                "DOJOBOT_REALTIMEKIT__API_TOKEN": TOKEN,
                "DOJOBOT_REALTIMEKIT__BASE_URL": rtk.base_url,
                "DOJOBOT_REALTIMEKIT__MAX_RETRIES": "0",
            }
            yield Parts(slack, discord, health, env, tmp_path)
    finally:
        await web_server.close()
        await discord.stop()
        await slack.close()


async def test_every_part_ok_exits_0(parts: Parts) -> None:
    run = await dojobot_check(parts)
    assert run.code == 0, run
    assert [line.split()[:2] for line in run.lines] == [
        ["ok", "config"],
        ["ok", "database"],
        ["ok", "realtimekit"],
        ["ok", "slack"],
        ["ok", "discord"],
        ["warn", "web"],
    ], run
    assert run.line("database").endswith(f"schema at version {head_version()}"), run
    assert "all 8 scopes granted" in run.line("slack")
    assert "bot dojobot (application" in run.line("discord")
    assert "slash commands registered" in run.line("discord")
    assert "presets group_call_host, group_call_participant found" in run.line("realtimekit")
    assert "answers healthy" in run.line("web") and "only reachable from this machine" in (
        run.line("web")
    )
    assert parts.slack.calls_of("auth.test")


async def test_every_failure_is_one_line_saying_what_to_do_and_exits_1(parts: Parts) -> None:
    parts.slack.scopes.remove("chat:write")
    parts.discord.token = "another-token"  # ours is refused: 401
    parts.health["store"] = False
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))  # a port nobody listens on
    port = closed.getsockname()[1]
    closed.close()
    run = await dojobot_check(
        parts,
        DATABASE_URL=f"postgres://dojo:{DB_PASSWORD}@127.0.0.1:{port}/dojo",
        DOJOBOT_REALTIMEKIT__PRESETS__HOST="sensei_preset",
    )
    assert run.code == 1, run
    assert [line.split()[:2] for line in run.lines][1:] == [
        ["FAIL", "database"],
        ["FAIL", "realtimekit"],
        ["FAIL", "slack"],
        ["FAIL", "discord"],
        ["FAIL", "web"],
    ], run
    assert (
        f"cannot connect to postgresql at 127.0.0.1:{port}/dojo (ConnectionRefusedError): is "
        "the server running and DATABASE_URL right?"
    ) in run.line("database")
    assert "missing scopes: chat:write — add them in the app's OAuth & Permissions page" in (
        run.line("slack")
    )
    assert "reinstall the app" in run.line("slack")
    assert "the bot token was refused (HTTP 401)" in run.line("discord")
    assert "DOJOBOT_DISCORD__TOKEN" in run.line("discord")
    assert "no preset named sensei_preset" in run.line("realtimekit")
    assert "DOJOBOT_REALTIMEKIT__PRESETS__HOST" in run.line("realtimekit")
    assert "answers unhealthy: store=unreachable, scheduler=stopped" in run.line("web")


async def test_a_wrong_slack_token_and_an_unreachable_public_url(parts: Parts) -> None:
    run = await dojobot_check(
        parts,
        "--skip",
        "discord",
        "--skip",
        "realtimekit",
        DOJOBOT_SLACK__BOT_TOKEN="xoxb-not-the-right-one",
        DOJOBOT_WEB__PUBLIC_URL="https://dojo.invalid",  # a name that never resolves
    )
    assert run.code == 1, run
    assert run.line("web") == (
        "FAIL web       cannot reach https://dojo.invalid/healthz (ConnectError): start the web "
        "process, and check DOJOBOT_WEB__PUBLIC_URL, DNS and the platform's router"
    )
    assert run.line("slack") == (
        "FAIL slack     the bot token was refused (invalid_auth): copy the Bot User OAuth Token "
        "(xoxb-…) from the app's OAuth & Permissions page into DOJOBOT_SLACK__BOT_TOKEN"
    )
    assert run.line("discord") == "ok   discord   skipped (--skip)"
    assert "xoxb-not-the-right-one" not in "\n".join(run.lines)


async def test_a_revoked_socket_mode_app_token_fails_saying_what_to_do(parts: Parts) -> None:
    """`dojobot web` would refuse to start with it: check says so, instead of ok."""
    skip = ("--skip", "discord", "--skip", "realtimekit", "--skip", "web")
    revoked = "xapp-1-A0DOJO-1-revoked"
    parts.extra_secrets += [revoked, APP_TOKEN]
    run = await dojobot_check(parts, *skip, DOJOBOT_SLACK__APP_TOKEN=revoked)
    assert run.code == 1, run
    assert run.line("slack") == (
        "FAIL slack     the Socket Mode app-level token was refused by apps.connections.open "
        "(invalid_auth): set DOJOBOT_SLACK__APP_TOKEN to an app-level token (xapp-…, Basic "
        "Information → App-Level Tokens) with the connections:write scope, and turn Socket "
        "Mode on in the app settings; or unset it to receive Slack's requests over HTTP"
    ), run
    [opened] = parts.slack.calls_of("apps.connections.open")
    assert opened.authorization == f"Bearer {revoked}"

    run = await dojobot_check(parts, *skip, DOJOBOT_SLACK__APP_TOKEN=APP_TOKEN)
    assert run.code == 0, run
    assert run.line("slack").endswith(
        "all 8 scopes granted; Socket Mode app-level token accepted"
    ), run


async def test_commands_missing_on_discord_are_named(parts: Parts) -> None:
    parts.discord.commands[str(GUILD)] = [
        c for c in parts.discord.commands[str(GUILD)] if c["name"] != "rsvp"
    ]
    run = await dojobot_check(parts, "--skip", "slack", "--skip", "realtimekit")
    assert run.code == 1, run
    assert f"slash commands not registered (guild {GUILD}: rsvp)" in run.line("discord")
    assert "DOJOBOT_DISCORD__SYNC_COMMANDS" in run.line("discord")


def _stamp(database: Path, versions: list[int]) -> None:
    """Leave only `versions` in the schema's version table."""
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM schema_version")
        connection.executemany(
            "INSERT INTO schema_version (version, description, applied_at) VALUES (?, 'x', ?)",
            [(v, "2026-12-01 09:00:00.000000") for v in versions],
        )


async def test_the_schema_state_is_told_with_what_to_do(parts: Parts) -> None:
    database = parts.cwd / "data" / "dojobot.db"
    skip = ("--skip", "slack", "--skip", "discord", "--skip", "realtimekit", "--skip", "web")
    head = head_version()
    _stamp(database, list(range(1, head)))
    behind = await dojobot_check(parts, *skip)
    assert behind.code == 0, behind
    assert behind.line("database") == (
        f"warn database  sqlite at {database}, schema at version {head - 1} of {head}: any "
        "dojobot process (run, web, discord or clock) migrates it when it starts"
    )
    _stamp(database, list(range(1, head + 2)))
    ahead = await dojobot_check(parts, *skip)
    assert ahead.code == 1, ahead
    assert f"schema at version {head + 1} but this dojobot knows only {head}" in (
        ahead.line("database")
    )
    assert "upgrade dojobot" in ahead.line("database")


async def test_zerodb_is_read_instead_of_the_database(parts: Parts) -> None:
    standin = ZeroDBStandIn()
    base_url = await standin.start()
    try:
        env = {
            "DOJOBOT_ZERODB__BASE_URL": base_url,
            "DOJOBOT_ZERODB__PROJECT_ID": standin.project_id,
            "DOJOBOT_ZERODB__API_KEY": standin.api_key,
        }
        skip = ("--skip", "slack", "--skip", "discord", "--skip", "realtimekit", "--skip", "web")
        fresh = await dojobot_check(parts, *skip, **env)
        assert fresh.code == 0, fresh
        assert "database" not in {line.split()[1] for line in fresh.lines}
        assert "the tables are created when a dojobot process starts" in fresh.line("zerodb")
        assert [r.method for r in standin.requests] == ["POST"]  # one query, nothing written
        standin.tables["dojobot_training_sessions"] = []
        assert (await dojobot_check(parts, *skip, **env)).code == 0
        refused = await dojobot_check(parts, *skip, **env | {"DOJOBOT_ZERODB__API_KEY": "sk_bad"})
        assert refused.code == 1, refused
        assert "refused the credentials (HTTP 401)" in refused.line("zerodb")
        assert "DOJOBOT_ZERODB__API_KEY" in refused.line("zerodb")
    finally:
        await standin.close()


async def test_bad_variables_are_one_line_each_naming_them_and_exit_2(parts: Parts) -> None:
    run = await dojobot_check(
        parts, DOJOBOT_WEB__PORT="eighty", DOJOBOT_SLACK__SIGNING_SECRETS="a typo"
    )
    assert run.code == 2, run
    assert run.lines == [
        "FAIL config    DOJOBOT_WEB__PORT: Input should be a valid integer, unable to parse "
        "string as an integer. Example: DOJOBOT_WEB__PORT=8080",
        "FAIL config    DOJOBOT_SLACK__SIGNING_SECRETS: is not a dojobot setting: check its "
        "spelling in docs/configuration.md.",
    ]
    assert run.stderr == ""


async def test_a_real_postgresql_database_from_empty_to_migrated(parts: Parts) -> None:
    server = require_server()
    skip = ("--skip", "slack", "--skip", "discord", "--skip", "realtimekit", "--skip", "web")
    async with fresh_database(server) as url:
        parsed = make_url(url)
        if parsed.password:
            parts.extra_secrets.append(str(parsed.password))
        where = f"postgresql at {parsed.host}:{parsed.port}/{parsed.database}"
        empty = await dojobot_check(parts, *skip, DATABASE_URL=url)
        assert empty.code == 0, empty
        assert empty.line("database") == (
            f"ok   database  {where}: empty; any dojobot process (run, web, discord or clock) "
            f"migrates it when it starts (to version {head_version()})"
        )
        store = await open_sql_store(url)
        await store.close()
        migrated = await dojobot_check(parts, *skip, DATABASE_URL=url)
        assert (
            migrated.line("database")
            == f"ok   database  {where}, schema at version {head_version()}"
        )
        unknown = parsed.set(database="no_such_database").render_as_string(hide_password=False)
        refused = await dojobot_check(parts, *skip, DATABASE_URL=unknown)
        assert refused.code == 1, refused
        assert refused.line("database").endswith(
            'refused the connection: database "no_such_database" does not exist — check '
            "DATABASE_URL"
        )
