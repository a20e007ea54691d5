"""A member's story through Slack, on both transports (signed HTTP and Socket Mode): Slack's
users.info (with its locale) fills her profile and a change in Slack refreshes it; she opens
the App Home tab and chooses her reminders there; dojobot restarts and they are still hers;
/link gives her a code that her Discord account enters, making one member; /forget-me with
its Confirm button deletes her everywhere. Real server, fake Slack Web API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.render_members import ACTION_FORGET_CONFIRM
from adapters.slack.render_preferences import ACTION_CUSTOM, ACTION_KINDS, ACTION_QUIET_START
from core.members import MemberProfile, PlatformFacts
from core.model import Member, ReminderKind, Role
from tests.adapters.slack.world import ANA, CHANNEL, SlackWorld
from tests.e2e.slack_transport import TRANSPORTS, Transport, slack_world
from tests.fakes.slack_api import TEAM

ANA_ID = f"slack:{TEAM}:{ANA}"
DISCORD_ANA = "discord:900100"


@pytest.fixture(autouse=True)
def _no_slack_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)


async def profile(world: SlackWorld, member_id: str = ANA_ID) -> MemberProfile:
    return await world.app.wiring.service.profile(Member(id=member_id, display_name="x"))


def element(view: dict[str, Any], action_id: str) -> tuple[str, dict[str, Any]]:
    """(block id, element) of the element with `action_id` in a Home tab or modal."""
    for block in view["blocks"]:
        for found in [block.get("accessory"), *block.get("elements", [])]:
            if isinstance(found, dict) and found.get("action_id") == action_id:
                return block.get("block_id", ""), found
    raise AssertionError(f"no {action_id} in the view")


async def choose(world: SlackWorld, action_id: str, **selected: Any) -> None:
    """Change one element of Ana's Home tab, as Slack last showed it to her."""
    home = world.api.home_views[ANA]
    block_id, found = element(home, action_id)
    action = {"action_id": action_id, "block_id": block_id, "type": found["type"], **selected}
    assert await world.sender.view_action(home, action, ANA) == (200, "")
    await world.settle()


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_profile_home_tab_restart_link_and_forget(
    tmp_path: Path, transport: Transport
) -> None:
    async with slack_world(tmp_path, transport) as world:
        api = world.api
        api.add_user(ANA, "Ana", "Asia/Tokyo", locale="ja-JP")

        # any interaction fills her profile from users.info (asked with include_locale)
        await world.command("/sessions", "", ANA)
        assert api.calls_of("users.info")[-1].args["include_locale"] == "1"
        ana = await profile(world)
        assert (ana.display_name, ana.timezone, ana.locale) == ("Ana", "Asia/Tokyo", "ja-JP")

        # she moves to Paris and switches Slack to French: user_change, then she acts again
        api.add_user(ANA, "Ana M.", "Europe/Paris", locale="fr-FR")
        event = {"type": "user_change", "user": {"id": ANA, "tz": "Europe/Paris"}}
        assert await world.sender.event(event) == (200, "")
        await world.settle()

        # the App Home tab, opened through the events path, shows her preferences
        assert await world.sender.home_opened(ANA) == (200, "")
        await world.settle()
        [published] = api.calls_of("views.publish")
        assert published.args["user_id"] == ANA
        ana = await profile(world)
        assert (ana.display_name, ana.timezone, ana.locale) == ("Ana M.", "Europe/Paris", "fr-FR")
        assert "Europe/Paris" in json.dumps(api.home_views[ANA])

        # she keeps the 1-hour reminder only, adds one 3 hours before, and quiet from 23:00
        _, kinds = element(api.home_views[ANA], ACTION_KINDS)
        one_hour = next(o for o in kinds["options"] if o["value"] == "1h")
        await choose(world, ACTION_KINDS, selected_options=[one_hour])
        _, custom = element(api.home_views[ANA], ACTION_CUSTOM)
        three = next(o for o in custom["options"] if o["value"] == "3h")
        await choose(world, ACTION_CUSTOM, selected_option=three)
        await choose(world, ACTION_QUIET_START, selected_time="23:00")
        wanted = [ReminderKind.BEFORE_3H, ReminderKind.BEFORE_1H]
        assert (await profile(world)).preferences.kinds == wanted
        assert len(api.calls_of("views.publish")) == 4  # opened, then once per change

    # dojobot restarts (new process, same database): her choices are still there
    async with slack_world(tmp_path, transport) as world:
        api = world.api
        api.add_user(ANA, "Ana M.", "Europe/Paris", locale="fr-FR")
        assert await world.sender.home_opened(ANA) == (200, "")
        await world.settle()
        _, kinds = element(api.home_views[ANA], ACTION_KINDS)
        assert [o["value"] for o in kinds["initial_options"]] == ["1h"]
        _, quiet = element(api.home_views[ANA], ACTION_QUIET_START)
        assert quiet["initial_time"] == "23:00"

        # /link on Slack: a code; her Discord account enters it: one member from now on
        reply = await world.command("/link", "", ANA)  # in her language: French
        code = reply["text"].split("code de liaison est ")[1].split(" ")[0]
        assert f"/link code:{code}" in json.dumps(reply["blocks"])
        service = world.app.wiring.service
        facts = PlatformFacts(member_id=DISCORD_ANA, display_name="ana_d", locale="fr")
        on_discord = await service.identify(facts, Role.MEMBER)
        linked = await service.link(on_discord, code)
        assert linked.identities == [ANA_ID, DISCORD_ANA]
        on_discord = await service.identify(facts, Role.MEMBER)
        assert (on_discord.id, on_discord.platform_id) == (ANA_ID, DISCORD_ANA)
        assert (await profile(world, DISCORD_ANA)).preferences.kinds == [
            ReminderKind.BEFORE_3H,
            ReminderKind.BEFORE_1H,
        ]

        # /forget-me: a confirmation with a Confirm button; clicking it forgets her
        reply = await world.command("/forget-me", "", ANA)
        [code_button] = [
            e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]
        ]
        assert code_button["action_id"] == ACTION_FORGET_CONFIRM
        done = await world.click(ACTION_FORGET_CONFIRM, code_button["value"], ANA, CHANNEL, "1.1")
        assert done["text"].startswith("C’est fait\u00a0: dojobot vous a oublié.")
        assert await service.identify(facts, Role.MEMBER) == Member(
            id=DISCORD_ANA, display_name="ana_d", locale="fr"
        )  # her Discord account is a stranger again, with a new empty profile
        assert (await profile(world, DISCORD_ANA)).identities == [DISCORD_ANA]


