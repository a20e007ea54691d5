"""Channels linked across platforms: the setting's syntax, its refusals (each saying what to
type), and which channels a session's origin is linked with."""

from __future__ import annotations

import pytest

from bot.config_errors import ConfigError, load_settings
from core.channel_map import EXAMPLE, ChannelAddress, ChannelMap, parse_channel_map
from core.errors import InvalidInput
from core.model import Origin

SLACK = Origin(platform="slack", workspace_id="T01", channel_id="C01", message_ref="17.1")
DISCORD = Origin(platform="discord", workspace_id="123", channel_id="456")


def test_a_link_joins_a_slack_and_a_discord_channel() -> None:
    channels = parse_channel_map("slack:T01/C01=discord:123/456")
    assert channels.counterparts(SLACK) == [
        ChannelAddress(platform="discord", workspace_id="123", channel_id="456")
    ]
    assert channels.counterparts(DISCORD) == [
        ChannelAddress(platform="slack", workspace_id="T01", channel_id="C01")
    ]
    assert channels.on_platform(SLACK, "discord") == Origin(
        platform="discord", workspace_id="123", channel_id="456"
    )
    assert channels.on_platform(SLACK, "slack") == SLACK
    assert channels.on_platform(SLACK, "terminal") is None


def test_several_links_spaces_and_a_channel_without_workspace() -> None:
    channels = parse_channel_map(
        " slack:T01/C01 = discord:456 ;\n slack:C02=discord:123/789=terminal:dojo ;"
    )
    assert len(channels.links) == 2
    assert [str(a) for a in channels.counterparts(DISCORD)] == ["slack:T01/C01"]
    other = Origin(platform="slack", workspace_id="T99", channel_id="C02")
    assert [str(a) for a in channels.counterparts(other)] == ["discord:123/789", "terminal:dojo"]
    elsewhere = Origin(platform="discord", workspace_id="999", channel_id="456")
    assert channels.counterparts(elsewhere) == [
        ChannelAddress(platform="slack", workspace_id="T01", channel_id="C01")
    ]  # the link names no guild for 456: any guild's 456 is it


def test_unlinked_channels_and_other_workspaces_have_no_counterparts() -> None:
    channels = parse_channel_map("slack:T01/C01=discord:123/456")
    assert channels.counterparts(None) == []
    assert channels.counterparts(SLACK.model_copy(update={"channel_id": "C09"})) == []
    assert channels.counterparts(SLACK.model_copy(update={"workspace_id": "T02"})) == []
    assert channels.counterparts(Origin(platform="terminal", channel_id="C01")) == []
    assert not parse_channel_map("") and not ChannelMap()
    assert parse_channel_map(" ; ") == ChannelMap()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("slack:T01/C01", "links nothing: join two channels with '='"),
        ("slack:T01/C01=teams:X", "unknown platform 'teams'"),
        ("slack:T01/C01=discord", "is not platform:channel"),
        ("slack:T01/C01=discord:", "is not platform:channel"),
        ("slack:T01/C01=discord:abc", "Discord ids are numbers"),
        ("slack:T01/C01=discord:1/", "empty or invalid id"),
        ("slack:T01/C01=slack:T01/C02", "names two slack channels"),
        ("slack:C01=discord:1; slack:C01=discord:2", "slack:C01 is in two links"),
        ("slack:T01/<!here>=discord:1", "empty or invalid id"),
    ],
)
def test_a_wrong_setting_says_what_is_wrong_and_what_to_type(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_channel_map(text)
    assert problem in refused.value.message
    assert refused.value.hint is not None and EXAMPLE in refused.value.hint


def test_the_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJOBOT_CHANNEL_MAP", "slack:T01/C01=discord:123/456")
    settings = load_settings(_env_file=None)
    assert settings.channel_map == parse_channel_map("slack:T01/C01=discord:123/456")
    monkeypatch.delenv("DOJOBOT_CHANNEL_MAP")
    assert not load_settings(_env_file=None).channel_map


def test_a_wrong_setting_stops_the_start_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOJOBOT_CHANNEL_MAP", "slack:T01/C01=discord:general")
    with pytest.raises(ConfigError) as refused:
        load_settings(_env_file=None)
    [line] = refused.value.lines
    assert line.startswith("Configuration error: DOJOBOT_CHANNEL_MAP: Channel map: ")
    assert "Discord ids are numbers" in line
    assert f"Example: DOJOBOT_CHANNEL_MAP={EXAMPLE}" in line
