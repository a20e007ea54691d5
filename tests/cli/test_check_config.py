"""Every configuration mistake is one line naming its variable, also those found only when a
process starts (data directory, unreachable database) or inside a JSON value."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.engine import make_url

from bot.cli import main
from bot.config_errors import ConfigError, load_settings
from tests.pg_server import PostgresServer, require_server


@pytest.fixture
def clean_env(clean_env: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The clean environment of tests/cli/conftest.py, the web server on a free port."""
    clean_env.setenv("DOJOBOT_WEB__PORT", "0")
    return clean_env


def test_an_unreachable_database_at_start_is_one_line_about_an_outage(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not a configuration error (the settings may be right): exit 1, host and port named."""
    with socket.socket() as bound:  # bound, not listening: refused while the test runs
        bound.bind(("127.0.0.1", 0))
        port = bound.getsockname()[1]
        clean_env.setenv("DATABASE_URL", f"postgres://dojo:pw-secret@127.0.0.1:{port}/dojo")
        assert main(["clock"]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line == (
        f"Cannot reach the database at 127.0.0.1:{port} (ConnectionRefusedError): is it "
        "running and reachable from here? If it is, check the host and port in DATABASE_URL."
    )


ROLE = f"dojobot_pw_{os.getpid()}"
RIGHT_PASSWORD = "right-pw-never-printed"
WRONG_PASSWORD = "wrong-pw-never-printed"


async def _reload_hba(server: PostgresServer, lines: list[str]) -> None:
    """Write `lines` as the throwaway server's pg_hba.conf and wait until new connections
    follow it (`pg_conf_load_time` moves on; no sleeping)."""
    admin = await asyncpg.connect(server.dsn("postgres"))
    try:
        hba = await admin.fetchval("SHOW hba_file")
        loaded = await admin.fetchval("SELECT pg_conf_load_time()")
        await admin.execute("CREATE TEMP TABLE hba (line text)")
        await admin.copy_records_to_table("hba", records=[(x.replace("\t", " "),) for x in lines])
        await admin.execute(f"COPY hba TO '{hba.replace(chr(39), chr(39) * 2)}'")
        await admin.fetchval("SELECT pg_reload_conf()")
    finally:
        await admin.close()
    async with asyncio.timeout(30):
        while True:  # each new backend starts with the postmaster's load time
            probe = await asyncpg.connect(server.dsn("postgres"))
            try:
                if await probe.fetchval("SELECT pg_conf_load_time()") > loaded:
                    return
            finally:
                await probe.close()


@contextlib.contextmanager
def password_login(server: PostgresServer) -> Iterator[str]:
    """A role that must give its password over TCP (the test server trusts everyone else):
    the URL of a database with the WRONG password; the server is set back afterwards."""
    if server.process is None:
        pytest.skip("an external PostgreSQL (DOJOBOT_TEST_POSTGRES_URL) is not reconfigured")

    async def read_hba() -> list[str]:
        admin = await asyncpg.connect(server.dsn("postgres"))
        try:
            await admin.execute(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{RIGHT_PASSWORD}'")
            text = await admin.fetchval("SELECT pg_read_file(current_setting('hba_file'))")
        finally:
            await admin.close()
        return str(text).splitlines()

    async def drop_role() -> None:
        admin = await asyncpg.connect(server.dsn("postgres"))
        try:
            await admin.execute(f"DROP ROLE IF EXISTS {ROLE}")
        finally:
            await admin.close()

    original = asyncio.run(read_hba())
    try:
        rule = f"host all {ROLE} 127.0.0.1/32 scram-sha-256"
        asyncio.run(_reload_hba(server, [rule, *original]))
        url = make_url(server.url("postgres")).set(username=ROLE, password=WRONG_PASSWORD)
        yield url.render_as_string(hide_password=False)
    finally:
        asyncio.run(_reload_hba(server, original))
        asyncio.run(drop_role())


def test_a_wrong_database_password_is_one_line_naming_the_variable(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The driver's own refusal (asyncpg.InvalidPasswordError, not an OSError) used to end
    in a traceback."""
    with password_login(require_server()) as url:
        clean_env.setenv("DOJOBOT_DATABASE_URL", url)
        assert main(["clock"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(
        "Configuration error: DOJOBOT_DATABASE_URL: the database at 127.0.0.1:"
    ), line
    assert f"refused the login of user '{ROLE}' (InvalidPasswordError): check the user " in line
    assert WRONG_PASSWORD not in line and RIGHT_PASSWORD not in line


def test_a_data_dir_that_cannot_be_made_is_one_line(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("")
    clean_env.setenv("DOJOBOT_DATA_DIR", str(tmp_path / "a-file" / "data"))
    assert main(["clock"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(
        f"Configuration error: DOJOBOT_DATA_DIR: cannot create {tmp_path / 'a-file' / 'data'}: "
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"DOJOBOT_ZERODB__DIALECT_OVERRIDES": '{"max_limit": "many"}'},
            "Configuration error: DOJOBOT_ZERODB__DIALECT_OVERRIDES: refused knobs (max_limit: "
            "Input should be a valid integer, unable to parse string as an integer).",
        ),
        (
            {"DOJOBOT_ZERODB__DIALECT_OVERRIDES": '{"nope": 1}'},
            "Configuration error: DOJOBOT_ZERODB__DIALECT_OVERRIDES: refused knobs (nope: "
            "Extra inputs are not permitted).",
        ),
        (
            {"DOJOBOT_ZERODB__TABLE_PREFIXX": "x_"},
            "Configuration error: DOJOBOT_ZERODB__TABLE_PREFIXX: is not a dojobot setting: check "
            "its spelling in docs/configuration.md.",
        ),
    ],
)
def test_a_wrong_knob_names_its_own_variable(
    clean_env: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    clean_env.setenv("DOJOBOT_ZERODB__PROJECT_ID", "proj-1")
    clean_env.setenv("DOJOBOT_ZERODB__API_KEY", "sk_test")
    for name, value in env.items():
        clean_env.setenv(name, value)
    with pytest.raises(ConfigError) as refused:
        load_settings()
    assert refused.value.lines == [expected]
