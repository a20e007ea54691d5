"""Training-page links on Discord, through the fake Discord API and the real discord.py
client: `/training-page` answers only the typer with a link-style button (style 5, a url,
no custom_id) to their personal page; another member's page, `/class-page` and `/overview`
are for staff (the overview for admins)."""

from __future__ import annotations

from typing import Any

import pytest

from core.page_pass import PageKind, SignedPageLinks
from tests.adapters.discord.conftest import Rig, RigFactory, known_members, quick_fake
from tests.adapters.discord.harness import (
    ADMIN_ROLE,
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    MEMBER_ROLE,
    buttons_of,
    is_ephemeral,
    text_of,
)
from tests.fakes.discord_api import Person, slash_command

SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])
BOSS = Person(509, "boss", [ADMIN_ROLE], permissions=8)
ANA = Person(602, "ana", [MEMBER_ROLE])
BEN = Person(603, "ben", [MEMBER_ROLE])
LINKS = SignedPageLinks(b"d" * 32, "https://dojo.example")

fake = pytest.fixture(quick_fake)


async def paged_rig(make_rig: RigFactory) -> Rig:
    rig: Rig = await make_rig(service_options={"page_links": LINKS})
    known_members(rig, SENSEI, BOSS, ANA, BEN)
    return rig


def link_buttons(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in buttons_of(answer.get("data", answer)) if b.get("style") == 5]


async def test_training_page_is_a_private_link_button(make_rig: RigFactory) -> None:
    rig = await paged_rig(make_rig)
    mine = await rig.gateway.interact(slash_command("training-page", ANA, GUILD, CHANNEL))
    assert is_ephemeral(mine), text_of(mine)
    [button] = link_buttons(mine)
    assert "custom_id" not in button and button["url"].startswith("https://dojo.example/record/")
    page_pass = LINKS.verify(button["url"].rsplit("/", 1)[1], rig.clock.now())
    assert (page_pass.kind, page_pass.subject) == (PageKind.MEMBER, f"discord:{ANA.user_id}")
    assert "Your training page" in text_of(mine)


async def test_others_pages_classes_and_the_overview_are_for_staff(make_rig: RigFactory) -> None:
    rig = await paged_rig(make_rig)
    refused = await rig.gateway.interact(
        slash_command("training-page", ANA, GUILD, CHANNEL, member=BEN)
    )
    assert "Only instructors and admins" in text_of(refused) and not link_buttons(refused)
    theirs = await rig.gateway.interact(
        slash_command("training-page", SENSEI, GUILD, CHANNEL, member=BEN)
    )
    assert len(link_buttons(theirs)) == 1
    klass = await rig.gateway.interact(
        slash_command("class-page", ANA, GUILD, CHANNEL, **{"class": "c-1"})
    )
    assert "Only instructors and admins" in text_of(klass), text_of(klass)
    overview = await rig.gateway.interact(slash_command("overview", SENSEI, GUILD, CHANNEL))
    assert "Only admins" in text_of(overview), text_of(overview)
    assert link_buttons(await rig.gateway.interact(slash_command("overview", BOSS, GUILD, CHANNEL)))
