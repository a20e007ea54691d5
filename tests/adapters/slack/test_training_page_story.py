"""Training-page links on Slack, through the fake Web API over HTTP: `/training-page`
answers only the typer with a link button (Block Kit `url`, no command value) to their own
page, which the web server then serves; a mention names another member for staff only;
`/class-page` and `/overview` are refused to members; clicking the link button is only
acknowledged (nothing runs, no reply)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from adapters.slack.ids import member_id
from bot.wiring.web import build_web
from tests.adapters.slack.world import (
    ADMIN,
    ANA,
    BEN,
    CHANNEL,
    PUBLIC_URL,
    SENSEI,
    SlackWorld,
    make_world,
)
from tests.fakes.slack_api import TEAM


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[SlackWorld]:
    built = await make_world(tmp_path, also=[build_web])
    yield built
    await built.close()


def said(reply: dict[str, Any]) -> str:
    return json.dumps(reply, ensure_ascii=False)


def link_buttons(reply: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        element
        for block in reply.get("blocks", [])
        if block.get("type") == "actions"
        for element in block["elements"]
        if "url" in element
    ]


async def test_training_page_link_opens_the_members_own_page(world: SlackWorld) -> None:
    reply = await world.command("/training-page", "", ANA)
    assert reply["response_type"] == "ephemeral"
    [button] = link_buttons(reply)
    assert button["action_id"].startswith("dojo_url_") and "value" not in button
    assert button["url"].startswith(f"{PUBLIC_URL}/record/")
    assert world.app.web is not None
    served = button["url"].replace(PUBLIC_URL, world.app.web.base_url)
    async with aiohttp.ClientSession() as http, http.get(served) as page:
        assert page.status == 200
        assert "Training of" in await page.text()

    status, body = await world.sender.click(button["action_id"], "", ANA, CHANNEL, "1.0")
    assert (status, body) == (200, "")
    await world.settle()
    assert world.api.responses[-1] is reply  # acknowledged, nothing run, no new reply


async def test_staff_only_for_others_classes_and_the_overview(world: SlackWorld) -> None:
    refused = await world.command("/training-page", f"<@{BEN}|ben>", ANA)
    assert "Only instructors and admins" in said(refused) and not link_buttons(refused)
    theirs = await world.command("/training-page", f"<@{BEN}|ben>", SENSEI)
    assert len(link_buttons(theirs)) == 1
    assert member_id(TEAM, BEN) in said(theirs)
    assert "Only instructors and admins" in said(await world.command("/class-page", "c-1", ANA))
    assert "Only admins" in said(await world.command("/overview", "", SENSEI))
    assert len(link_buttons(await world.command("/overview", "", ADMIN))) == 1