async def test_a_slack_link_code_entered_with_discords_link_command(tmp_path: Path) -> None:
    """The code /link gives on Slack, typed into Discord's `/link code:` (the real Discord
    front end on the same core, against the fake Discord API): one member, whose Home tab
    on Slack and whose choices on Discord are the same."""
    from adapters.discord import DiscordFrontEnd, DiscordSettings
    from tests.adapters.discord.harness import (
        CHANNEL as DISCORD_CHANNEL,
    )
    from tests.adapters.discord.harness import (
        GUILD,
        MEMBER_ROLE,
        Gateway,
        discord_settings_fields,
        text_of,
    )
    from tests.fakes.discord_api import FakeDiscord, Person, slash_command

    discord_ana = Person(511, "ana", [MEMBER_ROLE])
    fake = FakeDiscord()
    await fake.start()
    async with slack_world(tmp_path, "http") as world:
        fake.wall_clock = world.clock.now
        frontend = DiscordFrontEnd(
            DiscordSettings(**discord_settings_fields(fake)),
            world.app.wiring.executor,
            world.clock,
            "https://dojo.example.org",
            "UTC",
            tmp_path / "discord",
        )
        await frontend.start()
        try:
            gateway = Gateway(fake, frontend)
            gateway.guild_available()
            reply = await world.command("/link", "", ANA)
            code = reply["text"].split("link code is ")[1].split(" ")[0]
            answer = await gateway.interact(
                slash_command("link", discord_ana, GUILD, DISCORD_CHANNEL, code=code)
            )
            assert text_of(answer).startswith("Linked:"), text_of(answer)
            ana = await profile(world)
            assert ana.identities == [ANA_ID, "discord:511"]

            # a choice made on Slack's Home tab is the Discord account's too
            assert await world.sender.home_opened(ANA) == (200, "")
            await world.settle()
            await choose(world, ACTION_QUIET_START, selected_time="21:30")
            linked = await profile(world, "discord:511")
            assert linked.id == ANA_ID and linked.preferences.quiet_hours is not None
        finally:
            await frontend.stop()
            await fake.stop()
