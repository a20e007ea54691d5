"""The fake Discord checks every request against Discord's published OpenAPI description
(npm `discord-api-spec`, as zod schemas), through discord.py's real HTTP client: what the
description refuses is answered with Discord's 400 "Invalid Form Body", a route it lacks with
Discord's 404, and what Discord also takes (integer snowflakes, offset times) passes."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord.http import Route

from tests.adapters.discord.conftest import Rig
from tests.adapters.discord.harness import CHANNEL, GUILD
from tests.fakes.discord_openapi import as_sent, discord_errors, read_routes


async def answer_to(rig: Rig, route: Route, body: Any) -> discord.HTTPException:
    with pytest.raises(discord.HTTPException) as caught:
        await rig.frontend.rest().http.request(route, json=body)
    return caught.value


async def test_a_component_discord_does_not_describe_is_refused(rig: Rig) -> None:
    button = {"type": 2, "style": 9, "label": "Join", "custom_id": "dojo:join:1"}
    body = {"content": "hi", "components": [{"type": 1, "components": [button]}]}
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=CHANNEL)
    refused = await answer_to(rig, route, body)
    assert refused.status == 400 and refused.code == 50035
    [call] = rig.fake.refusals
    assert call.answer["message"] == "Invalid Form Body"
    assert "components" in call.answer["errors"]


async def test_a_missing_required_field_is_named(rig: Rig) -> None:
    route = Route("POST", "/guilds/{guild_id}/scheduled-events", guild_id=GUILD)
    body = {"name": "Kata", "privacy_level": 2, "entity_type": 3}  # no start time
    refused = await answer_to(rig, route, body)
    assert refused.status == 400
    [call] = rig.fake.refusals
    leaf = call.answer["errors"]["scheduled_start_time"]["_errors"][0]
    assert leaf["code"] == "BASE_TYPE_REQUIRED"


async def test_a_route_discord_does_not_have_is_not_found(rig: Rig) -> None:
    route = Route("POST", "/channels/{channel_id}/sessions", channel_id=CHANNEL)
    refused = await answer_to(rig, route, {"title": "Kata"})
    assert refused.status == 404


async def test_what_discord_also_takes_passes(rig: Rig) -> None:
    body = {"content": "hi", "allowed_mentions": {"parse": [], "users": [501]}}
    sent = await rig.frontend.rest().http.request(
        Route("POST", "/channels/{channel_id}/messages", channel_id=CHANNEL), json=body
    )
    assert sent["content"] == "hi" and not rig.fake.refusals


def test_snowflakes_and_times_are_read_as_discord_reads_them() -> None:
    body = {"recipient_id": 7, "flags": 64, "at": "2026-12-01T19:00:00+01:00", "ids": [1]}
    assert as_sent(body) == {
        "recipient_id": "7",
        "flags": 64,
        "at": "2026-12-01T18:00:00Z",
        "ids": [1],
    }


def test_every_route_the_bot_uses_is_described_with_its_body_type() -> None:
    routes = {(r.method, r.template): r.body for r in read_routes()}
    assert routes["POST", "/channels/{channel_id}/messages"] == (("MessageCreateRequest", False),)
    assert ("ApplicationCommandUpdateRequest", True) in routes[
        "PUT", "/applications/{application_id}/commands"
    ]
    callback = routes["POST", "/interactions/{interaction_id}/{interaction_token}/callback"]
    assert ("CreateMessageInteractionCallbackRequest", False) in callback
    assert ("ModalInteractionCallbackRequest", False) in callback


def test_zod_issues_become_discords_nested_errors() -> None:
    issues: list[dict[str, Any]] = [
        {"path": ["embeds", 0, "title"], "code": "too_big", "message": "x", "maximum": 256},
        {
            "path": ["name"],
            "code": "invalid_type",
            "message": "x",
            "missing": True,
        },
    ]
    assert discord_errors(issues) == {
        "embeds": {
            "0": {
                "title": {
                    "_errors": [
                        {
                            "code": "BASE_TYPE_MAX_LENGTH",
                            "message": "Must be 256 or fewer in length.",
                        }
                    ]
                }
            }
        },
        "name": {"_errors": [{"code": "BASE_TYPE_REQUIRED", "message": "This field is required"}]},
    }
