"""Configuration mistakes: one line naming the variable, what is wrong and a valid example,
exit status 2, no traceback; through `bot.cli.main` and as a real `dojobot` process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

CASES = [
    ({"DOJOBOT_DEFAULT_TIMEZONE": "Mars/Base"}, "DOJOBOT_DEFAULT_TIMEZONE", "Europe/Berlin"),
    ({"DOJOBOT_WEB__API_JWT_SECRET": "short"}, "DOJOBOT_WEB__API_JWT_SECRET", "at least 32"),
    ({"DOJOBOT_WEB__JOIN_SECRET": "short"}, "DOJOBOT_WEB__JOIN_SECRET", "32 bytes"),
    ({"DOJOBOT_WEB__PORT": "eighty"}, "DOJOBOT_WEB__PORT", "=8080"),
    ({"DOJOBOT_LOG_LEVEL": "LOUD"}, "DOJOBOT_LOG_LEVEL", "=INFO"),
    ({"DOJOBOT_DATABASE_URL": "mysql://db/dojo"}, "DOJOBOT_DATABASE_URL", "postgresql://"),
    ({"DOJOBOT_JITSI__APP_ID": "dojo"}, "DOJOBOT_JITSI__APP_SECRET", "32+ bytes"),
    ({"DOJOBOT_SLACK__BOT_TOKEN": "xoxb-1"}, "DOJOBOT_SLACK__SIGNING_SECRET", "Signing Secret"),
    (
        {"DOJOBOT_DISCORD__TOKEN": "t", "DOJOBOT_DISCORD__GUILD_IDS": "12,13"},
        "DOJOBOT_DISCORD__GUILD_IDS",
        "=[123456789012345678]",
    ),
    (
        {"DOJOBOT_DISCORD__TOKEN": "t", "DOJOBOT_DISCORD__TIMEZONE": "CET"},
        "DOJOBOT_DISCORD__TIMEZONE",
        "abbreviation",
    ),
]


@pytest.mark.parametrize(("env", "variable", "example"), CASES)
@pytest.mark.parametrize("command", [["run"], ["web"], ["clock"]])
def test_a_mistake_is_one_line_naming_the_variable_with_exit_2(
    clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    variable: str,
    example: str,
    command: list[str],
) -> None:
    for name, value in env.items():
        clean_env.setenv(name, value)
    assert main(command) == 2
    err = capsys.readouterr().err
    [line] = err.splitlines()
    assert line.startswith(f"Configuration error: {variable}: ") and example in line, line
    assert "Example:" in line or "abbreviation" in line


def test_api_token_reports_the_same_way(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("DOJOBOT_WEB__API_JWT_SECRET", "too-short-secret")
    argv = ["api-token", "--member", "web:1", "--name", "Ana", "--role", "member"]
    assert main(argv) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("Configuration error: DOJOBOT_WEB__API_JWT_SECRET: is too short")
    assert "too-short-secret" not in line  # the secret itself is never echoed


def test_a_real_process_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOJOBOT_")}
    env |= {"DOJOBOT_DEFAULT_TIMEZONE": "Mars/Base", "DOJOBOT_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done
    assert done.stderr.splitlines() == [
        'Configuration error: DOJOBOT_DEFAULT_TIMEZONE: Unknown time zone "Mars/Base". '
        "Use UTC or an IANA zone name such as Europe/Berlin or America/New_York. "
        "Example: DOJOBOT_DEFAULT_TIMEZONE=Europe/Berlin"
    ]
    assert "Traceback" not in done.stderr + done.stdout
