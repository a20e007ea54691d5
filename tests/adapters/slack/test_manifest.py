"""The Slack app manifest in the repo matches what the code listens for."""

from __future__ import annotations

from pathlib import Path

import yaml  # type: ignore[import-untyped]

from adapters.slack.commands import (
    ESCAPED_COMMANDS,
    NOT_ON_SLACK,
    SLASH_COMMANDS,
    manifest_entry,
)
from adapters.slack.scopes import BOT_SCOPES
from adapters.slack.settings import SlackSettings
from core.catalogue import CATALOGUE

MANIFEST = Path(__file__).resolve().parents[3] / "slack-app-manifest.yml"


def test_manifest_declares_every_command_scope_and_url() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text())
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == list(SLASH_COMMANDS)
    path = SlackSettings.model_fields["events_path"].default
    urls = [c["url"] for c in commands]
    settings = manifest["settings"]
    urls += [
        settings["interactivity"]["request_url"],
        settings["event_subscriptions"]["request_url"],
    ]
    assert all(url.endswith(path) for url in urls)
    assert all(len(c["description"]) <= 100 and len(c["usage_hint"]) <= 1000 for c in commands)
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is False
    assert settings["event_subscriptions"]["bot_events"] == ["user_change", "app_home_opened"]
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "commands",
        "chat:write",
        "chat:write.public",
        "im:write",
        "im:history",
        "users:read",
        "usergroups:read",
        "files:write",
    }
    assert manifest["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)  # what `check` wants


def test_manifest_slash_commands_are_the_catalogues() -> None:
    """Every catalogue command (but those not on Slack) is declared, with the catalogue's
    summary and usage: edit `core/catalogue.py` and the manifest together."""
    declared = yaml.safe_load(MANIFEST.read_text())["features"]["slash_commands"]
    wanted = [info.name for info in CATALOGUE if info.name not in NOT_ON_SLACK]
    assert [SLASH_COMMANDS.get(c["command"]) for c in declared] == wanted
    for command in declared:
        description, usage_hint = manifest_entry(command["command"])
        assert (command["command"], command["description"]) == (command["command"], description)
        assert (command["command"], command["usage_hint"]) == (command["command"], usage_hint)
        escaped = SLASH_COMMANDS[command["command"]] in ESCAPED_COMMANDS
        assert (command["command"], command["should_escape"]) == (command["command"], escaped)
